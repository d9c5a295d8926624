package io.hookguard.springinbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxEntry;
import io.hookguard.inbox.InboxState;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The answers of an endpoint in inbox mode on Spring WebFlux (Netty) other than a plain receipt,
 * the same as on the servlet stack: 422 for an event id reused with another body, 503 with
 * {@code Retry-After} when the backlog is full and when the store is down.
 */
@SpringBootTest(classes = InboxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive",
        "spring.datasource.url=jdbc:h2:mem:springinboxfluxanswers;DB_CLOSE_DELAY=-1",
        "hookguard.inbox.max-backlog=1", "hookguard.inbox.workers=1"})
@TestPropertySource(locations = "classpath:inbox-test.properties")
class WebFluxInboxAnswersTest {
  @Value("${local.server.port}")
  int port;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  Inbox inbox;

  @AfterEach
  void openTheGate() {
    CountDownLatch gate = InboxTestApplication.gate;
    InboxTestApplication.gate = null;
    if (gate != null) {
      gate.countDown();
    }
  }

  private WebhookRequest order(String eventId, int amount) {
    return InboxScenarios.SIGNER.sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/hooks/orders")
        .header("Content-Type", "application/json").header("webhook-id", eventId)
        .body("{\"type\":\"order.created\",\"id\":\"" + eventId + "\",\"amount\":" + amount + ",\"failTimes\":0}")
        .build());
  }

  private InboxState state(String eventId) {
    Long id = jdbc.queryForObject("SELECT id FROM hookguard_inbox WHERE event_id = ?", Long.class, eventId);
    return inbox.find(id == null ? -1 : id, false).map(InboxEntry::state).orElseThrow();
  }

  private static void assertProblem(HttpResponse<String> answer, int status, String slug) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(answer.body()).contains("\"type\":\"urn:hookguard:problem:" + slug + "\"");
  }

  @Test
  void aReusedIdIs422AFullBacklogAndADownStoreAre503WithRetryAfter() throws Exception {
    HttpResponse<String> stored = InboxScenarios.send(order("msg_answers_1", 100));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    InboxScenarios.eventually("done", () -> state("msg_answers_1") == InboxState.DONE);
    // The backlog bound is checked first, on a count at most a second old (still 1 here: full).
    Thread.sleep(1_200);

    assertProblem(InboxScenarios.send(order("msg_answers_1", 999)), 422, "fingerprint-mismatch");

    // One delivery held by the handler fills the backlog of one (its count refreshes once a second).
    InboxTestApplication.gate = new CountDownLatch(1);
    assertThat(InboxScenarios.send(order("msg_answers_held", 100)).statusCode()).isEqualTo(200);
    InboxScenarios.eventually("the handler holds it", () -> InboxTestApplication.attempts("msg_answers_held") == 1);
    Thread.sleep(1_200);
    HttpResponse<String> full = InboxScenarios.send(order("msg_answers_full", 100));
    assertProblem(full, 503, "inbox-full");
    assertThat(full.headers().firstValue("Retry-After")).isPresent();
    InboxTestApplication.gate.countDown();
    InboxScenarios.eventually("the held one is done", () -> state("msg_answers_held") == InboxState.DONE);

    jdbc.execute("SHUTDOWN");
    Thread.sleep(1_200); // past the backlog count's age: the next receipt asks the (stopped) database
    HttpResponse<String> down = InboxScenarios.send(order("msg_answers_down", 100));
    assertProblem(down, 503, "store-unavailable");
    assertThat(down.headers().firstValue("Retry-After")).isPresent();
  }
}
