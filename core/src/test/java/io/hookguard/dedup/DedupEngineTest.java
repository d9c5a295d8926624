package io.hookguard.dedup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DedupEngineTest {
  private static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes(UTF_8);
  private final CaffeineDedupStore store = CaffeineDedupStore.create();
  private final AtomicInteger runs = new AtomicInteger();

  private DedupOutcome<Integer> deliver(DedupEngine engine, String eventId, byte[] body, int status)
      throws Exception {
    return engine.process("/hooks", "stripe", eventId, body, () -> {
      runs.incrementAndGet();
      return status;
    }, s -> s < 300);
  }

  /** A store that is down: every call fails as a real client's would. */
  static class DownStore implements DedupStore {
    private final DedupStore delegate;
    boolean down = true;
    boolean failCompletion;

    DownStore(DedupStore delegate) {
      this.delegate = delegate;
    }

    private void check() {
      if (down) {
        throw new DedupStoreException("store unreachable", new java.net.ConnectException());
      }
    }

    @Override
    public ClaimResult claim(String key, String fingerprint, Duration lease) {
      check();
      return delegate.claim(key, fingerprint, lease);
    }

    @Override
    public boolean complete(String key, String token, Duration retention) {
      if (failCompletion) {
        throw new DedupStoreException("write failed", new java.net.SocketTimeoutException());
      }
      check();
      return delegate.complete(key, token, retention);
    }

    @Override
    public boolean release(String key, String token) {
      check();
      return delegate.release(key, token);
    }

    @Override
    public boolean extend(String key, String token, Duration lease) {
      check();
      return delegate.extend(key, token, lease);
    }
  }

  @Test
  void firstDeliveryRunsAndARetryIsAcknowledgedWithoutRunning() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).build();

    assertThat(deliver(engine, "evt_1", BODY, 200)).isEqualTo(new DedupOutcome.Processed<>(200, true, true));
    assertThat(deliver(engine, "evt_1", BODY, 200)).isInstanceOf(DedupOutcome.Duplicate.class);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aFailedHandlerIsReleasedSoTheRetryRuns() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).build();

    assertThat(deliver(engine, "evt_1", BODY, 500)).isEqualTo(new DedupOutcome.Processed<>(500, false, true));
    assertThatThrownBy(() -> engine.process("/hooks", "stripe", "evt_1", BODY, () -> {
      runs.incrementAndGet();
      throw new IllegalStateException("boom");
    }, s -> true)).hasMessage("boom");
    assertThat(deliver(engine, "evt_1", BODY, 200)).isInstanceOf(DedupOutcome.Processed.class);
    assertThat(deliver(engine, "evt_1", BODY, 200)).isInstanceOf(DedupOutcome.Duplicate.class);
    assertThat(runs).hasValue(3);
  }

  @Test
  void sameIdWithAnotherBodyIsAMismatch() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).build();
    deliver(engine, "evt_1", BODY, 200);

    assertThat(deliver(engine, "evt_1", "{\"id\":\"evt_1\",\"x\":1}".getBytes(UTF_8), 200))
        .isInstanceOf(DedupOutcome.FingerprintMismatch.class);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aDuplicateWhileTheFirstRunsIsToldToRetryOrWaitsForTheOutcome() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    DedupEngine rejecting = DedupEngine.builder(store).build();
    DedupEngine waiting = DedupEngine.builder(store).waitForInProgress(Duration.ofSeconds(5)).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<DedupOutcome<Integer>> first = pool.submit(() -> rejecting.process("/hooks", "stripe",
          "evt_slow", BODY, () -> {
            inHandler.countDown();
            finish.await();
            return 200;
          }, s -> s < 300));
      assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();

      DedupOutcome<Integer> rejected = deliver(rejecting, "evt_slow", BODY, 200);
      assertThat(rejected).isInstanceOf(DedupOutcome.InProgress.class);
      assertThat(((DedupOutcome.InProgress<Integer>) rejected).retryAfter())
          .isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5));

      new Thread(() -> {
        sleep(150);
        finish.countDown();
      }).start();
      assertThat(deliver(waiting, "evt_slow", BODY, 200)).isInstanceOf(DedupOutcome.Duplicate.class);
      assertThat(first.get(5, TimeUnit.SECONDS)).isInstanceOf(DedupOutcome.Processed.class);
      assertThat(runs).hasValue(0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void missingEventIdIsRejectedOrRunAsConfigured() throws Exception {
    assertThat(deliver(DedupEngine.builder(store).build(), null, BODY, 200))
        .isInstanceOf(DedupOutcome.MissingEventId.class);
    assertThat(runs).hasValue(0);

    assertThat(deliver(DedupEngine.builder(store).runWithoutEventId().build(), null, BODY, 200))
        .isEqualTo(new DedupOutcome.ProcessedWithoutDedup<>(200, DedupOutcome.Reason.NO_EVENT_ID));
    assertThat(runs).hasValue(1);
  }

  @Test
  void storeOutageFailsClosedByDefaultAndOpenWhenAsked() throws Exception {
    DownStore down = new DownStore(store);
    DedupEngine closed = DedupEngine.builder(down).outageRetryAfter(Duration.ofSeconds(7)).build();
    DedupEngine open = DedupEngine.builder(down).failOpen().build();

    assertThat(deliver(closed, "evt_1", BODY, 200))
        .isEqualTo(new DedupOutcome.StoreUnavailable<>(Duration.ofSeconds(7)));
    assertThat(runs).hasValue(0);
    assertThat(deliver(open, "evt_1", BODY, 200))
        .isEqualTo(new DedupOutcome.ProcessedWithoutDedup<>(200, DedupOutcome.Reason.STORE_UNAVAILABLE));
    assertThat(open.failOpenRuns()).isEqualTo(1);

    down.down = false;
    assertThat(deliver(closed, "evt_1", BODY, 200)).isInstanceOf(DedupOutcome.Processed.class);
    assertThat(deliver(closed, "evt_1", BODY, 200)).isInstanceOf(DedupOutcome.Duplicate.class);
    assertThat(runs).hasValue(2);
  }

  @Test
  void aFailedCompletionLeavesTheSuccessStandingAndCountsIt() throws Exception {
    DownStore flaky = new DownStore(store);
    flaky.down = false;
    flaky.failCompletion = true;
    DedupEngine engine = DedupEngine.builder(flaky).build();

    assertThat(deliver(engine, "evt_1", BODY, 200)).isEqualTo(new DedupOutcome.Processed<>(200, true, false));
    assertThat(engine.unrecordedOutcomes()).isEqualTo(1);
  }

  @Test
  void heartbeatKeepsALongHandlersClaimPastItsLease() throws Exception {
    DedupEngine engine = DedupEngine.builder(store)
        .lease(Duration.ofMillis(400)).heartbeat(Duration.ofMillis(100)).build();
    DedupEngine withoutHeartbeat = DedupEngine.builder(store).lease(Duration.ofMillis(400)).build();
    CountDownLatch running = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<DedupOutcome<Integer>> slow = pool.submit(() -> engine.process("/hooks", "stripe", "evt_long",
          BODY, () -> {
            running.countDown();
            sleep(1_200);
            return 200;
          }, s -> s < 300));
      running.await();
      sleep(800);

      // Twice the lease has passed; only the heartbeat keeps the claim.
      assertThat(deliver(engine, "evt_long", BODY, 200)).isInstanceOf(DedupOutcome.InProgress.class);
      assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo(new DedupOutcome.Processed<>(200, true, true));
      assertThat(engine.lostLeases()).isZero();
    } finally {
      pool.shutdownNow();
    }

    // The same timeline without a heartbeat lets the duplicate in while the first still runs.
    withoutHeartbeat.process("/hooks", "stripe", "evt_short", BODY, () -> {
      sleep(800);
      assertThat(deliver(withoutHeartbeat, "evt_short", BODY, 200)).isInstanceOf(DedupOutcome.Processed.class);
      return 200;
    }, s -> s < 300);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aHeartbeatThatFindsTheClaimGoneStopsAndCountsIt() throws Exception {
    AtomicInteger extends_ = new AtomicInteger();
    DedupStore losing = new DownStore(store) {
      @Override
      public boolean extend(String key, String token, Duration lease) {
        extends_.incrementAndGet();
        return false;
      }
    };
    ((DownStore) losing).down = false;
    DedupEngine engine = DedupEngine.builder(losing)
        .lease(Duration.ofSeconds(1)).heartbeat(Duration.ofMillis(50)).build();

    engine.process("/hooks", "stripe", "evt_lost", BODY, () -> {
      sleep(400);
      return 200;
    }, s -> s < 300);

    assertThat(engine.lostLeases()).isEqualTo(1);
    assertThat(extends_).hasValue(1);
  }

  @Test
  void admitAndFinishSplitTheRunForHandlersThatCompleteLater() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).build();

    Admission first = engine.admit("/hooks", "stripe", "evt_async", BODY);
    assertThat(first).isInstanceOf(Admission.Run.class);
    DedupClaim claim = ((Admission.Run) first).claim();
    assertThat(claim.withoutDedup()).isEmpty();
    Admission duplicate = engine.admit("/hooks", "stripe", "evt_async", BODY);
    assertThat(duplicate).isInstanceOf(Admission.Refuse.class);
    assertThat(((Admission.Refuse) duplicate).outcome()).isInstanceOfSatisfying(DedupOutcome.InProgress.class,
        inProgress -> assertThat(inProgress.retryAfter()).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5)));

    assertThat(claim.finish(true)).isTrue();
    assertThat(claim.finish(false)).as("finishing twice does nothing").isFalse();
    assertThat(engine.admit("/hooks", "stripe", "evt_async", BODY))
        .isEqualTo(new Admission.Refuse(new DedupOutcome.Duplicate<>()));
    assertThat(engine.unrecordedOutcomes()).isZero();

    Admission failed = engine.admit("/hooks", "stripe", "evt_async_failed", BODY);
    assertThat(((Admission.Run) failed).claim().finish(false)).isTrue();
    assertThat(engine.admit("/hooks", "stripe", "evt_async_failed", BODY)).isInstanceOf(Admission.Run.class);

    DedupEngine lenient = DedupEngine.builder(store).runWithoutEventId().build();
    DedupClaim unclaimed = ((Admission.Run) lenient.admit("/hooks", "stripe", null, BODY)).claim();
    assertThat(unclaimed.withoutDedup()).contains(DedupOutcome.Reason.NO_EVENT_ID);
    assertThat(unclaimed.finish(true)).isFalse();
    assertThat(lenient.unrecordedOutcomes()).isZero();
  }

  @Test
  void heartbeatMustBeShorterThanTheLease() {
    assertThatThrownBy(() -> DedupEngine.builder(store).lease(Duration.ofSeconds(30))
        .heartbeat(Duration.ofSeconds(30)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heartbeat");
  }

  @Test
  void keysAreNamespacedAndOddIdsAreHashed() {
    DedupEngine engine = DedupEngine.builder(store).keyPrefix("app:").build();

    assertThat(engine.key("/hooks", "stripe", "evt_1")).isEqualTo("app:/hooks:stripe:evt_1");
    assertThat(engine.key("/hooks", "github", "evt_1")).isNotEqualTo(engine.key("/hooks", "stripe", "evt_1"));
    assertThat(engine.key("/a", "stripe", "b:c")).isNotEqualTo(engine.key("/a:b", "stripe", "c"));
    assertThat(engine.key("/hooks", "stripe", "x".repeat(10_000))).hasSizeLessThan(100)
        .contains(":sha256-");
    assertThat(engine.key("/hooks", "stripe", "caf\u00e9 id")).matches("app:/hooks:stripe:sha256-[0-9a-f]{64}");
  }

  @Test
  void fiftyConcurrentIdenticalDeliveriesRunTheHandlerOnce() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).build();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<DedupOutcome<Integer>>> outcomes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        outcomes.add(pool.submit(() -> {
          start.await();
          return engine.process("/hooks", "stripe", "evt_burst", BODY, () -> {
            runs.incrementAndGet();
            sleep(50);
            return 200;
          }, s -> s < 300);
        }));
      }
      start.countDown();
      for (Future<DedupOutcome<Integer>> outcome : outcomes) {
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOfAny(DedupOutcome.Processed.class,
            DedupOutcome.InProgress.class, DedupOutcome.Duplicate.class);
      }
      assertThat(runs).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anEmptyOrBlankEventIdIsMissingNeverAKey() throws Exception {
    CountingStore counting = new CountingStore(store);
    DedupEngine strict = DedupEngine.builder(counting).build();
    DedupEngine lenient = DedupEngine.builder(counting).runWithoutEventId().build();

    for (String blank : List.of("", " ", "   ", "\t", "\r\n")) {
      assertThat(deliver(strict, blank, BODY, 200)).as("[%s]", blank)
          .isInstanceOf(DedupOutcome.MissingEventId.class);
      // Run twice without dedup: never deduplicated under an empty (or blank) key.
      assertThat(deliver(lenient, blank, BODY, 200)).as("[%s]", blank)
          .isEqualTo(new DedupOutcome.ProcessedWithoutDedup<>(200, DedupOutcome.Reason.NO_EVENT_ID));
      assertThat(deliver(lenient, blank, BODY, 200)).as("[%s]", blank)
          .isEqualTo(new DedupOutcome.ProcessedWithoutDedup<>(200, DedupOutcome.Reason.NO_EVENT_ID));
    }
    assertThat(runs).hasValue(10);
    assertThat(counting.claims).as("the store is never asked").hasValue(0);
    assertThat(lenient.unrecordedOutcomes()).isZero();
  }

  @Test
  void aLeaseLostBeforeCompletionIsCountedAsUnrecorded() throws Exception {
    AtomicLong nanos = new AtomicLong();
    CaffeineDedupStore timed = CaffeineDedupStore.builder().ticker(nanos::get).build();
    DedupEngine engine = DedupEngine.builder(timed).lease(Duration.ofSeconds(1)).build();

    DedupOutcome<Integer> outcome = engine.process("/hooks", "stripe", "evt_slow", BODY, () -> {
      nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // the handler outlives its lease
      return 200;
    }, s -> s < 300);

    assertThat(outcome).isEqualTo(new DedupOutcome.Processed<>(200, true, false));
    assertThat(engine.unrecordedOutcomes()).isEqualTo(1);
    // Not recorded: the retry runs (at-least-once), it is not acknowledged as a duplicate.
    assertThat(engine.admit("/hooks", "stripe", "evt_slow", BODY)).isInstanceOf(Admission.Run.class);
  }

  @Test
  void aLeaseTakenOverBeforeReleaseIsCountedAsUnrecordedAndLeavesTheNewHolder() throws Exception {
    AtomicLong nanos = new AtomicLong();
    CaffeineDedupStore timed = CaffeineDedupStore.builder().ticker(nanos::get).build();
    DedupEngine engine = DedupEngine.builder(timed).lease(Duration.ofSeconds(1)).build();

    DedupClaim first = ((Admission.Run) engine.admit("/hooks", "stripe", "evt_x", BODY)).claim();
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    DedupClaim second = ((Admission.Run) engine.admit("/hooks", "stripe", "evt_x", BODY)).claim();

    assertThat(first.finish(false)).isFalse();
    assertThat(engine.unrecordedOutcomes()).isEqualTo(1);
    assertThat(engine.admit("/hooks", "stripe", "evt_x", BODY))
        .as("the new holder's claim stands").isInstanceOf(Admission.Refuse.class);
    assertThat(second.finish(true)).isTrue();
    assertThat(engine.unrecordedOutcomes()).isEqualTo(1);
  }

  @Test
  void aStoreThatRefusesCompleteOrReleaseIsCountedEachTime() throws Exception {
    DedupStore refusing = new CountingStore(store) {
      @Override
      public boolean complete(String key, String token, Duration retention) {
        return false;
      }

      @Override
      public boolean release(String key, String token) {
        return false;
      }
    };
    DedupEngine engine = DedupEngine.builder(refusing).build();

    assertThat(deliver(engine, "evt_c", BODY, 200)).isEqualTo(new DedupOutcome.Processed<>(200, true, false));
    assertThat(engine.unrecordedOutcomes()).isEqualTo(1);
    assertThat(deliver(engine, "evt_r", BODY, 500)).isEqualTo(new DedupOutcome.Processed<>(500, false, false));
    assertThat(engine.unrecordedOutcomes()).isEqualTo(2);
    assertThatThrownBy(() -> engine.process("/hooks", "stripe", "evt_t", BODY, () -> {
      throw new IllegalStateException("handler failed");
    }, s -> true)).hasMessage("handler failed");
    assertThat(engine.unrecordedOutcomes()).isEqualTo(3);
  }

  /** Delegates to a real store and counts the claims it is asked for. */
  static class CountingStore implements DedupStore {
    private final DedupStore delegate;
    final AtomicInteger claims = new AtomicInteger();

    CountingStore(DedupStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public ClaimResult claim(String key, String fingerprint, Duration lease) {
      claims.incrementAndGet();
      return delegate.claim(key, fingerprint, lease);
    }

    @Override
    public boolean complete(String key, String token, Duration retention) {
      return delegate.complete(key, token, retention);
    }

    @Override
    public boolean release(String key, String token) {
      return delegate.release(key, token);
    }

    @Override
    public boolean extend(String key, String token, Duration lease) {
      return delegate.extend(key, token, lease);
    }
  }

  @Test
  void anInProgressAnswerAsksForAtLeastOneSecond() throws Exception {
    AtomicLong nanos = new AtomicLong();
    CaffeineDedupStore timed = CaffeineDedupStore.builder().ticker(nanos::get).build();
    DedupEngine engine = DedupEngine.builder(timed).lease(Duration.ofSeconds(2)).build();
    engine.admit("/hooks", "stripe", "evt_p", BODY);

    nanos.addAndGet(Duration.ofMillis(1_700).toNanos());
    assertThat(engine.admit("/hooks", "stripe", "evt_p", BODY))
        .isEqualTo(new Admission.Refuse(new DedupOutcome.InProgress<>(Duration.ofSeconds(1))));
    nanos.addAndGet(-Duration.ofMillis(700).toNanos()); // exactly one second left
    assertThat(engine.admit("/hooks", "stripe", "evt_p", BODY))
        .isEqualTo(new Admission.Refuse(new DedupOutcome.InProgress<>(Duration.ofSeconds(1))));
    nanos.addAndGet(-Duration.ofMillis(500).toNanos()); // 1.5 s left
    assertThat(engine.admit("/hooks", "stripe", "evt_p", BODY))
        .isEqualTo(new Admission.Refuse(new DedupOutcome.InProgress<>(Duration.ofMillis(1_500))));
  }

  @Test
  void idsUpTo128PrintableCharactersStayReadable() {
    DedupEngine engine = DedupEngine.builder(store).keyPrefix("p:").build();

    assertThat(engine.key("/h", "s", "x".repeat(128))).isEqualTo("p:/h:s:" + "x".repeat(128));
    assertThat(engine.key("/h", "s", "x".repeat(129))).matches("p:/h:s:sha256-[0-9a-f]{64}");
    assertThat(engine.key("/h", "s", "!~")).isEqualTo("p:/h:s:!~");
    for (String odd : List.of("a b", "a\u007fb", "a\u001fb", "sha256-abc", "a:b")) {
      assertThat(engine.key("/h", "s", odd)).as(odd).matches("p:/h:s:sha256-[0-9a-f]{64}");
    }
    assertThat(engine.key("/h", "s", "a b")).isNotEqualTo(engine.key("/h", "s", "a\u007fb"));
  }

  @Test
  void aFinishedClaimsHeartbeatStops() throws Exception {
    AtomicInteger extendsAfterFinish = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    DedupStore counting = new CountingStore(store) {
      @Override
      public boolean extend(String key, String token, Duration lease) {
        if (finished.get()) {
          extendsAfterFinish.incrementAndGet();
        }
        return super.extend(key, token, lease);
      }
    };
    DedupEngine engine = DedupEngine.builder(counting)
        .lease(Duration.ofSeconds(5)).heartbeat(Duration.ofMillis(20)).build();

    DedupClaim claim = ((Admission.Run) engine.admit("/hooks", "stripe", "evt_hb", BODY)).claim();
    sleep(100);
    assertThat(claim.finish(true)).isTrue();
    finished.set(true);
    sleep(200);

    assertThat(extendsAfterFinish).hasValue(0);
    assertThat(engine.lostLeases()).isZero();
  }

  @Test
  void durationsMustBePositive() {
    for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> DedupEngine.builder(store).lease(bad)).hasMessageContaining("lease must be positive");
      assertThatThrownBy(() -> DedupEngine.builder(store).retention(bad)).hasMessageContaining("retention must be positive");
      assertThatThrownBy(() -> DedupEngine.builder(store).waitForInProgress(bad)).hasMessageContaining("must be positive");
      assertThatThrownBy(() -> DedupEngine.builder(store).outageRetryAfter(bad)).hasMessageContaining("must be positive");
      assertThatThrownBy(() -> DedupEngine.builder(store).heartbeat(bad)).hasMessageContaining("must be positive");
    }
  }

  /** A clock that moves only when the engine sleeps, recording each sleep. */
  static final class FakeTime implements DedupEngine.Time {
    long nanos = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return nanos;
    }

    @Override
    public void sleep(long millis) {
      sleeps.add(millis);
      nanos += millis * 1_000_000;
    }
  }

  @Test
  void theWaitForAnInProgressDuplicateBacksOffAndEndsExactlyAtItsLimit() throws Exception {
    FakeTime time = new FakeTime();
    CountingStore counting = new CountingStore(store);
    DedupEngine engine = DedupEngine.builder(counting).waitForInProgress(Duration.ofMillis(1_000))
        .time(time).build();
    engine.admit("/hooks", "stripe", "evt_w", BODY); // held, never finished

    assertThat(engine.admit("/hooks", "stripe", "evt_w", BODY)).isInstanceOfSatisfying(Admission.Refuse.class,
        refuse -> assertThat(refuse.outcome()).isInstanceOf(DedupOutcome.InProgress.class));
    // Doubling from 10 ms, capped at 200 ms, the last sleep cut to what is left of the second.
    assertThat(time.sleeps).containsExactly(10L, 20L, 40L, 80L, 160L, 200L, 200L, 200L, 90L);
    assertThat(counting.claims).hasValue(1 + 1 + time.sleeps.size());
  }

  @Test
  void theWaitSleepsAtLeastOneMillisecond() throws Exception {
    FakeTime time = new FakeTime();
    DedupEngine engine = DedupEngine.builder(store).waitForInProgress(Duration.ofNanos(500_000))
        .time(time).build();
    engine.admit("/hooks", "stripe", "evt_n", BODY);

    engine.admit("/hooks", "stripe", "evt_n", BODY);

    assertThat(time.sleeps).containsExactly(1L);
  }

  @Test
  void theRealWaitSleepsBetweenClaimsAndGivesUpAtItsLimit() throws Exception {
    CountingStore counting = new CountingStore(store);
    DedupEngine engine = DedupEngine.builder(counting).waitForInProgress(Duration.ofMillis(60)).build();
    engine.admit("/hooks", "stripe", "evt_real", BODY); // held, never finished
    long start = System.nanoTime();

    assertThat(engine.admit("/hooks", "stripe", "evt_real", BODY)).isInstanceOfSatisfying(Admission.Refuse.class,
        refuse -> assertThat(refuse.outcome()).isInstanceOf(DedupOutcome.InProgress.class));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(60).toNanos());
    // 10, 20, then the 30 ms left: a few claims, not a busy loop.
    assertThat(counting.claims.get()).isBetween(3, 12);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
