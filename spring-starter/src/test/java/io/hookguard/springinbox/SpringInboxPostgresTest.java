package io.hookguard.springinbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.inbox.InboxState;
import io.hookguard.jdbc.PostgresServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The inbox scenarios on a real PostgreSQL server started by the test (binaries from Maven), plus
 * an outage: while the database is down receipts get 503 with Retry-After and health is DOWN;
 * when it is back both recover.
 */
@SpringBootTest(classes = InboxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.datasource.username=postgres", "spring.datasource.hikari.connection-timeout=1000",
        "hookguard.inbox.outage-retry-after=7s"})
class SpringInboxPostgresTest extends InboxScenarios {
  private static final PostgresServer POSTGRES = PostgresServer.start();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", POSTGRES::url);
  }

  @AfterAll
  static void stopPostgres() {
    POSTGRES.close();
  }

  @Test
  void whileTheDatabaseIsDownReceiptsAre503AndHealthIsDownThenBothRecover() throws Exception {
    String id = "msg_outage_" + run;
    POSTGRES.stop();
    try {
      HttpResponse<String> refused = send(order(id, "order.created", 0));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
      HttpResponse<String> health = get("/actuator/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).containsPattern("\"hookguardInbox\":\\{(\"details\":\\{[^}]*\\},)?\"status\":\"DOWN\"");
    } finally {
      POSTGRES.startAgain();
    }

    eventually("health is up again", () -> {
      try {
        return get("/actuator/health").statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(send(order(id, "order.created", 0)).statusCode()).isEqualTo(200);
    eventually("processed after the outage", () -> state(id) == InboxState.DONE);
    assertThat(committedRuns(id)).isEqualTo(1);
  }
}
