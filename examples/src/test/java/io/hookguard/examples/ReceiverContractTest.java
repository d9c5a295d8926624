package io.hookguard.examples;

import static io.hookguard.examples.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.examples.receiver.ReceiverApplication;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example receiver's documented contract, driven over real HTTP against the real app with
 * its own configuration (demo secrets, Caffeine store).
 */
@SpringBootTest(classes = ReceiverApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReceiverContractTest {
  static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret("whsec_demo_stripe_secret").build();
  static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret("demo-github-secret").build();
  static final WebhookSigner SLACK = WebhookSigner.builder(Providers.SLACK).secret("demo-slack-signing-secret").build();
  static final WebhookSigner STANDARD = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS)
      .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").build();
  static final WebhookSigner SHOPIFY = WebhookSigner.builder(Providers.SHOPIFY).secret("demo-shopify-secret").build();

  @Value("${local.server.port}")
  int port;

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private WebhookRequest json(String path, String body) {
    return WebhookRequest.builder().url(url(path)).header("Content-Type", "application/json").body(body).build();
  }

  private WebhookRequest stripe(String id) {
    return STRIPE.sign(json("/webhooks/stripe", "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\"}"));
  }

  private int runs(String eventId) {
    String processed = Http.get(url("/processed")).body();
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
    List<WebhookRequest> deliveries = List.of(
        stripe("evt_" + run),
        GITHUB.sign(json("/webhooks/github", "{\"zen\":\"hi\"}").toBuilder()
            .header("X-GitHub-Delivery", "gh-" + run).header("X-GitHub-Event", "ping").build()),
        SLACK.sign(json("/webhooks/slack", "{\"type\":\"event_callback\",\"event_id\":\"Ev" + run
            + "\",\"event\":{\"type\":\"app_mention\"}}")),
        STANDARD.sign(json("/webhooks/standard", "{\"type\":\"user.created\"}").toBuilder()
            .header("webhook-id", "msg_" + run).build()),
        SHOPIFY.sign(json("/webhooks/shopify", "{\"id\":1}").toBuilder()
            .header("X-Shopify-Event-Id", "shop-" + run).header("X-Shopify-Topic", "orders/create").build()));
    List<String> ids = List.of("evt_" + run, "gh-" + run, "Ev" + run, "msg_" + run, "shop-" + run);

    for (WebhookRequest delivery : deliveries) {
      assertStatus(send(delivery), 200);
    }
    for (WebhookRequest delivery : deliveries) {
      HttpResponse<String> retry = send(delivery);
      assertStatus(retry, 200);
      assertThat(retry.headers().firstValue("Hookguard-Replay")).as(delivery.url()).hasValue("true");
    }
    for (String id : ids) {
      assertThat(runs(id)).as(id).isEqualTo(1);
    }
  }

  @Test
  void svixBrandedHeadersAreAcceptedOnTheStandardEndpoint() {
    WebhookRequest signed = STANDARD.sign(json("/webhooks/standard", "{\"type\":\"svix\"}").toBuilder()
        .header("webhook-id", "msg_svix_" + run).build());
    WebhookHeaders.Builder svix = WebhookHeaders.builder();
    for (String name : signed.headers().names()) {
      String renamed = name.toLowerCase(java.util.Locale.ROOT).startsWith("webhook-")
          ? "svix-" + name.substring("webhook-".length()) : name;
      signed.headers().all(name).forEach(value -> svix.add(renamed, value));
    }

    assertStatus(send(signed.toBuilder().headers(svix.build()).build()), 200);
    assertThat(runs("msg_svix_" + run)).isEqualTo(1);
  }

  @Test
  void slashCommandsAnswerTheirCommandFromRequestParameters() {
    WebhookRequest command = SLACK.sign(WebhookRequest.builder().url(url("/webhooks/slack/commands"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("token=x&team_id=T1&command=%2Fdeploy&text=now").build());

    HttpResponse<String> response = send(command);

    assertStatus(response, 200);
    assertThat(response.body().replace(" ", "")).isEqualTo("{\"command\":\"/deploy\"}");
  }

  @Test
  void slacksUrlVerificationHandshakeGetsItsChallengeBack() {
    HttpResponse<String> response = send(SLACK.sign(json("/webhooks/slack",
        "{\"type\":\"url_verification\",\"token\":\"t\",\"challenge\":\"ch-" + run + "\"}")));

    assertStatus(response, 200);
    assertThat(response.body()).contains("ch-" + run);
  }

  @Test
  void forgedStaleFutureAndHeaderlessDeliveriesAreRefused() {
    WebhookRequest valid = stripe("evt_refused_" + run);

    assertStatus(send(valid.toBuilder().body("{\"id\":\"evt_refused_" + run + "\",\"type\":\"invoice.PAID\"}")
        .build()), 401);
    assertStatus(send(STRIPE.sign(valid, Instant.now().minus(Duration.ofMinutes(30)))), 401);
    assertStatus(send(STRIPE.sign(valid, Instant.now().plus(Duration.ofMinutes(30)))), 401);
    assertStatus(send(WebhookRequest.builder().url(valid.url()).body(valid.body()).build()), 400, 401);
    assertStatus(send(valid.toBuilder().setHeader("Stripe-Signature", "t=1,v1=zz").build()), 400, 401);
    assertStatus(send(WebhookSigner.builder(Providers.STRIPE).secret("whsec_other").build().sign(valid)), 401);
    assertThat(runs("evt_refused_" + run)).isZero();
  }

  @Test
  void oversizedAndIdlessAndUnreadableDeliveriesGet4xxNever5xx() {
    String big = "{\"id\":\"evt_big_" + run + "\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    assertStatus(send(STRIPE.sign(json("/webhooks/stripe", big))), 413);
    assertStatus(send(STRIPE.sign(json("/webhooks/stripe", "{\"type\":\"invoice.paid\"}"))), 400);
    // Signed, but not JSON the handler can bind.
    assertStatus(send(STRIPE.sign(json("/webhooks/stripe", "{\"id\":\"evt_broken_" + run + "\",")))
        , 400);
    assertStatus(send(STRIPE.sign(json("/webhooks/stripe", ""))), 400);
    assertStatus(Http.send(HttpRequest.newBuilder(URI.create(url("/webhooks/stripe"))).GET().build()), 400, 401, 405);
    assertStatus(Http.send(HttpRequest.newBuilder(URI.create(url("/webhooks/github")))
        .header("Content-Type", "text/plain; charset=nonsense")
        .POST(HttpRequest.BodyPublishers.ofString("\u0000\u00ff")).build()), 400, 401);
    assertThat(runs("evt_big_" + run)).isZero();
  }

  @Test
  void aConcurrentBurstRunsTheHandlerOnceAndNeverAnswers5xx() {
    WebhookRequest signed = stripe("evt_burst_" + run);
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      responses.add(Http.CLIENT.sendAsync(Http.request(signed), HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

    assertThat(statuses).allMatch(status -> status == 200 || status == 409).contains(200);
    assertThat(runs("evt_burst_" + run)).isEqualTo(1);
  }
}
