package io.hookguard.inbox;

import io.hookguard.internal.Sha256;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.delivery.AttemptAudit;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.delivery.DeliveryAuditListener;
import io.hookguard.internal.EventKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The inbox's workers on real threads over the in-memory store. */
class InboxTest {
  private final InMemoryInboxStore store = InMemoryInboxStore.create();
  private final List<AttemptAudit> attempts = new CopyOnWriteArrayList<>();
  private final DeliveryAuditListener listener = new DeliveryAuditListener() {
    @Override
    public void delivered(DeliveryAudit audit) {}

    @Override
    public void attempted(AttemptAudit attempt) {
      attempts.add(attempt);
    }
  };
  private Inbox inbox;

  @AfterEach
  void close() {
    if (inbox != null) {
      inbox.close();
    }
  }

  static ReceivedDelivery delivery(String endpoint, String eventId, String body) {
    byte[] bytes = body.getBytes(UTF_8);
    return new ReceivedDelivery(endpoint, "stripe", eventId, "order.paid", "application/json", bytes, Instant.now(),
        "192.0.2.1", EventKeys.eventKey("hookguard:", endpoint, "stripe", eventId), null, Sha256.hex(bytes));
  }

  private static RetryPolicy fast(int attempts) {
    return RetryPolicy.builder().initialDelay(Duration.ofMillis(20)).maxDelay(Duration.ofMillis(40)).jitter(0)
        .maxAttempts(attempts).build();
  }

  static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aDeliveryStoredHereIsPickedUpAtOnceNotAtTheNextPoll() throws Exception {
    CountDownLatch handled = new CountDownLatch(2);
    inbox = Inbox.builder(store).handler("orders", d -> handled.countDown()).pollInterval(Duration.ofSeconds(30))
        .listener(listener)
        .build().start();
    Thread.sleep(100); // the workers' first look found nothing: they now wait for 30 s
    inbox.accept(delivery("orders", "evt_wake_1", "{}"));
    inbox.accept(delivery("orders", "evt_wake_2", "{}"));

    assertThat(handled.await(2, TimeUnit.SECONDS)).isTrue();
    await(() -> store.depth().get(InboxState.DONE) == 2 && attempts.size() == 2, Duration.ofSeconds(2));
    assertThat(attempts).hasSize(2).allSatisfy(a -> {
      assertThat(a.outcome()).isEqualTo(DeliveryAudit.Outcome.PROCESSED);
      assertThat(a.recorded()).isTrue();
      assertThat(a.attempt()).isEqualTo(1);
    });
  }

  @Test
  void aFailingDeliveryIsRetriedWithItsErrorRecordedUntilItSucceeds() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    inbox = Inbox.builder(store).handler("orders", d -> {
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("downstream\nsaid no " + "x".repeat(2000));
      }
    }).retry(fast(5)).pollInterval(Duration.ofMillis(10)).listener(listener).build().start();
    long id = ((Acceptance.Stored) inbox.accept(delivery("orders", "evt_flaky", "{\"secret\":\"body\"}"))).id();

    // The audit follows the store's record: wait for both.
    await(() -> store.find(id, false).orElseThrow().state() == InboxState.DONE && attempts.size() == 3,
        Duration.ofSeconds(5));
    InboxEntry entry = store.find(id, false).orElseThrow();
    assertThat(entry.attempts()).isEqualTo(3);
    assertThat(entry.lastError()).startsWith("java.lang.IllegalStateException: downstream said no xxx")
        .hasSize(Inbox.MAX_ERROR_LENGTH).doesNotContain("secret").doesNotContain("\n");
    assertThat(attempts).extracting(AttemptAudit::outcome).containsExactly(DeliveryAudit.Outcome.FAILED,
        DeliveryAudit.Outcome.FAILED, DeliveryAudit.Outcome.PROCESSED);
    assertThat(attempts.get(0).errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(attempts.get(0).nextAttempt()).contains(Duration.ofMillis(20));
  }

  @Test
  void aPoisonDeliveryIsDeadLetteredWithoutDelayingTheOthers() throws Exception {
    Map<String, Integer> handled = new ConcurrentHashMap<>();
    inbox = Inbox.builder(store).handler("orders", d -> {
      handled.merge(d.eventId(), 1, Integer::sum);
      if (d.eventId().equals("evt_poison")) {
        throw new IllegalArgumentException("cannot parse");
      }
    }).workers(1).retry(RetryPolicy.builder().initialDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(1))
            .jitter(0).maxAttempts(3).build())
        .pollInterval(Duration.ofMillis(10)).listener(listener).build();
    long poison = ((Acceptance.Stored) inbox.accept(delivery("orders", "evt_poison", "{}"))).id();
    for (int i = 0; i < 20; i++) {
      inbox.accept(delivery("orders", "evt_ok_" + i, "{}"));
    }
    inbox.start();

    // One worker: the twenty others are all done while the poison waits for its first retry.
    await(() -> store.depth().get(InboxState.DONE) == 20, Duration.ofMillis(900));
    await(() -> store.depth().get(InboxState.DEAD) == 1 && attempts.size() == 23, Duration.ofSeconds(5));
    assertThat(handled.get("evt_poison")).isEqualTo(3);
    assertThat(inbox.deadLetters(DeadLetterFilter.all(), 10)).singleElement().satisfies(dead -> {
      assertThat(dead.id()).isEqualTo(poison);
      assertThat(dead.attempts()).isEqualTo(3);
      assertThat(dead.lastError()).isEqualTo("java.lang.IllegalArgumentException: cannot parse");
    });
    assertThat(attempts).filteredOn(a -> a.deliveryId() == poison).extracting(AttemptAudit::outcome)
        .containsExactly(DeliveryAudit.Outcome.FAILED, DeliveryAudit.Outcome.FAILED,
            DeliveryAudit.Outcome.DEAD_LETTERED);

    assertThat(inbox.replay(poison)).isTrue();
    await(() -> handled.get("evt_poison") == 4, Duration.ofSeconds(2));
  }

  @Test
  void aCrashedWorkersDeliveryIsTakenOverWhenItsLeaseRunsOut() throws Exception {
    inbox = Inbox.builder(store).handler("orders", d -> {}).lease(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20)).listener(listener).build();
    long id = ((Acceptance.Stored) inbox.accept(delivery("orders", "evt_crash", "{}"))).id();
    // A worker elsewhere took it and died: nobody finishes this lease.
    InboxLease crashed = store.take(List.of("orders"), 1, Duration.ofMillis(300)).get(0);
    inbox.start();

    await(() -> store.find(id, false).orElseThrow().state() == InboxState.DONE && attempts.size() == 1,
        Duration.ofSeconds(3));
    assertThat(attempts).singleElement().extracting(AttemptAudit::attempt).isEqualTo(2);
    assertThat(store.markDone(crashed)).isFalse();
  }

  @Test
  void aDeliveryThatOutlivedEveryAttemptsLeaseIsDeadLetteredWithoutRunningAgain() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    inbox = Inbox.builder(store).handler("orders", d -> runs.incrementAndGet()).retry(fast(2))
        .pollInterval(Duration.ofMillis(20)).listener(listener).build();
    long id = ((Acceptance.Stored) inbox.accept(delivery("orders", "evt_killer", "{}"))).id();
    store.take(List.of("orders"), 1, Duration.ofMillis(1)); // attempt 1: the worker died
    Thread.sleep(5);
    store.take(List.of("orders"), 1, Duration.ofMillis(1)); // attempt 2: died again
    Thread.sleep(5);
    inbox.start();

    await(() -> store.find(id, false).orElseThrow().state() == InboxState.DEAD, Duration.ofSeconds(3));
    assertThat(runs).hasValue(0);
    assertThat(store.find(id, false).orElseThrow().lastError()).contains("lease expired");
  }

  @Test
  void shutdownLetsRunningHandlersFinishAndReleasesThoseThatDoNot() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    AtomicBoolean quickDone = new AtomicBoolean();
    inbox = Inbox.builder(store).handler("orders", d -> {
      started.countDown();
      if (d.eventId().equals("evt_quick")) {
        Thread.sleep(300);
        quickDone.set(true);
      } else {
        Thread.sleep(60_000); // stuck: interrupted at the timeout
      }
    }).workers(2).shutdownTimeout(Duration.ofMillis(800)).pollInterval(Duration.ofMillis(10)).build().start();
    long quick = ((Acceptance.Stored) inbox.accept(delivery("orders", "evt_quick", "{}"))).id();
    long stuck = ((Acceptance.Stored) inbox.accept(delivery("orders", "evt_stuck", "{}"))).id();
    assertThat(started.await(2, TimeUnit.SECONDS)).isTrue();
    long afterStart = ((Acceptance.Stored) inbox.accept(delivery("orders", "evt_later", "{}"))).id();

    long before = System.nanoTime();
    inbox.close();
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThat(quickDone).isTrue();
    assertThat(store.find(quick, false).orElseThrow().state()).isEqualTo(InboxState.DONE);
    InboxEntry released = store.find(stuck, false).orElseThrow();
    assertThat(released.state()).isEqualTo(InboxState.READY);
    assertThat(released.attempts()).isZero();
    assertThat(store.find(afterStart, false).orElseThrow().state()).isEqualTo(InboxState.READY);
    assertThat(took).isBetween(Duration.ofMillis(700), Duration.ofSeconds(3));
    assertThatThrownBy(inbox::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void workersBackOffWhileTheStoreIsDownAndResumeWithNothingLost() throws Exception {
    AtomicBoolean down = new AtomicBoolean();
    InboxStore flaky = FlakyInboxStore.wrap(store, down);
    AtomicInteger runs = new AtomicInteger();
    inbox = Inbox.builder(flaky).handler("orders", d -> runs.incrementAndGet()).pollInterval(Duration.ofMillis(20))
        .build();
    down.set(true); // before the workers start: none is half-way into a take
    inbox.start();
    assertThat(inbox.accept(delivery("orders", "evt_refused", "{}"))).isInstanceOf(Acceptance.Unavailable.class);
    store.store(delivery("orders", "evt_waiting", "{}")); // stored by another instance meanwhile
    Thread.sleep(300);
    assertThat(runs).hasValue(0);
    assertThat(inbox.storeErrors()).isGreaterThan(2);

    down.set(false);
    await(() -> runs.get() == 1, Duration.ofSeconds(3));
    assertThat(store.depth().get(InboxState.DONE)).isEqualTo(1);
  }

  @Test
  void doneDeliveriesArePurgedAfterTheRetention() throws Exception {
    TestClock clock = new TestClock();
    InMemoryInboxStore timed = InMemoryInboxStore.create(clock);
    inbox = Inbox.builder(timed).handler("orders", d -> {}).retention(Duration.ofHours(1)).clock(clock).build();
    for (int i = 0; i < 1200; i++) {
      inbox.accept(delivery("orders", "evt_old_" + i, "{}"));
    }
    timed.take(List.of("orders"), 2000, Duration.ofMinutes(1)).forEach(timed::markDone);
    clock.advance(Duration.ofMinutes(59));
    assertThat(inbox.purgeDone()).isZero();
    clock.advance(Duration.ofMinutes(2));

    assertThat(inbox.purgeDone()).isEqualTo(1200);
    assertThat(timed.depth().get(InboxState.DONE)).isZero();
  }

  @Test
  void aSlowBacklogCountHoldsUpNoReceiptButTheOneThatRefreshesIt() throws Exception {
    // A count of a large backlog takes its time (a scan of the ready rows); receipts that arrive
    // meanwhile are bounded by the previous count plus this instance's receipts since, not held.
    CountDownLatch counting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger counts = new AtomicInteger();
    InboxStore slowCount = (InboxStore) java.lang.reflect.Proxy.newProxyInstance(InboxStore.class.getClassLoader(),
        new Class<?>[] {InboxStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("backlog") && counts.incrementAndGet() > 1) {
            counting.countDown();
            release.await();
          }
          try {
            return method.invoke(store, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    inbox = Inbox.builder(slowCount).handler("orders", d -> {}).maxBacklog(1_000)
        .backlogCheckInterval(Duration.ofMillis(1)).build();
    assertThat(inbox.accept(delivery("orders", "evt_first", "{}"))).isInstanceOf(Acceptance.Stored.class);
    Thread.sleep(5);
    Thread refresher = new Thread(() -> inbox.accept(delivery("orders", "evt_refresher", "{}")));
    refresher.start();
    assertThat(counting.await(5, TimeUnit.SECONDS)).isTrue();
    try {
      java.util.concurrent.CompletableFuture<Acceptance> other = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> inbox.accept(delivery("orders", "evt_meanwhile", "{}")));
      assertThat(other.get(5, TimeUnit.SECONDS)).as("a receipt while the count runs").isInstanceOf(Acceptance.Stored.class);
    } finally {
      release.countDown();
    }
    refresher.join(5_000);
    assertThat(store.backlog()).isEqualTo(3);
  }

  @Test
  void theBuilderRefusesNonsenseAtOnce() {
    assertThatThrownBy(() -> Inbox.builder(store).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Inbox.builder(store).handler("a", d -> {}).handler("a", d -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Inbox.builder(store).workers(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Inbox.builder(store).lease(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Inbox.builder(store).maxBacklog(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Inbox.builder(store).pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
