package io.hookguard.examples;

import static io.hookguard.examples.Orders.eventually;
import static io.hookguard.examples.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.examples.receiver.ReceiverApplication;
import io.hookguard.jdbc.PostgresServer;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The receiver's {@code postgres} profile on a real PostgreSQL server started by the test: two
 * instances share the orders, and after a {@code kill -9} of a receiver mid-handler every
 * acknowledged order has exactly one committed run (the run rows commit with the "done" mark).
 */
class OrdersPostgresTest {
  private static final PostgresServer POSTGRES = PostgresServer.start();
  private static final DataSource DATABASE = POSTGRES.dataSource(4);

  @AfterAll
  static void stop() {
    POSTGRES.close();
  }

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private static ConfigurableApplicationContext start(String... more) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.jmx.enabled=false",
        "--spring.datasource.url=" + POSTGRES.url()));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(ReceiverApplication.class).profiles("postgres").run(args.toArray(String[]::new));
  }

  private static String base(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  /** Committed runs per event id, and per instance, straight from the database. */
  private static Map<String, Integer> committed(String sql, String prefix) {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection connection = DATABASE.getConnection();
        PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, prefix + "%");
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getString(1), rows.getInt(2));
        }
      }
    } catch (SQLException e) {
      return Map.of(); // the tables are not there yet
    }
    return counts;
  }

  private static Map<String, Integer> runsByEvent(String prefix) {
    return committed("SELECT event_id, COUNT(*) FROM example_order_runs WHERE event_id LIKE ? GROUP BY event_id", prefix);
  }

  @Test
  void twoInstancesOnOneDatabaseShareTheOrdersAndEachRunsOnce() {
    String prefix = "msg_shared_" + run + "_";
    try (ConfigurableApplicationContext one = start(); ConfigurableApplicationContext two = start()) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String id = prefix + i;
        ids.add(id);
        assertThat(Http.send(order(base(one), id, 0)).statusCode()).isEqualTo(200);
      }

      eventually("every order ran", Duration.ofSeconds(30), () -> runsByEvent(prefix).size() == ids.size());
      assertThat(runsByEvent(prefix)).allSatisfy((id, runs) -> assertThat(runs).as(id).isEqualTo(1));
      Map<String, Integer> byInstance = committed("SELECT instance_id, COUNT(*) FROM example_order_runs "
          + "WHERE event_id LIKE ? GROUP BY instance_id", prefix);
      assertThat(byInstance).as("both instances took orders").hasSize(2);
      assertThat(Http.get(base(two) + "/processed").body()).contains("\"" + prefix + "0\":1");
    }
  }

  @Test
  void afterAKill9MidHandlerEveryAcknowledgedOrderHasExactlyOneCommittedRun() throws Exception {
    String prefix = "msg_killed_" + run + "_";
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("receiver-killed-", ".log");
    // A receiver of its own, in its own JVM, so that it can really be killed; a short lease keeps
    // the takeover quick (the example's own is 15 s).
    Process receiver = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), ReceiverApplication.class.getName(),
        "--spring.profiles.active=postgres", "--server.port=" + port, "--spring.jmx.enabled=false",
        "--spring.datasource.url=" + POSTGRES.url(), "--hookguard.inbox.lease=3s")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    List<String> acknowledged = new ArrayList<>();
    try {
      String base = "http://127.0.0.1:" + port;
      eventually("the receiver is up (see " + log + ")", Duration.ofSeconds(90), () -> {
        try {
          return Http.get(base + "/processed").statusCode() == 200;
        } catch (RuntimeException e) {
          return receiver.isAlive() ? false : fail(log);
        }
      });
      for (int i = 0; i < 20; i++) {
        String id = prefix + i;
        HttpResponse<String> answer = Http.send(order(base, id, 0));
        if (answer.statusCode() == 200) {
          acknowledged.add(id);
        }
      }
      // Killed while its four workers are inside their 200 ms handlers, with most orders still waiting.
      Thread.sleep(300);
    } finally {
      receiver.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
      receiver.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acknowledged).hasSize(20);
    assertThat(runsByEvent(prefix).size()).as("work was left behind").isLessThan(20);

    try (ConfigurableApplicationContext survivor = start("--hookguard.inbox.lease=3s")) {
      eventually("every acknowledged order ran", Duration.ofSeconds(40),
          () -> runsByEvent(prefix).keySet().containsAll(acknowledged) && inFlight(prefix) == 0);
      assertThat(runsByEvent(prefix)).allSatisfy((id, runs) -> assertThat(runs).as(id).isEqualTo(1));
      assertThat(Http.get(base(survivor) + "/processed").body()).contains("\"" + prefix + "0\":1");
    }
  }

  private static int inFlight(String prefix) {
    try (Connection connection = DATABASE.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM hookguard_inbox WHERE state <> 'DONE' "
            + "AND event_id LIKE '" + prefix + "%'")) {
      rows.next();
      return rows.getInt(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  private static boolean fail(Path log) {
    try {
      throw new AssertionError("the receiver exited:\n" + Files.readString(log));
    } catch (java.io.IOException e) {
      throw new AssertionError("the receiver exited; its log is unreadable", e);
    }
  }
}
