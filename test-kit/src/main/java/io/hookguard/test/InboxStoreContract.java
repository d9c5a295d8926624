package io.hookguard.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.DeadLetterFilter;
import io.hookguard.inbox.InboxDelivery;
import io.hookguard.inbox.InboxEntry;
import io.hookguard.inbox.InboxLease;
import io.hookguard.inbox.InboxState;
import io.hookguard.inbox.InboxStore;
import io.hookguard.inbox.ReceivedDelivery;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InboxStore} must do, as a JUnit Jupiter suite a store's own test extends: the
 * same cases Hookguard's stores pass (the in-memory store; the JDBC store on PostgreSQL and H2).
 * A subclass builds its store on {@link #clock} and returns the same instance for the whole case,
 * over an empty store.
 *
 * <pre>{@code
 * class MyInboxStoreTest extends InboxStoreContract {
 *   private MyInboxStore store;
 *   @BeforeEach void create() { store = MyInboxStore.on(emptyDatabase(), clock); }
 *   protected InboxStore store() { return store; }
 * }
 * }</pre>
 *
 * <p>The cases: exact bytes and metadata kept; a second copy a duplicate in every state and
 * another body under the same id a mismatch; the body key shared across deliveries (a replay under
 * a fresh id, or without one); racing receipts of one delivery storing it once; takes by
 * endpoint, oldest due first, never shared by racing takers; token-fenced changes (a holder whose
 * lease ran out changes nothing); retry delays with the error kept; release, extend; dead
 * letters listed without bodies, replayed and purged; done deliveries purged in bounded batches,
 * their keys with them; depth, backlog and the oldest ready time; non-positive arguments refused.
 */
public abstract class InboxStoreContract {
  /** The lease the cases take with. */
  protected static final Duration LEASE = Duration.ofSeconds(30);
  private static final List<String> ORDERS = List.of("orders");

  /** The clock the store under test must run on; it stands still until a case moves it. */
  protected final TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));

  /** For subclasses, one instance per case as JUnit makes them. */
  protected InboxStoreContract() {}

  /**
   * The store under test, the same instance for the whole case.
   *
   * @return the store
   */
  protected abstract InboxStore store();

  /**
   * A delivery to the {@code orders} endpoint keyed on its event id.
   *
   * @param eventId the event id
   * @param body the body
   * @return the delivery
   */
  protected ReceivedDelivery delivery(String eventId, String body) {
    return delivery("orders", eventId, body, null);
  }

  private ReceivedDelivery delivery(String endpoint, @Nullable String eventId, String body, @Nullable String bodyKey) {
    byte[] bytes = body.getBytes(UTF_8);
    String fingerprint = sha256(bytes);
    String key = eventId == null ? bodyKey(endpoint, fingerprint) : "hookguard:" + endpoint + ":stripe:" + eventId;
    return new ReceivedDelivery(endpoint, "stripe", eventId, "order.paid", "application/json", bytes,
        clock.instant(), "192.0.2.7", key, bodyKey, fingerprint);
  }

  /** A body key as the lifecycle makes it: the content's hash is in the key. */
  private static String bodyKey(String endpoint, String fingerprint) {
    return "hookguard:" + endpoint + ":stripe:body:" + fingerprint;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private long stored(ReceivedDelivery delivery) {
    Acceptance acceptance = store().store(delivery);
    assertThat(acceptance).isInstanceOf(Acceptance.Stored.class);
    return ((Acceptance.Stored) acceptance).id();
  }

  private InboxLease takeOne() {
    List<InboxLease> taken = store().take(ORDERS, 1, LEASE);
    assertThat(taken).hasSize(1);
    return taken.get(0);
  }

  private InboxState state(long id) {
    return store().find(id, false).orElseThrow().state();
  }

  @Test
  void aStoredDeliveryIsTakenOnceWithItsExactBytesAndMetadata() {
    byte[] odd = {0, (byte) 0xff, '{', '}', (byte) 0xc3, 0x28};
    ReceivedDelivery raw = new ReceivedDelivery("orders", "stripe", "evt_1", "order.paid",
        "application/json; charset=utf-8", odd, Instant.parse("2026-01-01T00:00:00.123Z"), "192.0.2.7", "k-1", null,
        sha256(odd));
    long id = stored(raw);

    InboxLease lease = takeOne();
    InboxDelivery delivery = lease.delivery();
    assertThat(delivery.id()).isEqualTo(id);
    assertThat(delivery.body()).containsExactly(odd);
    assertThat(delivery.endpoint()).isEqualTo("orders");
    assertThat(delivery.provider()).isEqualTo("stripe");
    assertThat(delivery.eventId()).isEqualTo("evt_1");
    assertThat(delivery.eventType()).isEqualTo("order.paid");
    assertThat(delivery.contentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(delivery.receivedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
    assertThat(delivery.source()).isEqualTo("192.0.2.7");
    assertThat(delivery.attempt()).isEqualTo(1);
    assertThat(store().take(ORDERS, 1, LEASE)).isEmpty();
    assertThat(state(id)).isEqualTo(InboxState.IN_FLIGHT);

    assertThat(store().markDone(lease)).isTrue();
    assertThat(state(id)).isEqualTo(InboxState.DONE);
    assertThat(store().take(ORDERS, 1, LEASE)).isEmpty();
  }

  @Test
  void aSecondCopyIsADuplicateInEveryStateAndAnotherBodyUnderTheIdIsAMismatch() {
    long id = stored(delivery("evt_dup", "{\"a\":1}"));
    assertThat(store().store(delivery("evt_dup", "{\"a\":1}"))).isEqualTo(new Acceptance.Duplicate(id));
    assertThat(store().store(delivery("evt_dup", "{\"a\":2}"))).isInstanceOf(Acceptance.FingerprintMismatch.class);

    store().markDone(takeOne());
    assertThat(store().store(delivery("evt_dup", "{\"a\":1}"))).isEqualTo(new Acceptance.Duplicate(id));
    assertThat(store().depth().get(InboxState.DONE)).isEqualTo(1);
    assertThat(store().depth().get(InboxState.READY)).isZero();
  }

  @Test
  void storedAnswersWhatStoreWouldForAStoredDeliveryAndStoresNothing() {
    assertThat(store().stored(delivery("evt_look", "{\"a\":1}"))).as("not stored yet").isEmpty();
    assertThat(store().depth().getOrDefault(InboxState.READY, 0L)).as("a look-up stores nothing").isZero();
    long id = stored(delivery("evt_look", "{\"a\":1}"));

    assertThat(store().stored(delivery("evt_look", "{\"a\":1}"))).contains(new Acceptance.Duplicate(id));
    assertThat(store().stored(delivery("evt_look", "{\"a\":2}"))).get()
        .isInstanceOf(Acceptance.FingerprintMismatch.class);
    String bodyKey = bodyKey("orders", "e".repeat(64));
    long byBody = stored(delivery("orders", "evt_body", "{\"b\":1}", bodyKey));
    assertThat(store().stored(delivery("orders", "evt_other_id", "{\"b\":1}", bodyKey)))
        .as("a replay under a fresh id").contains(new Acceptance.Duplicate(byBody));
    assertThat(store().stored(delivery("evt_new", "{}"))).isEmpty();
    assertThat(store().depth().get(InboxState.READY)).isEqualTo(2);
  }

  @Test
  void theBodyKeyMakesAReplayUnderAFreshIdOrWithoutAnIdADuplicate() {
    String bodyKey = bodyKey("orders", "f".repeat(64));
    long id = stored(delivery("orders", "evt_a", "{\"same\":true}", bodyKey));

    assertThat(store().store(delivery("orders", "evt_fresh", "{\"same\":true}", bodyKey)))
        .isEqualTo(new Acceptance.Duplicate(id));
    // No id at all: keyed on the body alone, which is the first delivery's second key.
    ReceivedDelivery noId = new ReceivedDelivery("orders", "stripe", null, null, null, "{\"same\":true}".getBytes(UTF_8),
        clock.instant(), null, bodyKey, null, "other-fingerprint");
    assertThat(store().store(noId)).isEqualTo(new Acceptance.Duplicate(id));
    assertThat(store().depth().get(InboxState.READY)).isEqualTo(1);
  }

  @Test
  void racingCopiesOfOneDeliveryStoreItOnceAndTheOthersAreDuplicatesOfIt() throws Exception {
    int copies = 8;
    ExecutorService pool = Executors.newFixedThreadPool(copies);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Acceptance>> racers = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        racers.add(pool.submit(() -> {
          start.await();
          return store().store(delivery("evt_race_receipt", "{\"n\":1}"));
        }));
      }
      start.countDown();
      List<Acceptance> answers = new ArrayList<>();
      for (Future<Acceptance> racer : racers) {
        answers.add(racer.get(60, TimeUnit.SECONDS));
      }
      assertThat(answers).filteredOn(Acceptance.Stored.class::isInstance).hasSize(1);
      long id = ((Acceptance.Stored) answers.stream().filter(Acceptance.Stored.class::isInstance).findFirst()
          .orElseThrow()).id();
      assertThat(answers).filteredOn(a -> !(a instanceof Acceptance.Stored))
          .containsOnly(new Acceptance.Duplicate(id));
      assertThat(store().depth().get(InboxState.READY)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onlyTheListedEndpointsDeliveriesAreTaken() {
    stored(delivery("billing", "evt_b", "{}", null));
    assertThat(store().take(ORDERS, 10, LEASE)).isEmpty();
    assertThat(store().take(List.of("billing", "orders"), 10, LEASE)).hasSize(1);
  }

  @Test
  void theLongestDueDeliveriesAreTakenFirst() {
    long first = stored(delivery("evt_o1", "{}"));
    clock.advance(Duration.ofMillis(10));
    long second = stored(delivery("evt_o2", "{}"));
    clock.advance(Duration.ofMillis(10));
    long third = stored(delivery("evt_o3", "{}"));

    List<InboxLease> taken = store().take(ORDERS, 2, LEASE);
    assertThat(taken).extracting(InboxLease::id).containsExactly(first, second);
    assertThat(store().take(ORDERS, 5, LEASE)).extracting(InboxLease::id).containsExactly(third);
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldHolderCanChangeNothing() {
    long id = stored(delivery("evt_crash", "{}"));
    InboxLease crashed = takeOne();
    clock.advance(LEASE.minusSeconds(1));
    assertThat(store().take(ORDERS, 1, LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(2));

    InboxLease takeover = takeOne();
    assertThat(takeover.id()).isEqualTo(id);
    assertThat(takeover.delivery().attempt()).isEqualTo(2);
    assertThat(takeover.token()).isNotEqualTo(crashed.token());

    assertThat(store().markDone(crashed)).isFalse();
    assertThat(store().retryLater(crashed, Duration.ofSeconds(1), "x")).isFalse();
    assertThat(store().deadLetter(crashed, "x")).isFalse();
    assertThat(store().release(crashed)).isFalse();
    assertThat(store().extend(crashed, LEASE)).isFalse();
    assertThat(state(id)).isEqualTo(InboxState.IN_FLIGHT);
    assertThat(store().markDone(takeover)).isTrue();
    assertThat(state(id)).isEqualTo(InboxState.DONE);
  }

  @Test
  void aFailedAttemptIsDueAfterItsDelayWithItsErrorRecordedAndOthersAreTakenMeanwhile() {
    long poison = stored(delivery("evt_poison", "{}"));
    InboxLease lease = takeOne();
    assertThat(store().retryLater(lease, Duration.ofSeconds(10), "java.io.IOException: downstream said no")).isTrue();
    long next = stored(delivery("evt_next", "{}"));

    InboxEntry entry = store().find(poison, false).orElseThrow();
    assertThat(entry.state()).isEqualTo(InboxState.READY);
    assertThat(entry.attempts()).isEqualTo(1);
    assertThat(entry.lastError()).isEqualTo("java.io.IOException: downstream said no");
    assertThat(entry.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(10));
    assertThat(takeOne().id()).isEqualTo(next);
    assertThat(store().take(ORDERS, 1, LEASE)).isEmpty();

    clock.advance(Duration.ofSeconds(11));
    InboxLease again = takeOne();
    assertThat(again.id()).isEqualTo(poison);
    assertThat(again.delivery().attempt()).isEqualTo(2);
  }

  @Test
  void releaseMakesItReadyAtOnceWithoutCountingTheAttempt() {
    stored(delivery("evt_release", "{}"));
    assertThat(store().release(takeOne())).isTrue();
    assertThat(takeOne().delivery().attempt()).isEqualTo(1);
  }

  @Test
  void extendKeepsTheLeasePastItsFirstTerm() {
    long id = stored(delivery("evt_extend", "{}"));
    InboxLease lease = takeOne();
    clock.advance(Duration.ofSeconds(20));
    assertThat(store().extend(lease, LEASE)).isTrue();
    clock.advance(Duration.ofSeconds(20));
    assertThat(store().take(ORDERS, 1, LEASE)).isEmpty();
    assertThat(store().markDone(lease)).isTrue();
    assertThat(state(id)).isEqualTo(InboxState.DONE);
  }

  @Test
  void deadLettersAreListedWithoutBodiesInspectedReplayedAndPurged() {
    long one = stored(delivery("evt_d1", "{\"secret\":1}"));
    long two = stored(delivery("billing", "evt_d2", "{}", null));
    long alive = stored(delivery("evt_alive", "{}"));
    for (InboxLease lease : store().take(List.of("orders", "billing"), 3, LEASE)) {
      if (lease.id() == alive) {
        store().release(lease);
      } else {
        assertThat(store().deadLetter(lease, "java.lang.IllegalStateException: no")).isTrue();
      }
    }

    List<InboxEntry> dead = store().deadLetters(DeadLetterFilter.all(), 10);
    assertThat(dead).extracting(InboxEntry::id).containsExactly(one, two);
    assertThat(dead).allSatisfy(entry -> {
      assertThat(entry.body()).isNull();
      assertThat(entry.state()).isEqualTo(InboxState.DEAD);
      assertThat(entry.attempts()).isEqualTo(1);
      assertThat(entry.lastError()).isEqualTo("java.lang.IllegalStateException: no");
    });
    assertThat(store().deadLetters(DeadLetterFilter.endpoint("billing"), 10)).extracting(InboxEntry::id)
        .containsExactly(two);
    assertThat(store().deadLetters(DeadLetterFilter.all().withEventType("other"), 10)).isEmpty();
    assertThat(store().deadLetters(DeadLetterFilter.all(), 1)).hasSize(1);
    assertThat(store().deadLetters(DeadLetterFilter.all().withDeadBefore(clock.instant()), 10)).isEmpty();
    assertThat(store().find(one, true).orElseThrow().body()).isEqualTo("{\"secret\":1}".getBytes(UTF_8));
    assertThat(store().find(one, false).orElseThrow().body()).isNull();
    assertThat(store().find(9_999_999, false)).isEmpty();

    clock.advance(Duration.ofMinutes(5));
    assertThat(store().replay(alive)).isFalse(); // not a dead letter
    assertThat(store().replay(one)).isTrue();
    assertThat(store().replay(one)).isFalse();
    List<InboxLease> replayed = store().take(ORDERS, 5, LEASE);
    assertThat(replayed).extracting(InboxLease::id).contains(one);
    InboxLease replay = replayed.stream().filter(l -> l.id() == one).findFirst().orElseThrow();
    assertThat(replay.delivery().attempt()).isEqualTo(1);
    assertThat(replay.retryingSince()).isEqualTo(clock.instant());

    assertThat(store().replay(DeadLetterFilter.endpoint("orders"))).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store().purgeDeadLetters(DeadLetterFilter.all().withDeadBefore(clock.instant()))).isEqualTo(1);
    assertThat(store().find(two, false)).isEmpty();
    assertThat(store().store(delivery("billing", "evt_d2", "{}", null))).isInstanceOf(Acceptance.Stored.class);
  }

  @Test
  void replayingByFilterPutsEveryMatchingDeadLetterBack() {
    for (int i = 0; i < 3; i++) {
      stored(delivery("evt_r" + i, "{}"));
    }
    store().take(ORDERS, 3, LEASE).forEach(lease -> store().deadLetter(lease, "x"));
    assertThat(store().replay(DeadLetterFilter.endpoint("orders"))).isEqualTo(3);
    assertThat(store().deadLetters(DeadLetterFilter.all(), 10)).isEmpty();
    assertThat(store().take(ORDERS, 10, LEASE)).hasSize(3);
  }

  @Test
  void doneDeliveriesArePurgedInBoundedBatchesAndTheirKeysWithThem() {
    for (int i = 0; i < 5; i++) {
      stored(delivery("evt_p" + i, "{}"));
    }
    store().take(ORDERS, 5, LEASE).forEach(store()::markDone);
    long kept = stored(delivery("evt_kept", "{}"));
    clock.advance(Duration.ofHours(1));
    Instant before = clock.instant().minus(Duration.ofMinutes(30));

    assertThat(store().purgeDone(before, 2)).isEqualTo(2);
    assertThat(store().purgeDone(before, 2)).isEqualTo(2);
    assertThat(store().purgeDone(before, 2)).isEqualTo(1);
    assertThat(store().purgeDone(before, 2)).isZero();
    assertThat(state(kept)).isEqualTo(InboxState.READY);
    assertThat(store().store(delivery("evt_p0", "{}"))).isInstanceOf(Acceptance.Stored.class);
  }

  @Test
  void depthCountsEveryStateAndTheOldestReadyIsTheEarliestDue() {
    assertThat(store().depth()).containsOnlyKeys(InboxState.values()).allSatisfy((s, n) -> assertThat(n).isZero());
    assertThat(store().oldestReadySince()).isEmpty();
    Instant first = clock.instant();
    stored(delivery("evt_x1", "{}"));
    clock.advance(Duration.ofSeconds(5));
    stored(delivery("evt_x2", "{}"));
    stored(delivery("evt_x3", "{}"));
    assertThat(store().oldestReadySince()).contains(first);

    store().markDone(takeOne());
    InboxLease failing = takeOne();
    store().retryLater(failing, Duration.ofMinutes(1), "x");
    assertThat(store().depth()).containsEntry(InboxState.READY, 2L).containsEntry(InboxState.DONE, 1L)
        .containsEntry(InboxState.IN_FLIGHT, 0L).containsEntry(InboxState.DEAD, 0L);
    // The one waiting for its retry is not due yet.
    assertThat(store().oldestReadySince()).contains(clock.instant());
    assertThat(store().backlog()).isEqualTo(2);
    takeOne();
    assertThat(store().backlog()).isEqualTo(2); // one ready, one in flight
  }

  @Test
  void racingTakersNeverShareADelivery() throws Exception {
    int deliveries = 60;
    for (int i = 0; i < deliveries; i++) {
      stored(delivery("evt_race_" + i, "{}"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<Long>>> takers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        takers.add(pool.submit(() -> {
          List<Long> mine = new ArrayList<>();
          List<InboxLease> taken;
          while (!(taken = store().take(ORDERS, 2, LEASE)).isEmpty()) {
            taken.forEach(lease -> mine.add(lease.id()));
          }
          return mine;
        }));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> taker : takers) {
        all.addAll(taker.get(60, TimeUnit.SECONDS));
      }
      Set<Long> distinct = new HashSet<>(all);
      assertThat(all).hasSize(deliveries);
      assertThat(distinct).hasSize(deliveries);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void byDefaultAHandlerThatThrowsMarksNothing() {
    long id = stored(delivery("evt_throws", "{}"));
    InboxLease lease = takeOne();
    assertThatThrownBy(() -> store().handleAndMarkDone(lease, delivery -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(state(id)).isEqualTo(InboxState.IN_FLIGHT);
    assertThat(store().markDone(lease)).isTrue();
  }

  @Test
  void nonPositiveArgumentsAreRefused() {
    assertThatThrownBy(() -> store().take(ORDERS, 0, LEASE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().take(ORDERS, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().deadLetters(DeadLetterFilter.all(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().purgeDone(clock.instant(), 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
