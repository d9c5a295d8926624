package io.hookguard.springinbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxEntry;
import io.hookguard.inbox.InboxState;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An endpoint in inbox mode in a real Spring Boot app over real HTTP, on a real database (the
 * subclasses: H2, PostgreSQL): receipt answered once stored and before the handler finishes,
 * duplicates, retries with rolled-back writes, dead letters through the Actuator, metrics, health.
 */
@TestPropertySource(locations = "classpath:inbox-test.properties")
abstract class InboxScenarios {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final WebhookSigner SIGNER = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build();

  @Value("${local.server.port}")
  int port;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  Inbox inbox;

  @Autowired
  MeterRegistry meters;

  final String run = UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void openTheGate() {
    CountDownLatch gate = InboxTestApplication.gate;
    InboxTestApplication.gate = null;
    if (gate != null) {
      gate.countDown();
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  WebhookRequest order(String eventId, String type, int failTimes) {
    return SIGNER.sign(WebhookRequest.builder().url(url("/hooks/orders")).header("Content-Type", "application/json")
        .header("webhook-id", eventId)
        .body("{\"type\":\"" + type + "\",\"id\":\"" + eventId + "\",\"amount\":2000,\"failTimes\":" + failTimes + "}")
        .build());
  }

  static HttpResponse<String> send(WebhookRequest signed) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  int committedRuns(String eventId) {
    Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM order_runs WHERE event_id = ?", Integer.class, eventId);
    return count == null ? 0 : count;
  }

  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  long idOf(String eventId) {
    Long id = jdbc.queryForObject("SELECT i.id FROM hookguard_inbox i WHERE i.event_id = ?", Long.class, eventId);
    return id == null ? -1 : id;
  }

  InboxState state(String eventId) {
    return inbox.find(idOf(eventId), false).map(InboxEntry::state).orElseThrow();
  }

  @Test
  void theSenderIsAnsweredOnceStoredWhileTheHandlerStillRuns() throws Exception {
    String id = "msg_slow_" + run;
    InboxTestApplication.gate = new CountDownLatch(1);

    HttpResponse<String> answer = send(order(id, "order.created", 0));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Hookguard-Replay")).isEmpty();
    eventually("the handler started", () -> InboxTestApplication.attempts(id) == 1);
    assertThat(committedRuns(id)).isZero(); // answered while the handler was held
    assertThat(state(id)).isEqualTo(InboxState.IN_FLIGHT);
    InboxTestApplication.gate.countDown();
    eventually("the delivery is done", () -> state(id) == InboxState.DONE);
    assertThat(committedRuns(id)).isEqualTo(1);
  }

  @Test
  void theSendersRetryIsAcknowledgedAsAReplayAndRunsNothing() throws Exception {
    String id = "msg_retry_" + run;
    WebhookRequest delivery = order(id, "order.created", 0);
    assertThat(send(delivery).statusCode()).isEqualTo(200);
    eventually("the delivery is done", () -> state(id) == InboxState.DONE);

    HttpResponse<String> retry = send(SIGNER.sign(delivery));

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");
    Thread.sleep(300);
    assertThat(committedRuns(id)).isEqualTo(1);
    assertThat(InboxTestApplication.attempts(id)).isEqualTo(1);
  }

  @Test
  void failedAttemptsAreRetriedAndTheirWritesRolledBack() throws Exception {
    String id = "msg_flaky_" + run;

    assertThat(send(order(id, "order.created", 2)).statusCode()).isEqualTo(200);

    eventually("the third attempt succeeded", () -> state(id) == InboxState.DONE);
    assertThat(InboxTestApplication.attempts(id)).isEqualTo(3);
    assertThat(committedRuns(id)).as("the failed attempts' rows were rolled back").isEqualTo(1);
    InboxEntry entry = inbox.find(idOf(id), false).orElseThrow();
    assertThat(entry.attempts()).isEqualTo(3);
  }

  @Test
  void deadLettersAreListedInspectedReplayedAndPurgedThroughTheActuator() throws Exception {
    String id = "msg_dead_" + run;
    assertThat(send(order(id, "order.created", 3)).statusCode()).isEqualTo(200);
    eventually("a dead letter", () -> state(id) == InboxState.DEAD);
    long deliveryId = idOf(id);

    HttpResponse<String> listed = get("/actuator/hookguardinbox?endpoint=orders");
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("\"eventId\":\"" + id + "\"").contains("\"attempts\":3")
        .contains("failed on attempt 3").doesNotContain("\"body\"").doesNotContain("failTimes");
    HttpResponse<String> inspected = get("/actuator/hookguardinbox/" + deliveryId);
    assertThat(inspected.body()).contains("\"state\":\"dead\"").doesNotContain("failTimes");
    assertThat(get("/actuator/hookguardinbox/" + deliveryId + "?body=true").body())
        .contains("\"body\":\"{\\\"type\\\":\\\"order.created\\\"");
    assertThat(get("/actuator/hookguardinbox/999999999").statusCode()).isEqualTo(404);
    assertThat(committedRuns(id)).isZero();

    HttpResponse<String> replayed = post("/actuator/hookguardinbox/replay", "{\"id\":" + deliveryId + "}");

    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
    assertThat(replayed.body()).contains("\"replayed\":1");
    eventually("the replay succeeded", () -> state(id) == InboxState.DONE);
    assertThat(committedRuns(id)).isEqualTo(1);

    String other = "msg_purged_" + run;
    assertThat(send(order(other, "order.created", 3)).statusCode()).isEqualTo(200);
    eventually("another dead letter", () -> state(other) == InboxState.DEAD);
    assertThat(post("/actuator/hookguardinbox/purge", "{}").statusCode()).isEqualTo(400);
    assertThat(post("/actuator/hookguardinbox/sideways", "{\"all\":true}").statusCode()).isEqualTo(400);
    HttpResponse<String> purged = post("/actuator/hookguardinbox/purge", "{\"endpoint\":\"orders\"}");
    assertThat(purged.body()).contains("\"purged\":1");
    assertThat(inbox.find(idOf(id), false)).isPresent();
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hookguard_inbox WHERE event_id = ?", Integer.class, other))
        .isZero();
  }

  @Test
  void eventTypesPickTheirMethodAndABytesParameterGetsTheExactBody() throws Exception {
    String id = "msg_cancel_" + run;
    WebhookRequest delivery = order(id, "order.cancelled", 0);

    assertThat(send(delivery).statusCode()).isEqualTo(200);

    eventually("done", () -> state(id) == InboxState.DONE);
    assertThat(InboxTestApplication.CANCELLED).contains(new String(delivery.body(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(InboxTestApplication.attempts(id)).isZero();
  }

  @Test
  void aForgedDeliveryIsRefusedAndNeverStored() throws Exception {
    String id = "msg_forged_" + run;
    WebhookRequest forged = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS)
        .secret("whsec_" + java.util.Base64.getEncoder().encodeToString("another-secret-entirely!".getBytes()))
        .build().sign(order(id, "order.created", 0));

    assertThat(send(forged).statusCode()).isEqualTo(401);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hookguard_inbox WHERE event_id = ?", Integer.class, id))
        .isZero();
  }

  @Test
  void metersAndHealthShowTheInbox() throws Exception {
    String id = "msg_metered_" + run;
    assertThat(send(order(id, "order.created", 1)).statusCode()).isEqualTo(200);
    eventually("done", () -> state(id) == InboxState.DONE);

    assertThat(meters.get("hookguard.inbox.received").tag("endpoint", "orders").counter().count()).isPositive();
    assertThat(meters.get("hookguard.inbox.processed").tag("endpoint", "orders").counter().count()).isPositive();
    assertThat(meters.get("hookguard.inbox.failed-attempts").tag("endpoint", "orders").counter().count()).isPositive();
    assertThat(meters.get("hookguard.inbox.processing").tag("outcome", "processed").timer().count()).isPositive();
    assertThat(meters.get("hookguard.inbox.depth").tag("state", "done").gauge().value()).isPositive();
    assertThat(meters.get("hookguard.inbox.oldest-ready-age").timeGauge().value()).isNotNaN();
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.body()).containsPattern("\"hookguardInbox\":\\{[^}]*\"oldestReadyAge\"")
        .containsPattern("\"hookguardInbox\":\\{(\"details\":\\{[^}]*\\},)?\"status\":\"UP\"");
  }

  static int number(String json, String field) {
    Matcher matcher = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
  }
}
