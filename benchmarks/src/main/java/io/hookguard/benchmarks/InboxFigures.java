package io.hookguard.benchmarks;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.IncomingRequest;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxState;
import io.hookguard.inbox.ReceivedDelivery;
import io.hookguard.jdbc.JdbcInboxStore;
import io.hookguard.jdbc.PostgresServer;
import io.hookguard.servlet.WebhookFilter;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The inbox's figures, as a bounded load test (not JMH: two of the three are wall-clock
 * latencies and a drain time, and every phase needs a database that grows as it runs). Each
 * figure is a ratio against a baseline measured in the same run, in alternating rounds:
 * <ol>
 *   <li><b>Receipts per second</b>: {@code DeliveryLifecycle.receive} of a signed Standard
 *       Webhooks delivery at an endpoint in inbox mode (read, verify, store the row with its dedup
 *       key, commit), against a bare {@code INSERT} of the same row into the same table plus commit,
 *       through the same pool, by the same number of threads.</li>
 *   <li><b>Sender-visible answer time</b> over real HTTP (Tomcat, the servlet filter), with a
 *       handler that takes 200 ms: inbox mode against synchronous mode (Caffeine dedup).</li>
 *   <li><b>Worker throughput</b> with a no-op handler: deliveries drained per second by the
 *       workers, against the bare-INSERT rate of figure 1.</li>
 * </ol>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.hookguard.benchmarks.InboxFigures h2}
 * (or {@code postgresql}: a real server from Maven artifacts, run with fsync off).
 */
public final class InboxFigures {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final WebhookSigner SIGNER = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build();
  private static final String BODY = "{\"type\":\"order.created\",\"order\":{\"id\":\"ord_%d\",\"total\":2000,"
      + "\"currency\":\"eur\",\"lines\":[{\"sku\":\"A-1\",\"qty\":2},{\"sku\":\"B-7\",\"qty\":1}]}}";
  private static final int THREADS = 4;
  private static final Duration PHASE = Duration.ofSeconds(3);
  private static final int ROUNDS = 3;

  private static final AtomicLong IDS = new AtomicLong();

  private InboxFigures() {}

  /**
   * Runs the three figures and prints them.
   *
   * @param args {@code h2} (default) or {@code postgresql}
   * @throws Exception when a database or the server cannot start
   */
  public static void main(String[] args) throws Exception {
    String database = args.length > 0 ? args[0] : "h2";
    PostgresServer postgres = null;
    HikariConfig config = new HikariConfig();
    config.setMaximumPoolSize(8);
    if (database.equals("postgresql")) {
      postgres = PostgresServer.start();
      config.setJdbcUrl(postgres.url());
      config.setUsername("postgres");
    } else {
      Path dir = Files.createTempDirectory("hookguard-inbox-figures");
      config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("inbox"));
      config.setUsername("sa");
    }
    System.out.printf(Locale.ROOT, "database %s, %d threads, %d rounds of %s per side, %s, %d cores%n", database,
        THREADS, ROUNDS, PHASE, Runtime.version(), Runtime.getRuntime().availableProcessors());
    HikariConfig fresh = new HikariConfig();
    fresh.setMaximumPoolSize(8);
    fresh.setUsername(config.getUsername());
    if (postgres != null) {
      try (Connection connection = java.sql.DriverManager.getConnection(postgres.url(), "postgres", "");
          java.sql.Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE fresh");
      }
      fresh.setJdbcUrl(postgres.url().replace("/postgres", "/fresh"));
    } else {
      fresh.setJdbcUrl(config.getJdbcUrl() + "-fresh");
    }
    try (HikariDataSource pool = new HikariDataSource(config); HikariDataSource empty = new HikariDataSource(fresh)) {
      JdbcInboxStore store = JdbcInboxStore.builder(pool).createTables().build();
      double bare = receipts(pool, store);
      answerTimes(store);
      JdbcInboxStore.builder(empty).createTables().build();
      workers(empty, bare, 3, "a fresh database");
      workers(pool, bare, 1, "the database of figures 1 and 2 (" + rows(pool) + " rows)");
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  // ---- 1. receipts per second ----

  private static double receipts(DataSource pool, JdbcInboxStore store) throws Exception {
    // Not started (receipts only); the backlog is counted once a second as by default, but bounded
    // far above what the phases store, so that no receipt is refused as inbox-full.
    Inbox inbox = Inbox.builder(store).handler("orders", delivery -> {}).maxBacklog(1_000_000_000L).build();
    WebhookEndpoint endpoint = WebhookEndpoint.builder("orders",
        WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build()).inbox(inbox).build();
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();
    Op receipt = () -> {
      WebhookRequest signed = signed("bench_" + IDS.incrementAndGet());
      Answer answer = (Answer) lifecycle.receive(endpoint, new IncomingRequest("POST", "http", "127.0.0.1:8080",
          "/webhooks/orders", null, signed.headers(), "127.0.0.1", BodySource.of(signed.body())));
      if (answer.status() != 200) {
        throw new IllegalStateException("receipt answered " + answer.status());
      }
    };
    // The same receipt at an inbox without a backlog bound: no count of the backlog once a second.
    Inbox unbounded = Inbox.builder(store).handler("orders", delivery -> {}).unboundedBacklog().build();
    WebhookEndpoint unboundedEndpoint = WebhookEndpoint.builder("orders",
        WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build()).inbox(unbounded).build();
    Op unboundedReceipt = () -> {
      WebhookRequest signed = signed("unbounded_" + IDS.incrementAndGet());
      Answer answer = (Answer) lifecycle.receive(unboundedEndpoint, new IncomingRequest("POST", "http",
          "127.0.0.1:8080", "/webhooks/orders", null, signed.headers(), "127.0.0.1", BodySource.of(signed.body())));
      if (answer.status() != 200) {
        throw new IllegalStateException("receipt answered " + answer.status());
      }
    };
    // The same receipt of a request signed beforehand: the sender's signing is not part of a receipt.
    java.util.concurrent.ConcurrentLinkedQueue<WebhookRequest> presigned = new java.util.concurrent.ConcurrentLinkedQueue<>();
    AtomicLong signedLate = new AtomicLong();
    Op presignedReceipt = () -> {
      WebhookRequest signed = presigned.poll();
      if (signed == null) {
        signedLate.incrementAndGet();
        signed = signed("late_" + IDS.incrementAndGet()); // more receipts than were signed: sign now
      }
      Answer answer = (Answer) lifecycle.receive(endpoint, new IncomingRequest("POST", "http", "127.0.0.1:8080",
          "/webhooks/orders", null, signed.headers(), "127.0.0.1", BodySource.of(signed.body())));
      if (answer.status() != 200) {
        throw new IllegalStateException("receipt answered " + answer.status());
      }
    };
    // Enough for a phase at half again the rate of the receipt measured before it: a phase that
    // ran out would sign the rest in the loop, and measure the signing again.
    double[] lastRate = {20_000};
    Runnable sign = () -> {
      presigned.clear();
      long count = (long) Math.min(400_000, Math.max(60_000, 1.5 * lastRate[0] * PHASE.toMillis() / 1_000.0));
      for (long i = 0; i < count; i++) {
        presigned.add(signed("presigned_" + IDS.incrementAndGet()));
      }
    };
    Op insert = () -> bareInsert(pool, "bare_" + IDS.incrementAndGet(), false);
    // The same INSERT in autocommit (one round trip, as the store's): what a one-statement receipt can reach.
    Op autoInsert = () -> bareInsert(pool, "auto_" + IDS.incrementAndGet(), true);
    // The store alone (one INSERT in autocommit), to tell the store's share from the lifecycle's.
    Op storeOnly = () -> store.store(received("orders", "store_" + IDS.incrementAndGet()));
    run("warm-up", insert);
    run("warm-up", receipt);
    run("warm-up", storeOnly);
    run("warm-up", unboundedReceipt);
    sign.run();
    run("warm-up", presignedReceipt);
    double[] presignedRates = new double[ROUNDS];
    run("warm-up", autoInsert);
    double[] autoRates = new double[ROUNDS];
    double[] unboundedRates = new double[ROUNDS];
    double[] bare = new double[ROUNDS];
    double[] stored = new double[ROUNDS];
    double[] storeAlone = new double[ROUNDS];
    double[] ratios = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      bare[round] = run("bare INSERT + commit", insert);
      stored[round] = run("receipt (verify + store + commit)", receipt);
      lastRate[0] = stored[round];
      storeAlone[round] = run("store alone", storeOnly);
      unboundedRates[round] = run("receipt, unbounded backlog", unboundedReceipt);
      sign.run();
      presignedRates[round] = run("receipt of a request signed beforehand", presignedReceipt);
      autoRates[round] = run("bare INSERT in autocommit", autoInsert);
      ratios[round] = stored[round] / bare[round];
    }
    double[] presignedRatios = new double[ROUNDS];
    double[] presignedToAuto = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      presignedRatios[round] = presignedRates[round] / bare[round];
      presignedToAuto[round] = presignedRates[round] / autoRates[round];
    }
    System.out.printf(Locale.ROOT, "1. receipts/s: bare INSERT + commit median %.0f, receipt median %.0f, "
        + "ratio median %.2f (rounds %s); JdbcInboxStore.store alone median %.0f (%.2f of bare); receipt without "
        + "the backlog bound median %.0f (%.2f of bare)%n", median(bare), median(stored), median(ratios),
        format(ratios), median(storeAlone), median(storeAlone) / median(bare), median(unboundedRates),
        median(unboundedRates) / median(bare));
    System.out.printf(Locale.ROOT, "1b. receipts/s of requests signed beforehand (verify + store + commit only): "
        + "median %.0f, ratio to bare median %.2f (rounds %s); bare INSERT in autocommit (one round trip) median "
        + "%.0f, the pre-signed receipt's ratio to it median %.2f (rounds %s); %d receipts of the pre-signed "
        + "phases (warm-up included) had to be signed in the loop%n", median(presignedRates),
        median(presignedRatios), format(presignedRatios), median(autoRates), median(presignedToAuto),
        format(presignedToAuto), signedLate.get());
    return median(bare);
  }

  private static WebhookRequest signed(String id) {
    return SIGNER.sign(WebhookRequest.builder().url("http://127.0.0.1:8080/webhooks/orders")
        .header("Content-Type", "application/json").header("webhook-id", id)
        .body(String.format(Locale.ROOT, BODY, IDS.get())).build());
  }

  /** The row the store writes for a receipt (its event key included), written with one INSERT and a commit. */
  private static void bareInsert(DataSource pool, String id, boolean autoCommit) throws Exception {
    byte[] body = String.format(Locale.ROOT, BODY, IDS.get()).getBytes(StandardCharsets.UTF_8);
    long now = System.currentTimeMillis();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(autoCommit);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hookguard_inbox (endpoint, provider, "
          + "event_id, event_type, content_type, body, received_at, source, event_key, body_key, fingerprint, state, "
          + "attempts, due_at, updated_at, retrying_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 'DONE', 0, ?, ?, "
          + "?)")) {
        insert.setString(1, "bare");
        insert.setString(2, "standard-webhooks");
        insert.setString(3, id);
        insert.setString(4, "order.created");
        insert.setString(5, "application/json");
        insert.setBytes(6, body);
        insert.setLong(7, now);
        insert.setString(8, "127.0.0.1");
        insert.setString(9, "hookguard:bare:standard-webhooks:" + id);
        insert.setString(10, "0".repeat(64));
        insert.setLong(11, now);
        insert.setLong(12, now);
        insert.setLong(13, now);
        insert.executeUpdate();
      }
      if (!autoCommit) {
        connection.commit();
        connection.setAutoCommit(true);
      }
    }
  }

  private static ReceivedDelivery received(String endpoint, String id) {
    byte[] body = String.format(Locale.ROOT, BODY, IDS.get()).getBytes(StandardCharsets.UTF_8);
    return new ReceivedDelivery(endpoint, "standard-webhooks", id, "order.created", "application/json", body,
        Instant.now(), "127.0.0.1", "hookguard:" + endpoint + ":standard-webhooks:" + id, null, "0".repeat(64));
  }

  @FunctionalInterface
  private interface Op {
    void run() throws Exception;
  }

  /** Operations per second of THREADS threads running op for one phase. */
  private static double run(String what, Op op) throws InterruptedException {
    long end = System.nanoTime() + PHASE.toNanos();
    return run(what, op, () -> System.nanoTime() >= end);
  }

  /** Operations per second of THREADS threads running op until enough. */
  private static double run(String what, Op op, java.util.function.BooleanSupplier enough)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(THREADS);
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    for (int t = 0; t < THREADS; t++) {
      new Thread(() -> {
        try {
          while (!enough.getAsBoolean()) {
            op.run();
            done.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.add(e);
        } finally {
          finished.countDown();
        }
      }).start();
    }
    finished.await();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(what + " failed", failures.get(0));
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  // ---- 2. sender-visible answer time, 200 ms handler ----

  private static void answerTimes(JdbcInboxStore store) throws Exception {
    // Bounded far above figure 1's unprocessed receipts, which share the table.
    Inbox inbox = Inbox.builder(store).handler("inbox", delivery -> Thread.sleep(200)).workers(THREADS)
        .maxBacklog(1_000_000_000L).build();
    inbox.start();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build();
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint("/sync", WebhookEndpoint.builder("sync", verifier)
            .dedup(DedupEngine.builder(CaffeineDedupStore.builder().build()).build()).build())
        .endpoint("/inbox", WebhookEndpoint.builder("inbox", verifier).inbox(inbox).build())
        .build();
    Tomcat tomcat = new Tomcat();
    String base = Files.createTempDirectory("hookguard-inbox-figures-tomcat").toString();
    tomcat.setBaseDir(base);
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", base);
    Tomcat.addServlet(context, "app", new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        try {
          Thread.sleep(200); // the synchronous handler
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        response.setStatus(200);
      }
    }).addMapping("/*");
    context.addServletContainerInitializer((classes, servletContext) -> servletContext.addFilter("hookguard", filter)
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*"), null);
    tomcat.start();
    try {
      String url = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 20; i++) { // warm-up
        time(client, url + "/sync");
        time(client, url + "/inbox");
      }
      int each = 50;
      double[] sync = new double[ROUNDS * each];
      double[] stored = new double[ROUNDS * each];
      for (int i = 0; i < sync.length; i++) {
        sync[i] = time(client, url + "/sync");
        stored[i] = time(client, url + "/inbox");
      }
      Arrays.sort(sync);
      Arrays.sort(stored);
      System.out.printf(Locale.ROOT, "2. answer time, 200 ms handler, %d sequential requests each: synchronous "
          + "median %.1f ms (p95 %.1f), inbox median %.1f ms (p95 %.1f), ratio of medians %.3f%n", sync.length,
          median(sync), sync[(int) (sync.length * 0.95)], median(stored), stored[(int) (stored.length * 0.95)],
          median(stored) / median(sync));
    } finally {
      tomcat.stop();
      tomcat.destroy();
      inbox.close();
    }
  }

  private static double time(HttpClient client, String url) throws Exception {
    WebhookRequest signed = SIGNER.sign(WebhookRequest.builder().url(url).header("Content-Type", "application/json")
        .header("webhook-id", "http_" + IDS.incrementAndGet()).body(String.format(Locale.ROOT, BODY, IDS.get()))
        .build());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    long start = System.nanoTime();
    HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    double millis = (System.nanoTime() - start) / 1e6;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
    return millis;
  }

  // ---- 3. worker throughput, no-op handler ----

  private static long rows(DataSource pool) throws Exception {
    try (Connection connection = pool.getConnection(); java.sql.Statement statement = connection.createStatement();
        var result = statement.executeQuery("SELECT COUNT(*) FROM hookguard_inbox")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void workers(DataSource pool, double bareInserts, int rounds, String where) throws Exception {
    JdbcInboxStore store = JdbcInboxStore.builder(pool).build();
    int count = 1_000;
    double[] rates = new double[rounds];
    for (int round = 0; round < rates.length; round++) {
      String endpoint = "drain" + round;
      AtomicLong left = new AtomicLong(count);
      run("fill", () -> {
        if (left.getAndDecrement() > 0) {
          store.store(received(endpoint, "drain_" + IDS.incrementAndGet()));
        }
      }, () -> left.get() <= 0);
      AtomicLong handled = new AtomicLong();
      Inbox inbox = Inbox.builder(store).handler(endpoint, delivery -> handled.incrementAndGet()).workers(THREADS)
          .build();
      long start = System.nanoTime();
      inbox.start();
      while (handled.get() < count) {
        Thread.sleep(5);
      }
      // The last marks may still be in flight: count until the store says every one is done.
      while (doneOf(pool, endpoint) < count) {
        Thread.sleep(5);
      }
      rates[round] = count / ((System.nanoTime() - start) / 1e9);
      inbox.close();
    }
    System.out.printf(Locale.ROOT, "3. worker throughput, no-op handler, %d workers, %d stored deliveries per round, "
        + "in %s: median %.0f deliveries/s (rounds %s), %.2f of the bare INSERT + commit rate%n", THREADS, count,
        where, median(rates), format(rates), median(rates) / bareInserts);
  }

  private static long doneOf(DataSource pool, String endpoint) throws Exception {
    try (Connection connection = pool.getConnection(); PreparedStatement query = connection.prepareStatement(
        "SELECT COUNT(*) FROM hookguard_inbox WHERE endpoint = ? AND state = '" + InboxState.DONE.name() + "'")) {
      query.setString(1, endpoint);
      try (var rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static String format(double[] values) {
    StringBuilder out = new StringBuilder();
    for (double value : values) {
      out.append(out.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.0f", value));
    }
    return out.toString();
  }
}
