package io.hookguard.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.IncomingRequest;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.DeadLetterFilter;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxDelivery;
import io.hookguard.inbox.InboxEntry;
import io.hookguard.inbox.InboxHandler;
import io.hookguard.inbox.InboxLease;
import io.hookguard.inbox.InboxState;
import io.hookguard.inbox.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox end to end on a real database, the same cases on PostgreSQL and H2: receipts through
 * the lifecycle, workers in two inboxes, a crashed worker, poison, replay, shutdown, the backlog
 * bound, and the transactional path where the handler's writes and the "done" mark commit as one.
 */
abstract class InboxScenarios {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final WebhookSigner SIGNER = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build();

  private final List<Inbox> inboxes = new ArrayList<>();

  /** @return the case's database, emptied by {@link #emptyDatabase()} */
  abstract DataSource dataSource();

  /** Gives the case an empty database (before anything else of the case runs). */
  abstract void emptyDatabase() throws SQLException;

  @BeforeEach
  void createProcessedTable() throws SQLException {
    emptyDatabase();
    execute(dataSource(), "CREATE TABLE processed (event_id VARCHAR(200) NOT NULL, run_by VARCHAR(20) NOT NULL)");
  }

  @AfterEach
  void closeInboxes() {
    inboxes.forEach(Inbox::close);
  }

  Inbox track(Inbox inbox) {
    inboxes.add(inbox);
    return inbox;
  }

  JdbcInboxStore store(DataSource dataSource, boolean transactional) {
    JdbcInboxStore.Builder builder = JdbcInboxStore.builder(dataSource).createTables();
    return (transactional ? builder.transactional() : builder).build();
  }

  /** The handler the example will have: one row per successful run, in the delivery's transaction. */
  static InboxHandler recording(String runBy) {
    return delivery -> insertProcessed(JdbcInboxStore.currentConnection().orElseThrow(), delivery, runBy);
  }

  static void insertProcessed(Connection connection, InboxDelivery delivery, String runBy) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO processed (event_id, run_by) VALUES (?, ?)")) {
      insert.setString(1, delivery.eventId());
      insert.setString(2, runBy);
      insert.executeUpdate();
    }
  }

  static Map<String, Integer> processed(DataSource dataSource) throws SQLException {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT event_id, COUNT(*) FROM processed GROUP BY event_id")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    }
    return counts;
  }

  static void execute(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static IncomingRequest signed(String eventId, String body) {
    WebhookRequest request = SIGNER.sign(WebhookRequest.builder().header("webhook-id", eventId)
        .header("Content-Type", "application/json").body(body).build());
    return new IncomingRequest("POST", "http", "127.0.0.1", "/webhooks/orders", null, request.headers(), "127.0.0.1",
        BodySource.of(request.body()));
  }

  static WebhookEndpoint endpoint(Inbox inbox) {
    return WebhookEndpoint.builder("orders", WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build())
        .inbox(inbox).build();
  }

  static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within);
      }
      Thread.sleep(10);
    }
  }

  static long count(Inbox inbox, InboxState state) {
    try {
      return inbox.depth().get(state);
    } catch (RuntimeException e) {
      return -1; // the database is down
    }
  }

  @Test
  void receiptsAreStoredAndAcknowledgedThenProcessedOnceWithTheHandlersWritesInTheSameTransaction() throws Exception {
    Inbox inbox = track(Inbox.builder(store(dataSource(), true)).handler("orders", recording("a"))
        .pollInterval(Duration.ofMillis(50)).build().start());
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();
    WebhookEndpoint orders = endpoint(inbox);

    for (int i = 0; i < 20; i++) {
      Answer answer = (Answer) lifecycle.receive(orders, signed("msg_" + i, "{\"n\":" + i + "}"));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.isStored()).isTrue();
    }
    Answer retry = (Answer) lifecycle.receive(orders, signed("msg_3", "{\"n\":3}"));
    assertThat(retry.isReplay()).isTrue();

    await(() -> count(inbox, InboxState.DONE) == 20, Duration.ofSeconds(10));
    Map<String, Integer> processed = processed(dataSource());
    assertThat(processed).hasSize(20).allSatisfy((event, runs) -> assertThat(runs).isEqualTo(1));
  }

  @Test
  void aHandlerThatThrowsHasItsWritesRolledBackAndIsRetried() throws Exception {
    AtomicReference<Integer> runs = new AtomicReference<>(0);
    Inbox inbox = track(Inbox.builder(store(dataSource(), true)).handler("orders", delivery -> {
      insertProcessed(JdbcInboxStore.currentConnection().orElseThrow(), delivery, "a");
      if (runs.getAndUpdate(n -> n + 1) == 0) {
        throw new IllegalStateException("first attempt fails after writing");
      }
    }).retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(50)).jitter(0).build())
        .pollInterval(Duration.ofMillis(20)).build().start());
    inbox.accept(InboxScenarioDeliveries.of("orders", "msg_rollback"));

    await(() -> count(inbox, InboxState.DONE) == 1, Duration.ofSeconds(10));
    assertThat(runs.get()).isEqualTo(2);
    assertThat(processed(dataSource())).containsExactly(Map.entry("msg_rollback", 1));
  }

  @Test
  void aWorkerThatStallsPastItsLeaseIsTakenOverAndOnlyOneRunCommits() throws Exception {
    JdbcInboxStore stalled = store(dataSource(), true);
    long id = ((Acceptance.Stored) stalled.store(InboxScenarioDeliveries.of("orders", "msg_crash"))).id();
    // Worker A (no inbox around it: no heartbeat, as after a crash) takes it under a short lease,
    // writes its row in the delivery's transaction and hangs before the "done" mark.
    InboxLease leaseA = stalled.take(List.of("orders"), 1, Duration.ofMillis(500)).get(0);
    CountDownLatch wroteA = new CountDownLatch(1);
    CountDownLatch releaseA = new CountDownLatch(1);
    AtomicReference<Boolean> markedA = new AtomicReference<>();
    Thread workerA = new Thread(() -> {
      try {
        markedA.set(stalled.handleAndMarkDone(leaseA, delivery -> {
          insertProcessed(JdbcInboxStore.currentConnection().orElseThrow(), delivery, "a");
          wroteA.countDown();
          releaseA.await();
        }));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    workerA.start();
    assertThat(wroteA.await(5, TimeUnit.SECONDS)).isTrue();

    // Worker B, in another inbox over another store instance, takes it over once the lease ran out.
    Inbox inboxB = track(Inbox.builder(store(dataSource(), true)).handler("orders", recording("b"))
        .pollInterval(Duration.ofMillis(50)).build().start());
    await(() -> count(inboxB, InboxState.DONE) == 1, Duration.ofSeconds(10));
    releaseA.countDown();
    workerA.join(10_000);

    assertThat(markedA.get()).as("A's done mark is refused: the lease is B's").isFalse();
    assertThat(processed(dataSource())).containsExactly(Map.entry("msg_crash", 1));
    try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT run_by FROM processed")) {
      row.next();
      assertThat(row.getString(1)).isEqualTo("b");
    }
    assertThat(inboxB.find(id, false).orElseThrow().attempts()).isEqualTo(2);
  }

  @Test
  void twoInboxesOnOneDatabaseShareTheWorkAndProcessEveryDeliveryOnce() throws Exception {
    Map<String, Integer> runs = new ConcurrentHashMap<>();
    Map<String, Integer> byInbox = new ConcurrentHashMap<>();
    List<Inbox> two = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      InboxHandler recordingRow = recording(name);
      two.add(track(Inbox.builder(store(dataSource(), true)).handler("orders", delivery -> {
        runs.merge(delivery.eventId(), 1, Integer::sum);
        byInbox.merge(name, 1, Integer::sum);
        recordingRow.handle(delivery);
        Thread.sleep(2);
      }).workers(3).pollInterval(Duration.ofMillis(20)).build().start()));
    }
    int deliveries = 200;
    for (int i = 0; i < deliveries; i++) {
      two.get(i % 2).accept(InboxScenarioDeliveries.of("orders", "msg_race_" + i));
    }

    await(() -> count(two.get(0), InboxState.DONE) == deliveries, Duration.ofSeconds(30));
    assertThat(runs).hasSize(deliveries).allSatisfy((event, count) -> assertThat(count).isEqualTo(1));
    assertThat(byInbox).containsKeys("a", "b");
    assertThat(processed(dataSource())).hasSize(deliveries).allSatisfy((event, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void aPoisonDeliveryIsDeadLetteredWithoutDelayingOthersThenReplayedAndPurged() throws Exception {
    AtomicReference<Boolean> healed = new AtomicReference<>(false);
    Inbox inbox = track(Inbox.builder(store(dataSource(), false)).handler("orders", delivery -> {
      if (delivery.eventId().equals("msg_poison") && !healed.get()) {
        throw new IllegalArgumentException("cannot parse order");
      }
      try (Connection connection = dataSource().getConnection()) {
        insertProcessed(connection, delivery, "a"); // its own transaction: at-least-once
      }
    }).workers(1).retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(100)).jitter(0).maxAttempts(3).build())
        .pollInterval(Duration.ofMillis(20)).build());
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();
    WebhookEndpoint orders = endpoint(inbox);
    lifecycle.receive(orders, signed("msg_poison", "{}"));
    for (int i = 0; i < 10; i++) {
      lifecycle.receive(orders, signed("msg_fine_" + i, "{}"));
    }
    inbox.start();

    await(() -> count(inbox, InboxState.DEAD) == 1 && count(inbox, InboxState.DONE) == 10, Duration.ofSeconds(10));
    List<InboxEntry> dead = inbox.deadLetters(DeadLetterFilter.endpoint("orders"), 10);
    assertThat(dead).singleElement().satisfies(entry -> {
      assertThat(entry.eventId()).isEqualTo("msg_poison");
      assertThat(entry.attempts()).isEqualTo(3);
      assertThat(entry.lastError()).isEqualTo("java.lang.IllegalArgumentException: cannot parse order");
      assertThat(entry.body()).isNull();
    });
    assertThat(inbox.find(dead.get(0).id(), true).orElseThrow().body()).isEqualTo("{}".getBytes(UTF_8));

    healed.set(true);
    assertThat(inbox.replay(DeadLetterFilter.endpoint("orders"))).isEqualTo(1);
    await(() -> count(inbox, InboxState.DONE) == 11, Duration.ofSeconds(10));
    assertThat(processed(dataSource())).containsEntry("msg_poison", 1).hasSize(11);
    assertThat(inbox.purgeDeadLetters(DeadLetterFilter.all())).isZero();
  }

  @Test
  void shutdownWaitsForRunningHandlersAndReleasesTheRestForAnotherInstance() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Inbox first = Inbox.builder(store(dataSource(), false)).handler("orders", delivery -> {
      running.countDown();
      Thread.sleep(30_000);
    }).workers(1).shutdownTimeout(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(20)).build().start();
    long id = ((Acceptance.Stored) first.accept(InboxScenarioDeliveries.of("orders", "msg_shutdown"))).id();
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    first.close();
    assertThat(first.find(id, false).orElseThrow().state()).isEqualTo(InboxState.READY);

    Inbox second = track(Inbox.builder(store(dataSource(), true)).handler("orders", recording("b"))
        .pollInterval(Duration.ofMillis(20)).build().start());
    await(() -> count(second, InboxState.DONE) == 1, Duration.ofSeconds(5)); // at once, not after a lease
    assertThat(second.find(id, false).orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void pastTheBacklogBoundReceiptsAre503() throws Exception {
    Inbox inbox = track(Inbox.builder(store(dataSource(), false)).handler("orders", delivery -> {})
        .maxBacklog(5).build()); // not started: nothing drains
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();
    WebhookEndpoint orders = endpoint(inbox);
    int accepted = 0;
    int full = 0;
    for (int i = 0; i < 8; i++) {
      Answer answer = (Answer) lifecycle.receive(orders, signed("msg_backlog_" + i, "{}"));
      if (answer.status() == 200) {
        accepted++;
      } else {
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsKey("Retry-After");
        full++;
      }
    }
    assertThat(accepted).isEqualTo(5);
    assertThat(full).isEqualTo(3);
    assertThat(inbox.depth().get(InboxState.READY)).isEqualTo(5);
  }
}
