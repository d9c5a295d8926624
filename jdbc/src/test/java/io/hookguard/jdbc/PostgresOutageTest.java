package io.hookguard.jdbc;

import static io.hookguard.jdbc.InboxScenarios.await;
import static io.hookguard.jdbc.InboxScenarios.count;
import static io.hookguard.jdbc.InboxScenarios.endpoint;
import static io.hookguard.jdbc.InboxScenarios.execute;
import static io.hookguard.jdbc.InboxScenarios.processed;
import static io.hookguard.jdbc.InboxScenarios.recording;
import static io.hookguard.jdbc.InboxScenarios.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.RejectionReason;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxState;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A PostgreSQL server of its own, stopped and started under the inbox. */
class PostgresOutageTest {
  private PostgresServer server;
  private DataSource dataSource;
  private Inbox inbox;

  @BeforeEach
  void startServer() throws Exception {
    server = PostgresServer.start();
    dataSource = server.dataSource(10);
    execute(dataSource, "CREATE TABLE processed (event_id VARCHAR(200) NOT NULL, run_by VARCHAR(20) NOT NULL)");
  }

  @AfterEach
  void stopServer() {
    if (inbox != null) {
      inbox.close();
    }
    server.close();
  }

  @Test
  void whileTheDatabaseIsDownReceiptsAre503AndEveryAcknowledgedDeliveryIsKept() throws Exception {
    inbox = Inbox.builder(JdbcInboxStore.builder(dataSource).createTables().build()).handler("orders", d -> {})
        .build(); // no workers: the stored deliveries stay to be counted
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();
    WebhookEndpoint orders = endpoint(inbox);
    Set<String> acknowledged = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      if (((Answer) lifecycle.receive(orders, signed("msg_before_" + i, "{}"))).status() == 200) {
        acknowledged.add("msg_before_" + i);
      }
    }

    server.stop();
    for (int i = 0; i < 3; i++) {
      Answer answer = (Answer) lifecycle.receive(orders, signed("msg_during_" + i, "{}"));
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.reason()).contains(RejectionReason.STORE_UNAVAILABLE);
      assertThat(answer.headers()).containsKey("Retry-After");
    }
    server.startAgain();

    // The senders retry what was refused; a stale pooled connection may refuse once more.
    for (int i = 0; i < 3; i++) {
      String id = "msg_during_" + i;
      await(() -> ((Answer) lifecycle.receive(orders, signed(id, "{}"))).status() == 200, Duration.ofSeconds(10));
      acknowledged.add(id);
    }
    assertThat(acknowledged).hasSize(13);
    assertThat(inbox.depth().get(InboxState.READY)).isEqualTo(13);
  }

  @Test
  void whileTheDatabaseIsDownWorkersBackOffThenResumeAndNothingIsLostOrRunTwice() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    var recordingRow = recording("a");
    inbox = Inbox.builder(JdbcInboxStore.builder(dataSource).createTables().transactional().build())
        .handler("orders", delivery -> {
          recordingRow.handle(delivery);
          runs.incrementAndGet();
          Thread.sleep(20);
        }).workers(2).lease(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).build();
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();
    WebhookEndpoint orders = endpoint(inbox);
    int deliveries = 60;
    for (int i = 0; i < deliveries; i++) {
      assertThat(((Answer) lifecycle.receive(orders, signed("msg_" + i, "{}"))).status()).isEqualTo(200);
    }
    inbox.start();
    await(() -> runs.get() >= 10, Duration.ofSeconds(10));

    server.stop();
    Thread.sleep(1_500);
    assertThat(inbox.storeErrors()).isPositive();
    server.startAgain();

    await(() -> count(inbox, InboxState.DONE) == deliveries, Duration.ofSeconds(30));
    Map<String, Integer> committed = processed(dataSource);
    assertThat(committed).hasSize(deliveries).allSatisfy((event, count) -> assertThat(count).isEqualTo(1));
  }
}
