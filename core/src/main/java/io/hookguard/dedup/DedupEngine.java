package io.hookguard.dedup;

import static io.hookguard.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import io.hookguard.internal.EventKeys;
import io.hookguard.internal.Sha256;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Runs a handler at most once per event across retries: claim, run, then complete (success) or
 * release (failure, so the sender's retry runs). Immutable and thread-safe.
 *
 * <p>The guarantee is effectively-once under normal operation and at-least-once when a lease runs
 * out while the handler still runs, or the store loses a record (Redis failover, eviction):
 * downstream effects should carry the event id.
 */
public final class DedupEngine {
  /** Event ids longer than this, or with characters outside printable ASCII, are hashed in keys. */
  static final int MAX_RAW_ID_LENGTH = EventKeys.MAX_RAW_PART_LENGTH;

  /**
   * Runs the lease heartbeats of every engine: one daemon thread, because an extend is one short
   * store call and a heartbeat that runs late still lands well inside the lease.
   */
  private static final class Heartbeats {
    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "hookguard-lease-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
  }

  private final DedupStore store;
  private final Duration lease;
  private final Duration retention;
  private final String keyPrefix;
  private final @Nullable Duration waitForInProgress;
  private final boolean failOpen;
  private final boolean runWithoutEventId;
  private final Duration outageRetryAfter;
  private final @Nullable Duration heartbeat;
  private final Time time;
  private final LongAdder failOpenRuns = new LongAdder();
  private final LongAdder unrecordedOutcomes = new LongAdder();
  private final LongAdder lostLeases = new LongAdder();

  private DedupEngine(Builder builder) {
    this.store = builder.store;
    this.lease = builder.lease;
    this.retention = builder.retention;
    this.keyPrefix = builder.keyPrefix;
    this.waitForInProgress = builder.waitForInProgress;
    this.failOpen = builder.failOpen;
    this.runWithoutEventId = builder.runWithoutEventId;
    this.outageRetryAfter = builder.outageRetryAfter;
    this.heartbeat = builder.heartbeat;
    this.time = builder.time;
    if (heartbeat != null && heartbeat.compareTo(lease) >= 0) {
      throw new IllegalArgumentException(
          "heartbeat (" + heartbeat + ") must be shorter than the lease (" + lease + ")");
    }
  }

  /**
   * Starts configuring an engine over a store.
   *
   * @param store where claims live
   * @return a builder
   */
  public static Builder builder(DedupStore store) {
    return new Builder(store);
  }

  /**
   * Processes one verified delivery.
   *
   * @param endpoint the namespace, e.g. the endpoint path, so two endpoints never share keys
   * @param provider the scheme id
   * @param eventId the sender's event id, or {@code null} when the delivery has none (an empty or
   *     blank id counts as none)
   * @param body the body, fingerprinted to tell a retry from a different event with the same id (the
   *     lifecycle passes {@code WebhookScheme.fingerprintContent}, the body less a re-stamped time of sending)
   * @param handler the work to do once
   * @param succeeded whether a result counts as success (e.g. a 2xx status)
   * @param <T> what the handler returns
   * @return what happened
   * @throws Exception what the handler threw, after its claim was released
   */
  public <T> DedupOutcome<T> process(String endpoint, String provider, @Nullable String eventId,
      byte[] body, Callable<T> handler, Predicate<? super T> succeeded) throws Exception {
    Admission admission = admit(endpoint, provider, eventId, body);
    if (admission instanceof Admission.Refuse refuse) {
      return retype(refuse.outcome());
    }
    DedupClaim claim = ((Admission.Run) admission).claim();
    T result;
    try {
      result = handler.call();
    } catch (Exception | Error e) {
      claim.finish(false);
      throw e;
    }
    boolean success = succeeded.test(result);
    boolean recorded = claim.finish(success);
    DedupOutcome.Reason withoutDedup = claim.withoutDedup().orElse(null);
    return withoutDedup != null
        ? new DedupOutcome.ProcessedWithoutDedup<>(result, withoutDedup)
        : new DedupOutcome.Processed<>(result, success, recorded);
  }

  /**
   * The first half of {@link #process}, for handlers that finish later than they return (servlet
   * async requests): claims the event and says whether to run the handler. The caller must
   * {@link DedupClaim#finish finish} every claim it is given, once the outcome is known.
   *
   * @param endpoint the namespace, e.g. the endpoint path
   * @param provider the scheme id
   * @param eventId the sender's event id, or {@code null} when the delivery has none (an empty or
   *     blank id counts as none)
   * @param body the body, fingerprinted to tell a retry from a different event with the same id (the
   *     lifecycle passes {@code WebhookScheme.fingerprintContent}, the body less a re-stamped time of sending)
   * @return run the handler under a claim, or refuse with the answer to give
   * @throws InterruptedException when waiting for an in-progress duplicate is interrupted
   */
  public Admission admit(String endpoint, String provider, @Nullable String eventId, byte[] body)
      throws InterruptedException {
    return admit(endpoint, provider, eventId, body, false);
  }

  /**
   * Like {@link #admit(String, String, String, byte[])}, and with {@code alsoKeyOnBody} the
   * delivery also claims a second key made of the body's SHA-256 fingerprint, for schemes whose
   * event id is not signed ({@code WebhookScheme.signsEventId()} is false): a captured delivery
   * replayed under a fresh id then finds its body completed (a duplicate) or in progress, instead
   * of running again. The cost: two events with byte-identical bodies count as one. Both keys are
   * completed or released together.
   *
   * @param endpoint the namespace, e.g. the endpoint path
   * @param provider the scheme id
   * @param eventId the sender's event id, or {@code null} when the delivery has none
   * @param body the body, fingerprinted to tell a retry from a different event with the same id (the
   *     lifecycle passes {@code WebhookScheme.fingerprintContent}, the body less a re-stamped time of sending)
   * @param alsoKeyOnBody whether to claim the body's fingerprint as well as the event id
   * @return run the handler under a claim, or refuse with the answer to give
   * @throws InterruptedException when waiting for an in-progress duplicate is interrupted
   */
  public Admission admit(String endpoint, String provider, @Nullable String eventId, byte[] body,
      boolean alsoKeyOnBody) throws InterruptedException {
    return admit(endpoint, provider, eventId, body, alsoKeyOnBody ? body : null);
  }

  /**
   * Like {@link #admit(String, String, String, byte[], boolean)}, with the second key made of
   * {@code replayContent} — what the scheme signed ({@code WebhookScheme.replayContent}), which is
   * the body for most schemes — instead of the raw body, so that a re-encoded replay of the same
   * signed content is recognised.
   *
   * @param endpoint the namespace, e.g. the endpoint's name
   * @param provider the scheme id
   * @param eventId the sender's event id, or {@code null} when the delivery has none
   * @param body the body, fingerprinted to tell a retry from a different event with the same id:
   *     or what the scheme fingerprints ({@code WebhookScheme.fingerprintContent}: the body less a
   *     time of sending the sender re-stamps on every retry)
   * @param replayContent the signed content to claim as a second key, or {@code null} for none
   * @return run the handler under a claim, or refuse with the answer to give
   * @throws InterruptedException when waiting for an in-progress duplicate is interrupted
   */
  public Admission admit(String endpoint, String provider, @Nullable String eventId, byte[] body,
      byte @Nullable [] replayContent) throws InterruptedException {
    boolean alsoKeyOnBody = replayContent != null;
    // An empty or blank id is no id: deduplicating under it would merge unrelated events.
    if (eventId == null || eventId.isBlank()) {
      if (!runWithoutEventId) {
        return new Admission.Refuse(new DedupOutcome.MissingEventId<>());
      }
      // Stripping an unsigned id header must not switch dedup off: the body is still a key.
      return replayContent != null ? admitBody(endpoint, provider, replayContent)
          : new Admission.Run(DedupClaim.unclaimed(DedupOutcome.Reason.NO_EVENT_ID));
    }
    String key = key(endpoint, provider, eventId);
    String fingerprint = Sha256.hex(body);
    ClaimResult claim;
    try {
      claim = claimWaiting(key, fingerprint);
    } catch (DedupStoreException e) {
      return storeUnavailable();
    }
    if (!(claim instanceof ClaimResult.Acquired acquired)) {
      return refusal(claim);
    }
    Held first = hold(key, acquired.token());
    if (!alsoKeyOnBody) {
      return new Admission.Run(DedupClaim.held(first::finish));
    }
    String replayFingerprint = replayContent == body ? fingerprint : Sha256.hex(replayContent);
    String bodyKey = bodyKey(endpoint, provider, replayFingerprint);
    ClaimResult second;
    try {
      second = store.claim(bodyKey, replayFingerprint, lease);
    } catch (DedupStoreException e) {
      first.finish(false);
      return storeUnavailable();
    }
    if (!(second instanceof ClaimResult.Acquired secondAcquired)) {
      first.finish(false);
      return refusal(second);
    }
    Held both = hold(bodyKey, secondAcquired.token());
    return new Admission.Run(DedupClaim.held(success -> first.finish(success) & both.finish(success)));
  }

  /**
   * Claims a delivery that has no event id by its body alone: the body's SHA-256 is the key, so
   * a replay of the same signed bytes is a duplicate (or in progress) within the retention.
   * Used where a delivery without an id runs (the endpoint's policy) and the body is signed.
   *
   * @param endpoint the namespace, e.g. the endpoint's name
   * @param provider the scheme id
   * @param body the body, or what the scheme signed ({@code WebhookScheme.replayContent})
   * @return run the handler under the claim, or refuse with the answer to give
   */
  public Admission admitBody(String endpoint, String provider, byte[] body) {
    String fingerprint = Sha256.hex(body);
    String bodyKey = bodyKey(endpoint, provider, fingerprint);
    ClaimResult claim;
    try {
      claim = store.claim(bodyKey, fingerprint, lease);
    } catch (DedupStoreException e) {
      return storeUnavailable();
    }
    if (!(claim instanceof ClaimResult.Acquired acquired)) {
      return refusal(claim);
    }
    return new Admission.Run(DedupClaim.held(hold(bodyKey, acquired.token())::finish));
  }

  private String bodyKey(String endpoint, String provider, String fingerprint) {
    // The fingerprint is in the key, so a claim never sees another body under it.
    return EventKeys.bodyKey(keyPrefix, endpoint, provider, fingerprint);
  }

  private Admission storeUnavailable() {
    if (!failOpen) {
      return new Admission.Refuse(new DedupOutcome.StoreUnavailable<>(outageRetryAfter));
    }
    failOpenRuns.increment();
    return new Admission.Run(DedupClaim.unclaimed(DedupOutcome.Reason.STORE_UNAVAILABLE));
  }

  private static Admission refusal(ClaimResult claim) {
    if (claim instanceof ClaimResult.Completed) {
      return new Admission.Refuse(new DedupOutcome.Duplicate<>());
    }
    if (claim instanceof ClaimResult.InProgress inProgress) {
      return new Admission.Refuse(new DedupOutcome.InProgress<>(atLeastOneSecond(inProgress.remainingLease())));
    }
    return new Admission.Refuse(new DedupOutcome.FingerprintMismatch<>());
  }

  /** One held key: its heartbeat runs until it is completed or released. */
  private Held hold(String key, String token) {
    return new Held(key, token, startHeartbeat(key, token));
  }

  private final class Held {
    private final String key;
    private final String token;
    private final @Nullable Heartbeat beat;

    Held(String key, String token, @Nullable Heartbeat beat) {
      this.key = key;
      this.token = token;
      this.beat = beat;
    }

    boolean finish(boolean success) {
      stop(beat);
      return success
          ? record(() -> store.complete(key, token, retention))
          : record(() -> store.release(key, token));
    }
  }

  /** The refusals carry no handler result, so one of any type stands for all. */
  private static <T> DedupOutcome<T> retype(DedupOutcome<Void> refusal) {
    if (refusal instanceof DedupOutcome.Duplicate) {
      return new DedupOutcome.Duplicate<>();
    } else if (refusal instanceof DedupOutcome.InProgress<Void> inProgress) {
      return new DedupOutcome.InProgress<>(inProgress.retryAfter());
    } else if (refusal instanceof DedupOutcome.FingerprintMismatch) {
      return new DedupOutcome.FingerprintMismatch<>();
    } else if (refusal instanceof DedupOutcome.MissingEventId) {
      return new DedupOutcome.MissingEventId<>();
    } else if (refusal instanceof DedupOutcome.StoreUnavailable<Void> unavailable) {
      return new DedupOutcome.StoreUnavailable<>(unavailable.retryAfter());
    }
    throw new IllegalStateException("not a refusal: " + refusal);
  }

  /** Claims, waiting (when configured) while another holder runs the same delivery. */
  private ClaimResult claimWaiting(String key, String fingerprint) throws InterruptedException {
    ClaimResult claim = store.claim(key, fingerprint, lease);
    if (waitForInProgress == null) {
      return claim;
    }
    long deadline = time.nanoTime() + waitForInProgress.toNanos();
    long pause = 10;
    while (claim instanceof ClaimResult.InProgress && time.nanoTime() < deadline) {
      time.sleep(Math.min(pause, Math.max(1, (deadline - time.nanoTime()) / 1_000_000)));
      pause = Math.min(pause * 2, 200);
      claim = store.claim(key, fingerprint, lease);
    }
    return claim;
  }

  /** Extends the lease every heartbeat while the handler runs; stops once the claim is lost. */
  private @Nullable Heartbeat startHeartbeat(String key, String token) {
    if (heartbeat == null) {
      return null;
    }
    Heartbeat beat = new Heartbeat(key, token);
    long period = heartbeat.toNanos();
    beat.schedule(Heartbeats.SCHEDULER.scheduleAtFixedRate(beat, period, period, TimeUnit.NANOSECONDS));
    return beat;
  }

  private static void stop(@Nullable Heartbeat beat) {
    if (beat != null) {
      beat.stop();
    }
  }

  /**
   * One claim's heartbeat. Beats and {@link #stop()} hold the same lock, so that no extend runs
   * concurrently with or after the claim's completion or release.
   */
  private final class Heartbeat implements Runnable {
    private final String key;
    private final String token;
    private boolean stopped;
    private @Nullable ScheduledFuture<?> future;

    Heartbeat(String key, String token) {
      this.key = key;
      this.token = token;
    }

    synchronized void schedule(ScheduledFuture<?> scheduled) {
      this.future = scheduled;
      if (stopped) {
        scheduled.cancel(false);
      }
    }

    @Override
    public synchronized void run() {
      if (stopped) {
        return;
      }
      boolean held;
      try {
        held = store.extend(key, token, lease);
      } catch (RuntimeException e) {
        // Store down or a bug in a custom store: the next beat tries again, the lease covers the gap.
        return;
      }
      if (!held) {
        lostLeases.increment();
        stopped = true;
        throw new LeaseLost();
      }
    }

    synchronized void stop() {
      stopped = true;
      if (future != null) {
        future.cancel(false);
      }
    }
  }

  /** Ends a heartbeat's schedule: a periodic task that throws is not run again. */
  private static final class LeaseLost extends RuntimeException {
    LeaseLost() {
      super("lease lost", null, false, false);
    }
  }

  /** Runs a complete or release; a failure leaves the outcome standing and is counted. */
  private boolean record(StoreCall call) {
    boolean recorded;
    try {
      recorded = call.run();
    } catch (DedupStoreException e) {
      recorded = false;
    }
    if (!recorded) {
      unrecordedOutcomes.increment();
    }
    return recorded;
  }

  @FunctionalInterface
  private interface StoreCall {
    boolean run();
  }

  /**
   * The store key of an event: prefix, endpoint, provider and the event id, the id hashed when it
   * is long or has characters outside printable ASCII, so keys stay bounded and unambiguous.
   *
   * @param endpoint the namespace
   * @param provider the scheme id
   * @param eventId the event id
   * @return the key
   */
  public String key(String endpoint, String provider, String eventId) {
    return EventKeys.eventKey(keyPrefix, endpoint, provider, eventId);
  }

  private static Duration atLeastOneSecond(Duration duration) {
    return duration.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : duration;
  }

  /**
   * How many deliveries ran without a claim because the store was down (fail-open).
   *
   * @return the count since the engine was built
   */
  public long failOpenRuns() {
    return failOpenRuns.sum();
  }

  /**
   * How many completions or releases the store did not record (store down, or the lease had run
   * out): each may let a retry run the handler again. A store that writes completions in the
   * background reports those it could not write itself.
   *
   * @return the count since the engine was built
   */
  public long unrecordedOutcomes() {
    return unrecordedOutcomes.sum();
  }

  /**
   * How many heartbeats found their claim gone (lease ran out, or the record was lost), so that
   * a retry may have run the handler concurrently.
   *
   * @return the count since the engine was built
   */
  public long lostLeases() {
    return lostLeases.sum();
  }

  /** The clock and the sleep of the wait for an in-progress duplicate; replaced in tests. */
  interface Time {
    Time SYSTEM = new Time() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
      }
    };

    long nanoTime();

    void sleep(long millis) throws InterruptedException;
  }

  /** Configures a {@link DedupEngine}; the defaults match real senders. */
  public static final class Builder {
    private final DedupStore store;
    private Duration lease = Duration.ofMinutes(5);
    private Duration retention = Duration.ofHours(72);
    private String keyPrefix = "hookguard:";
    private @Nullable Duration waitForInProgress;
    private boolean failOpen;
    private boolean runWithoutEventId;
    private Duration outageRetryAfter = Duration.ofSeconds(30);
    private @Nullable Duration heartbeat;
    private Time time = Time.SYSTEM;

    private Builder(DedupStore store) {
      this.store = requireNonNull(store, "store");
    }

    /**
     * How long a claim holds while its handler runs; 5 minutes by default. Longer than the
     * slowest handler, or a retry may run concurrently.
     *
     * @param lease a positive duration
     * @return this builder
     */
    public Builder lease(Duration lease) {
      this.lease = positive(lease, "lease");
      return this;
    }

    /**
     * How long a processed event is remembered; 72 hours by default (Stripe retries for three
     * days).
     *
     * @param retention a positive duration
     * @return this builder
     */
    public Builder retention(Duration retention) {
      this.retention = positive(retention, "retention");
      return this;
    }

    /**
     * The prefix of every key; {@code hookguard:} by default.
     *
     * @param keyPrefix the prefix
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * Makes a duplicate that arrives while the first delivery runs wait up to this long for its
     * outcome, instead of being answered "in progress" at once.
     *
     * @param maximum the longest wait, positive
     * @return this builder
     */
    public Builder waitForInProgress(Duration maximum) {
      this.waitForInProgress = positive(maximum, "maximum");
      return this;
    }

    /**
     * Runs handlers without a claim when the store is down (counted in
     * {@link DedupEngine#failOpenRuns()}). The default is fail-closed: answer "unavailable".
     *
     * @return this builder
     */
    public Builder failOpen() {
      this.failOpen = true;
      return this;
    }

    /**
     * Runs deliveries without an event id without deduplication. The default rejects them.
     *
     * @return this builder
     */
    public Builder runWithoutEventId() {
      this.runWithoutEventId = true;
      return this;
    }

    /**
     * The retry hint while the store is down; 30 seconds by default.
     *
     * @param retryAfter a positive duration
     * @return this builder
     */
    public Builder outageRetryAfter(Duration retryAfter) {
      this.outageRetryAfter = positive(retryAfter, "retryAfter");
      return this;
    }

    /**
     * Extends the lease of a running handler every {@code interval}, so handlers may run longer
     * than one lease while a crashed instance's claim still expires after one lease. Off by
     * default. Heartbeats that find the claim gone stop and are counted in
     * {@link DedupEngine#lostLeases()}.
     *
     * @param interval how often, positive and shorter than the lease (a third of it is typical)
     * @return this builder
     */
    public Builder heartbeat(Duration interval) {
      this.heartbeat = positive(interval, "interval");
      return this;
    }

    /** The wait's clock and sleep, for tests. */
    Builder time(Time time) {
      this.time = requireNonNull(time, "time");
      return this;
    }

    /**
     * Makes the engine.
     *
     * @return the engine
     * @throws IllegalArgumentException when the heartbeat is not shorter than the lease
     */
    public DedupEngine build() {
      return new DedupEngine(this);
    }

  }
}
