package io.hookguard.examples;

import static io.hookguard.examples.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.examples.receiver.ReceiverApplication;
import io.hookguard.test.TestWebhook;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example receiver's documented contract, driven over real HTTP against the real app with
 * its own configuration (demo secrets, Caffeine store), with deliveries from Hookguard's test
 * kit as a user's own tests would send them.
 */
@SpringBootTest(classes = ReceiverApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReceiverContractTest {
  // The receiver's published demo secrets (application.yml).
  static final TestWebhook STRIPE = TestWebhook.of(Providers.STRIPE, "whsec_demo_stripe_secret");
  static final TestWebhook GITHUB = TestWebhook.of(Providers.GITHUB, "demo-github-secret");
  static final TestWebhook SLACK = TestWebhook.of(Providers.SLACK, "demo-slack-signing-secret");
  static final TestWebhook STANDARD = TestWebhook.of(Providers.STANDARD_WEBHOOKS, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  static final TestWebhook SHOPIFY = TestWebhook.of(Providers.SHOPIFY, "demo-shopify-secret");

  @Value("${local.server.port}")
  int port;

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> post(String path, TestWebhook webhook) {
    return send(webhook.httpRequest(url(path)));
  }

  private TestWebhook stripe(String id) {
    return STRIPE.eventId(id).eventType("invoice.paid");
  }

  private int runs(String eventId) {
    String processed = Http.get(url("/processed").toString()).body();
    String needle = "\"" + eventId + "\":";
    int at = processed.indexOf(needle);
    if (at < 0) {
      return 0;
    }
    int end = at + needle.length();
    while (end < processed.length() && Character.isDigit(processed.charAt(end))) {
      end++;
    }
    return Integer.parseInt(processed.substring(at + needle.length(), end));
  }

  private static void assertStatus(HttpResponse<String> response, int... allowed) {
    assertThat(response.statusCode()).as(response.body()).isIn(java.util.Arrays.stream(allowed).boxed().toList());
  }

  @Test
  void everyEndpointAcceptsItsSendersValidDeliveryOnce() {
    // One made-up event per sender, ids and types where each sender puts them.
    List<String> paths = List.of("/webhooks/stripe", "/webhooks/github", "/webhooks/slack",
        "/webhooks/standard", "/webhooks/shopify");
    List<TestWebhook> deliveries = List.of(STRIPE.eventId("evt_" + run), GITHUB.eventType("ping"),
        SLACK, STANDARD, SHOPIFY.eventType("orders/create"));

    for (int i = 0; i < deliveries.size(); i++) {
      assertStatus(post(paths.get(i), deliveries.get(i)), 200);
    }
    for (int i = 0; i < deliveries.size(); i++) {
      HttpResponse<String> retry = post(paths.get(i), deliveries.get(i));
      assertStatus(retry, 200);
      assertThat(retry.headers().firstValue("Hookguard-Replay")).as(paths.get(i)).hasValue("true");
    }
    for (TestWebhook delivery : deliveries) {
      assertThat(runs(delivery.expectedEventId().orElseThrow())).as(delivery.toString()).isEqualTo(1);
    }
  }

  @Test
  void svixBrandedHeadersAreAcceptedOnTheStandardEndpoint() {
    String id = "msg_svix_" + run;
    HttpRequest signed = STANDARD.eventId(id).httpRequest(url("/webhooks/standard"));
    HttpRequest.Builder svix = HttpRequest.newBuilder(signed.uri()).POST(signed.bodyPublisher().orElseThrow());
    signed.headers().map().forEach((name, values) -> {
      String renamed = name.toLowerCase(java.util.Locale.ROOT).startsWith("webhook-")
          ? "svix-" + name.substring("webhook-".length()) : name;
      values.forEach(value -> svix.header(renamed, value));
    });

    assertStatus(send(svix.build()), 200);
    assertThat(runs(id)).isEqualTo(1);
  }

  @Test
  void slashCommandsAnswerTheirCommandFromRequestParameters() {
    HttpResponse<String> response = post("/webhooks/slack/commands",
        SLACK.form("token=x&team_id=T1&command=%2Fdeploy&text=now"));

    assertStatus(response, 200);
    assertThat(response.body().replace(" ", "")).isEqualTo("{\"command\":\"/deploy\"}");
  }

  @Test
  void slacksUrlVerificationHandshakeGetsItsChallengeBack() {
    HttpResponse<String> response = post("/webhooks/slack",
        SLACK.json("{\"type\":\"url_verification\",\"token\":\"t\",\"challenge\":\"ch-" + run + "\"}"));

    assertStatus(response, 200);
    assertThat(response.body().replace(" ", "")).isEqualTo("{\"challenge\":\"ch-" + run + "\"}");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(response.headers().firstValue("X-Content-Type-Options")).as("answered by Hookguard, not the controller")
        .contains("nosniff");
  }

  @Test
  void forgedStaleFutureAndHeaderlessDeliveriesAreRefused() {
    TestWebhook valid = stripe("evt_refused_" + run);

    assertStatus(post("/webhooks/stripe", valid.tamperedBody()), 401);
    assertStatus(post("/webhooks/stripe", valid.timestampShiftedBy(Duration.ofMinutes(-30))), 401);
    assertStatus(post("/webhooks/stripe", valid.timestampShiftedBy(Duration.ofMinutes(30))), 401);
    assertStatus(post("/webhooks/stripe", valid.signedWithWrongKey()), 401);
    assertStatus(Http.send(HttpRequest.newBuilder(url("/webhooks/stripe")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"evt_refused_" + run + "\"}")).build()), 400, 401);
    assertStatus(Http.send(HttpRequest.newBuilder(url("/webhooks/stripe")).header("Stripe-Signature", "t=1,v1=zz")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 400, 401);
    assertThat(runs("evt_refused_" + run)).isZero();
  }

  @Test
  void oversizedAndIdlessAndUnreadableDeliveriesGet4xxNever5xx() {
    String big = "{\"id\":\"evt_big_" + run + "\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    assertStatus(post("/webhooks/stripe", STRIPE.json(big)), 413);
    assertStatus(post("/webhooks/stripe", STRIPE.json("{\"type\":\"invoice.paid\"}")), 400);
    // Signed, but not JSON the handler can bind.
    assertStatus(post("/webhooks/stripe", STRIPE.json("{\"id\":\"evt_broken_" + run + "\",")), 400);
    assertStatus(post("/webhooks/stripe", STRIPE.json("")), 400);
    assertStatus(Http.send(HttpRequest.newBuilder(url("/webhooks/stripe")).GET().build()), 400, 401, 405);
    assertStatus(Http.send(HttpRequest.newBuilder(url("/webhooks/github"))
        .header("Content-Type", "text/plain; charset=nonsense")
        .POST(HttpRequest.BodyPublishers.ofString("\u0000\u00ff")).build()), 400, 401);
    assertThat(runs("evt_big_" + run)).isZero();
  }

  @Test
  void aConcurrentBurstRunsTheHandlerOnceAndNeverAnswers5xx() {
    HttpRequest signed = stripe("evt_burst_" + run).httpRequest(url("/webhooks/stripe"));
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      responses.add(Http.CLIENT.sendAsync(signed, HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

    assertThat(statuses).allMatch(status -> status == 200 || status == 409).contains(200);
    assertThat(runs("evt_burst_" + run)).isEqualTo(1);
  }
}
