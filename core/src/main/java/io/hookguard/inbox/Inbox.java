package io.hookguard.inbox;

import static io.hookguard.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import io.hookguard.delivery.AttemptAudit;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.delivery.DeliveryAuditListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The durable inbox: stores verified deliveries and runs each endpoint's {@link InboxHandler} on
 * them in the background, with retries, dead letters and replay.
 *
 * <p><b>Receipt.</b> {@link #accept} stores a delivery and returns only once the store committed
 * it ({@link Acceptance.Stored}: acknowledge it), or says why not. An endpoint in inbox mode
 * ({@code WebhookEndpoint.Builder.inbox}) has the delivery lifecycle call it after verification.
 * Past {@link Builder#maxBacklog} ready and in-flight deliveries, it refuses ({@link
 * Acceptance.Full}) rather than grow without bound.
 *
 * <p><b>Workers.</b> After {@link #start()}, {@link Builder#workers} threads in this instance take
 * due deliveries under a {@link Builder#lease lease} (every instance over one store runs its own,
 * and they share the work), run the handler and mark the delivery done. A delivery stored through
 * this inbox wakes an idle worker at once; deliveries stored by other instances are found within
 * one {@link Builder#pollInterval poll interval}. While a handler runs, its lease is extended
 * every third of the lease. A failure records the error's class and message (truncated to
 * {@value #MAX_ERROR_LENGTH} characters, never the body) and schedules the next attempt per the
 * {@link RetryPolicy}; when none is left the delivery is a dead letter. A failing (poison)
 * delivery waits for its next attempt while the others are taken: it never blocks them. A worker
 * that crashes leaves its delivery in flight until the lease runs out; then another worker takes
 * it over (its attempt counted, so a delivery that crashes every worker ends as a dead letter
 * too). When the store is down, workers back off (up to {@link Builder#pollInterval} times 8) and
 * resume.
 *
 * <p><b>Guarantee.</b> At-least-once: a handler may run again on a delivery whose lease ran out
 * while it ran (a stalled worker) or whose "done" mark the store could not write. Effects should
 * carry {@link InboxDelivery#eventId()}. With a store whose {@link InboxStore#handleAndMarkDone}
 * is one transaction (the JDBC store's transactional mode) the handler's writes to that database
 * commit with the mark, exactly once.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops taking work, lets running handlers finish for up to
 * {@link Builder#shutdownTimeout}, then gives up the leases of those that did not (they are
 * ready again at once, their attempt not counted) and interrupts them.
 *
 * <p>Done deliveries are kept for {@link Builder#retention} (so a sender's retry within it is an
 * acknowledged duplicate), then purged in bounded batches by a background task. Thread-safe.
 */
public final class Inbox implements AutoCloseable {
  /** The longest error text recorded for a failed attempt. */
  public static final int MAX_ERROR_LENGTH = 500;

  private static final int PURGE_BATCH = 500;

  private final InboxStore store;
  private final Map<String, InboxHandler> handlers;
  private final Set<String> endpoints;
  private final int workerCount;
  private final Duration lease;
  private final Duration pollInterval;
  private final RetryPolicy retry;
  private final long maxBacklog;
  private final Duration backlogCheckInterval;
  private final Duration retention;
  private final Duration purgeInterval;
  private final Duration shutdownTimeout;
  private final Duration outageRetryAfter;
  private final List<DeliveryAuditListener> listeners;
  private final Clock clock;

  private final Semaphore wakeUps = new Semaphore(0);
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();
  private final Object lifecycle = new Object();
  private @Nullable ScheduledExecutorService scheduler;
  private volatile boolean started;
  private volatile boolean stopping;

  private final Object backlogLock = new Object();
  private final AtomicBoolean backlogCounting = new AtomicBoolean();
  private volatile long backlogCounted = -1;
  private volatile long backlogCountedAt;
  private final AtomicInteger acceptedSinceCount = new AtomicInteger();

  private final LongAdder lostLeases = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder storeErrors = new LongAdder();

  private Inbox(Builder builder) {
    this.store = builder.store;
    this.handlers = Map.copyOf(builder.handlers);
    this.endpoints = Set.copyOf(handlers.keySet());
    this.workerCount = builder.workers;
    this.lease = builder.lease;
    this.pollInterval = builder.pollInterval;
    this.retry = builder.retry;
    this.maxBacklog = builder.maxBacklog;
    this.backlogCheckInterval = builder.backlogCheckInterval;
    this.retention = builder.retention;
    this.purgeInterval = builder.purgeInterval;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.outageRetryAfter = builder.outageRetryAfter;
    this.listeners = List.copyOf(builder.listeners);
    this.clock = builder.clock;
  }

  /**
   * Starts configuring an inbox over a store.
   *
   * @param store where deliveries live
   * @return a builder
   */
  public static Builder builder(InboxStore store) {
    return new Builder(store);
  }

  /** @return the store */
  public InboxStore store() {
    return store;
  }

  /**
   * Whether this inbox has a handler for an endpoint (an endpoint in inbox mode must).
   *
   * @param endpoint the endpoint's name
   * @return whether deliveries to it are handled
   */
  public boolean handles(String endpoint) {
    return handlers.containsKey(endpoint);
  }

  /** @return the retry policy */
  public RetryPolicy retryPolicy() {
    return retry;
  }

  /**
   * Stores a verified delivery; the caller acknowledges it to the sender only on
   * {@link Acceptance.Stored} or {@link Acceptance.Duplicate}. Never throws for store failures.
   *
   * @param delivery the delivery
   * @return what became of it
   * @throws IllegalArgumentException when no handler is registered for its endpoint
   */
  public Acceptance accept(ReceivedDelivery delivery) {
    if (!handlers.containsKey(delivery.endpoint())) {
      throw new IllegalArgumentException("no inbox handler for endpoint '" + delivery.endpoint() + "'");
    }
    try {
      if (maxBacklog != Long.MAX_VALUE && backlog() >= maxBacklog) {
        // Full, but a retry of what is stored is still a duplicate: acknowledged, not refused.
        return store.stored(delivery).orElseGet(() -> new Acceptance.Full(outageRetryAfter));
      }
      Acceptance acceptance = store.store(delivery);
      if (acceptance instanceof Acceptance.Stored) {
        acceptedSinceCount.incrementAndGet();
        if (started && wakeUps.availablePermits() < workerCount) {
          wakeUps.release(); // an idle worker takes it now, not at its next poll
        }
      }
      return acceptance;
    } catch (RuntimeException e) {
      storeErrors.increment();
      return new Acceptance.Unavailable(outageRetryAfter);
    }
  }

  /**
   * Ready and in-flight deliveries: the store's count, refreshed at most once per check
   * interval, plus what this instance stored since. Bounds the backlog within the receipts of
   * other instances in one interval, without a count per receipt.
   */
  private long backlog() {
    if (backlogCounted < 0) {
      synchronized (backlogLock) { // the first count: there is no estimate to go on yet
        if (backlogCounted < 0) {
          countBacklog();
        }
      }
    } else if (System.nanoTime() - backlogCountedAt >= backlogCheckInterval.toNanos()
        && backlogCounting.compareAndSet(false, true)) {
      // One receipt refreshes the count; the others go on with the estimate meanwhile. A count
      // of a large backlog is a scan, and every receipt waiting on it stalled the inbox.
      try {
        if (System.nanoTime() - backlogCountedAt >= backlogCheckInterval.toNanos()) {
          countBacklog();
        }
      } finally {
        backlogCounting.set(false);
      }
    }
    return backlogCounted + acceptedSinceCount.get();
  }

  private void countBacklog() {
    int acceptedBefore = acceptedSinceCount.get();
    long counted = store.backlog();
    // The new count first, then the receipts it may include taken off: a reader in between
    // over-counts (refuses early), never under-counts. Receipts stored during the count stay
    // counted, in case the count missed them.
    backlogCounted = counted;
    acceptedSinceCount.addAndGet(-acceptedBefore);
    backlogCountedAt = System.nanoTime();
  }

  /**
   * Starts the workers and the purge of done deliveries. Does nothing when started already.
   *
   * @return this inbox
   * @throws IllegalStateException when closed
   */
  public Inbox start() {
    synchronized (lifecycle) {
      if (stopping) {
        throw new IllegalStateException("the inbox is closed");
      }
      if (started) {
        return this;
      }
      started = true;
      // Two threads: a long purge must never hold up the lease heartbeats.
      ScheduledExecutorService tasks = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "hookguard-inbox-tasks");
        thread.setDaemon(true);
        return thread;
      });
      scheduler = tasks;
      tasks.scheduleWithFixedDelay(this::purgeQuietly, 0, purgeInterval.toMillis(), TimeUnit.MILLISECONDS);
      for (int i = 0; i < workerCount; i++) {
        Thread worker = new Thread(this::work, "hookguard-inbox-worker-" + (i + 1));
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
      return this;
    }
  }

  private void work() {
    long backoff = pollInterval.toNanos();
    while (!stopping) {
      List<InboxLease> taken;
      try {
        taken = store.take(endpoints, 1, lease);
        backoff = pollInterval.toNanos();
      } catch (RuntimeException e) {
        // The store is down: wait, longer each time, and try again. Nothing is lost: what was
        // stored stays stored, and what was in flight is taken over when its lease runs out.
        storeErrors.increment();
        pause(backoff);
        backoff = Math.min(backoff * 2, pollInterval.toNanos() * 8);
        continue;
      }
      if (taken.isEmpty()) {
        try {
          wakeUps.tryAcquire(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          if (stopping) {
            return;
          }
        }
        continue;
      }
      for (InboxLease leased : taken) {
        if (stopping) {
          releaseQuietly(leased);
          continue;
        }
        attempt(leased);
      }
    }
  }

  private void pause(long nanos) {
    try {
      wakeUps.tryAcquire(nanos, TimeUnit.NANOSECONDS); // close() wakes it
    } catch (InterruptedException e) {
      // stopping: the loop checks
    }
  }

  private void attempt(InboxLease leased) {
    InboxDelivery delivery = leased.delivery();
    InboxHandler handler = handlers.get(delivery.endpoint());
    if (handler == null) {
      releaseQuietly(leased); // cannot happen: take is limited to our endpoints
      return;
    }
    if (delivery.attempt() > retry.maxAttempts()) {
      // Taken over from workers that never finished it (each crashed, or stalled past its lease):
      // running it again would let a delivery that kills its worker kill every worker in turn.
      finishFailed(leased, null, "lease expired on " + (delivery.attempt() - 1) + " attempts without an outcome",
          Duration.ZERO, true);
      return;
    }
    Running run = new Running(leased, Thread.currentThread());
    running.put(leased.id(), run);
    ScheduledFuture<?> beat = heartbeat(run);
    long start = System.nanoTime();
    try {
      boolean recorded;
      try {
        recorded = store.handleAndMarkDone(leased, handler);
      } catch (InboxStoreException e) {
        // Whether the handler ran is unknown; the lease runs out and the delivery is taken again.
        storeErrors.increment();
        recorded = false;
      }
      if (!recorded) {
        lostLeases.increment();
      }
      emit(attemptAudit(leased, DeliveryAudit.Outcome.PROCESSED, null, null, Duration.ofNanos(System.nanoTime() - start),
          recorded));
    } catch (Throwable failure) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (run.released) {
        // Shut down mid-handler: the lease was given up, the attempt does not count.
        emit(attemptAudit(leased, DeliveryAudit.Outcome.FAILED, failure.getClass().getName(), Duration.ZERO, took,
            true));
      } else {
        finishFailed(leased, failure, describe(failure), took, false);
      }
    } finally {
      if (beat != null) {
        beat.cancel(false);
      }
      running.remove(leased.id());
      if (stopping) {
        Thread.interrupted(); // an interrupt meant for this handler must not leak into the next
      }
    }
  }

  private void finishFailed(InboxLease leased, @Nullable Throwable failure, String error, Duration took,
      boolean exhausted) {
    InboxDelivery delivery = leased.delivery();
    Duration age = Duration.between(leased.retryingSince(), clock.instant());
    Optional<Duration> delay = exhausted ? Optional.empty()
        : retry.nextDelay(delivery.attempt(), age.isNegative() ? Duration.ZERO : age, ThreadLocalRandom.current());
    boolean recorded;
    try {
      recorded = delay.isPresent() ? store.retryLater(leased, delay.get(), error) : store.deadLetter(leased, error);
    } catch (RuntimeException e) {
      storeErrors.increment();
      recorded = false;
    }
    if (!recorded) {
      lostLeases.increment();
    }
    emit(attemptAudit(leased, delay.isPresent() ? DeliveryAudit.Outcome.FAILED : DeliveryAudit.Outcome.DEAD_LETTERED,
        failure == null ? null : failure.getClass().getName(), delay.orElse(null), took, recorded));
  }

  private @Nullable ScheduledFuture<?> heartbeat(Running run) {
    ScheduledExecutorService tasks = scheduler;
    if (tasks == null) {
      return null;
    }
    long every = Math.max(1, lease.toMillis() / 3);
    try {
      return tasks.scheduleWithFixedDelay(() -> {
        try {
          if (!run.released && !store.extend(run.lease, lease)) {
            lostLeases.increment();
            throw new IllegalStateException("lease lost"); // stops this heartbeat
          }
        } catch (InboxStoreException e) {
          storeErrors.increment(); // try again at the next beat, well within the lease
        }
      }, every, every, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null; // shutting down
    }
  }

  private void releaseQuietly(InboxLease leased) {
    try {
      store.release(leased);
    } catch (RuntimeException e) {
      storeErrors.increment(); // the lease runs out instead
    }
  }

  /**
   * {@code class: message} of a failure, truncated; the message is the handler's, so a handler
   * that puts payload into exception messages puts it here (up to the limit).
   */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    String text = failure.getClass().getName() + (message == null ? "" : ": " + message);
    StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_ERROR_LENGTH));
    for (int i = 0; i < text.length() && clean.length() < MAX_ERROR_LENGTH; i++) {
      char c = text.charAt(i);
      clean.append(Character.isISOControl(c) ? ' ' : c);
    }
    return clean.toString();
  }

  private AttemptAudit attemptAudit(InboxLease leased, DeliveryAudit.Outcome outcome, @Nullable String errorClass,
      @Nullable Duration next, Duration took, boolean recorded) {
    InboxDelivery d = leased.delivery();
    return new AttemptAudit(d.receivedAt(), d.endpoint(), d.provider(), d.eventId(), d.eventType(), d.id(),
        d.attempt(), outcome, errorClass, next, took, recorded);
  }

  private void emit(AttemptAudit audit) {
    for (DeliveryAuditListener listener : listeners) {
      try {
        listener.attempted(audit);
      } catch (RuntimeException e) {
        // An audit sink's failure must not change an attempt's outcome.
      }
    }
  }

  private void purgeQuietly() {
    try {
      purgeDone();
    } catch (RuntimeException e) {
      storeErrors.increment(); // next time
    }
  }

  /**
   * Deletes deliveries done longer ago than the retention, in batches of {@value #PURGE_BATCH}
   * until none is left (the background task calls this every purge interval).
   *
   * @return how many were deleted
   * @throws InboxStoreException when the store cannot answer
   */
  public int purgeDone() {
    Instant before = clock.instant().minus(retention);
    int total = 0;
    int batch;
    do {
      batch = store.purgeDone(before, PURGE_BATCH);
      total += batch;
    } while (batch == PURGE_BATCH && !stopping);
    return total;
  }

  /**
   * Looks a stored delivery up.
   *
   * @param id the id
   * @param withBody whether to include the body (only when the caller explicitly needs it)
   * @return the delivery, if stored
   * @throws InboxStoreException when the store cannot answer
   */
  public Optional<InboxEntry> find(long id, boolean withBody) {
    return store.find(id, withBody);
  }

  /**
   * Lists dead letters without bodies, in the order they were stored.
   *
   * @param filter which
   * @param limit the most to list
   * @return the dead letters
   * @throws InboxStoreException when the store cannot answer
   */
  public List<InboxEntry> deadLetters(DeadLetterFilter filter, int limit) {
    return store.deadLetters(filter, limit);
  }

  /**
   * Puts a dead letter back to be processed at once, with a fresh count of attempts.
   *
   * @param id the id
   * @return whether there was such a dead letter
   * @throws InboxStoreException when the store cannot answer
   */
  public boolean replay(long id) {
    boolean replayedOne = store.replay(id);
    if (replayedOne) {
      replayed.increment();
      wake();
    }
    return replayedOne;
  }

  /**
   * Puts every matching dead letter back to be processed.
   *
   * @param filter which
   * @return how many
   * @throws InboxStoreException when the store cannot answer
   */
  public int replay(DeadLetterFilter filter) {
    int count = store.replay(filter);
    replayed.add(count);
    if (count > 0) {
      wake();
    }
    return count;
  }

  private void wake() {
    if (started) {
      wakeUps.release(Math.max(0, workerCount - wakeUps.availablePermits()));
    }
  }

  /**
   * Deletes matching dead letters.
   *
   * @param filter which
   * @return how many
   * @throws InboxStoreException when the store cannot answer
   */
  public int purgeDeadLetters(DeadLetterFilter filter) {
    return store.purgeDeadLetters(filter);
  }

  /**
   * Counts stored deliveries by state.
   *
   * @return a count per state
   * @throws InboxStoreException when the store cannot answer
   */
  public Map<InboxState, Long> depth() {
    return new LinkedHashMap<>(store.depth());
  }

  /**
   * How long the longest-waiting due delivery has waited for a worker: a lag of the workers.
   *
   * @return the age, or empty when nothing is waiting
   * @throws InboxStoreException when the store cannot answer
   */
  public Optional<Duration> oldestReadyAge() {
    return store.oldestReadySince().map(since -> {
      Duration age = Duration.between(since, clock.instant());
      return age.isNegative() ? Duration.ZERO : age;
    });
  }

  /** @return how many deliveries were replayed through this inbox */
  public long replayed() {
    return replayed.sum();
  }

  /**
   * How many outcomes this instance could not record because the lease was no longer its own
   * (it ran out; another worker may have run the handler too) or the store failed.
   *
   * @return the count
   */
  public long lostLeases() {
    return lostLeases.sum();
  }

  /** @return how many store calls failed (receipts answered 503, takes that backed off, …) */
  public long storeErrors() {
    return storeErrors.sum();
  }

  /** @return how many handlers are running in this instance now */
  public int inFlight() {
    return running.size();
  }

  /**
   * Shuts down gracefully: stops taking work, waits up to the shutdown timeout for running
   * handlers, then releases the leases of those still running and interrupts them. Stored
   * deliveries stay stored. Idempotent.
   */
  @Override
  public void close() {
    List<Thread> threads;
    ScheduledExecutorService tasks;
    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      stopping = true;
      threads = List.copyOf(workers);
      tasks = scheduler;
    }
    wakeUps.release(workerCount); // idle workers see the stop at once
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    for (Thread worker : threads) {
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Running run : List.copyOf(running.values())) {
      run.released = true;
      releaseQuietly(run.lease);
      run.thread.interrupt();
    }
    for (Thread worker : threads) {
      worker.interrupt();
    }
    if (tasks != null) {
      tasks.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "Inbox[" + endpoints + ", " + workerCount + " workers, " + store + "]";
  }

  private static final class Running {
    final InboxLease lease;
    final Thread thread;
    volatile boolean released;

    Running(InboxLease lease, Thread thread) {
      this.lease = lease;
      this.thread = thread;
    }
  }

  /** Configures an {@link Inbox}; every setter checks its value at once. */
  public static final class Builder {
    private final InboxStore store;
    private final Map<String, InboxHandler> handlers = new LinkedHashMap<>();
    private int workers = 2;
    private Duration lease = Duration.ofMinutes(1);
    private Duration pollInterval = Duration.ofSeconds(1);
    private RetryPolicy retry = RetryPolicy.defaults();
    private long maxBacklog = 100_000;
    private Duration backlogCheckInterval = Duration.ofSeconds(1);
    private Duration retention = Duration.ofHours(72);
    private Duration purgeInterval = Duration.ofMinutes(10);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration outageRetryAfter = Duration.ofSeconds(5);
    private final List<DeliveryAuditListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder(InboxStore store) {
      this.store = requireNonNull(store, "store");
    }

    /**
     * The handler of one endpoint's deliveries.
     *
     * @param endpoint the endpoint's name ({@code WebhookEndpoint.name()})
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException when the endpoint has a handler already
     */
    public Builder handler(String endpoint, InboxHandler handler) {
      requireNonNull(endpoint, "endpoint");
      requireNonNull(handler, "handler");
      if (handlers.putIfAbsent(endpoint, handler) != null) {
        throw new IllegalArgumentException("endpoint '" + endpoint + "' has a handler already");
      }
      return this;
    }

    /**
     * How many worker threads this instance runs.
     *
     * @param workers at least 1, 2 by default
     * @return this builder
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1: " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * How long a worker holds a delivery before another may take it over: the longest a crashed
     * instance's work waits. Extended every third of it while the handler runs.
     *
     * @param lease at least 1 s, 1 min by default
     * @return this builder
     */
    public Builder lease(Duration lease) {
      if (requireNonNull(lease, "lease").compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lease must be at least 1 s: " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * How often an idle worker looks for deliveries stored by other instances or due for retry.
     *
     * @param pollInterval a positive duration, 1 s by default
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /**
     * When failed deliveries are tried again, and when they become dead letters.
     *
     * @param retry the policy, {@link RetryPolicy#defaults()} by default
     * @return this builder
     */
    public Builder retry(RetryPolicy retry) {
      this.retry = requireNonNull(retry, "retry");
      return this;
    }

    /**
     * The most ready and in-flight deliveries; past it, receipts are refused with 503 and
     * {@code Retry-After}. Checked against the store's count, refreshed at most every
     * {@link #backlogCheckInterval}, plus this instance's receipts since.
     *
     * @param maxBacklog a positive count, 100,000 by default
     * @return this builder
     */
    public Builder maxBacklog(long maxBacklog) {
      if (maxBacklog < 1) {
        throw new IllegalArgumentException("maxBacklog must be positive: " + maxBacklog);
      }
      this.maxBacklog = maxBacklog;
      return this;
    }

    /**
     * Receipts are never refused for the backlog's size.
     *
     * @return this builder
     */
    public Builder unboundedBacklog() {
      this.maxBacklog = Long.MAX_VALUE;
      return this;
    }

    /**
     * How old the backlog count may be.
     *
     * @param interval a positive duration, 1 s by default
     * @return this builder
     */
    public Builder backlogCheckInterval(Duration interval) {
      this.backlogCheckInterval = positive(interval, "backlogCheckInterval");
      return this;
    }

    /**
     * How long done deliveries are kept, so that a sender's retry is still a duplicate; use the
     * sender's retry horizon (as for dedup).
     *
     * @param retention a positive duration, 72 h by default
     * @return this builder
     */
    public Builder retention(Duration retention) {
      this.retention = positive(retention, "retention");
      return this;
    }

    /**
     * How often done deliveries past the retention are purged.
     *
     * @param purgeInterval a positive duration, 10 min by default
     * @return this builder
     */
    public Builder purgeInterval(Duration purgeInterval) {
      this.purgeInterval = positive(purgeInterval, "purgeInterval");
      return this;
    }

    /**
     * How long {@link Inbox#close()} waits for running handlers.
     *
     * @param shutdownTimeout zero or more, 30 s by default
     * @return this builder
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      if (requireNonNull(shutdownTimeout, "shutdownTimeout").isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
      }
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    /**
     * The {@code Retry-After} of receipts refused because the store is down or the backlog full.
     *
     * @param retryAfter a positive duration, 5 s by default
     * @return this builder
     */
    public Builder outageRetryAfter(Duration retryAfter) {
      this.outageRetryAfter = positive(retryAfter, "outageRetryAfter");
      return this;
    }

    /**
     * Adds a listener of every attempt ({@link DeliveryAuditListener#attempted}); receipts are
     * audited by the delivery lifecycle's listeners.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DeliveryAuditListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock of retry ages, purge bounds and the oldest ready age (the store has its own for
     * leases and due times; give both the same one in tests).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes the inbox; {@link Inbox#start()} starts its workers.
     *
     * @return the inbox
     * @throws IllegalStateException without any handler
     */
    public Inbox build() {
      if (handlers.isEmpty()) {
        throw new IllegalStateException("an inbox needs a handler for at least one endpoint");
      }
      return new Inbox(this);
    }

  }
}
