package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The starter in a real Spring Boot app over real HTTP, with the embedded Caffeine store:
 * annotated controllers for three providers, rejections as problem details, duplicates, form
 * posts and the metrics they leave.
 */
@SpringBootTest(classes = TestWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.stripe.secrets[0]=whsec_old_rotated_out",
        "hookguard.endpoints.stripe.secrets[1]=" + SpringWebhookIntegrationTest.STRIPE_SECRET,
        "hookguard.endpoints.stripe.max-body-size=16KB",
        "hookguard.endpoints.github.provider=github",
        "hookguard.endpoints.github.secrets=" + SpringWebhookIntegrationTest.GITHUB_SECRET,
        "hookguard.endpoints.slack.provider=slack",
        "hookguard.endpoints.slack.secrets=" + SpringWebhookIntegrationTest.SLACK_SECRET,
        "hookguard.endpoints.slack.dedup=false",
        "management.endpoints.web.exposure.include=health,metrics"})
class SpringWebhookIntegrationTest {
  static final String STRIPE_SECRET = "whsec_spring_stripe_secret";
  static final String GITHUB_SECRET = "spring-github-secret";
  static final String SLACK_SECRET = "spring-slack-secret";

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(STRIPE_SECRET).build();
  private static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret(GITHUB_SECRET).build();
  private static final WebhookSigner SLACK = WebhookSigner.builder(Providers.SLACK).secret(SLACK_SECRET).build();

  @Value("${local.server.port}")
  int port;

  @Autowired
  MeterRegistry meters;

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static HttpResponse<String> send(WebhookRequest signed) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url())).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private WebhookRequest stripe(String path, String eventId) {
    return STRIPE.sign(WebhookRequest.builder().url(url(path)).header("Content-Type", "application/json")
        .body("{\"id\":\"" + eventId + "\",\"type\":\"invoice.paid\",\"data\":{\"note\":\"caf\u00e9\"}}").build());
  }

  static void assertProblem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.body()).contains("\"type\":\"urn:hookguard:problem:" + slug + "\"")
        .contains("\"status\":" + status).doesNotContain(STRIPE_SECRET, GITHUB_SECRET, SLACK_SECRET);
  }

  private double count(String endpoint, String outcome) {
    var counter = meters.find("hookguard.deliveries").tag("endpoint", endpoint).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static WebhookRequest withHeader(WebhookRequest signed, String name, String value) {
    return signed.toBuilder().header(name, value).build();
  }

  @Test
  void aVerifiedDeliveryIsBoundByTheAppsOwnConvertersAndCarriesItsMetadata() {
    HttpResponse<String> response = send(stripe("/webhooks/stripe", "evt_spring_ok"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"boundType\":\"invoice.paid\"")
        .contains("\"eventId\":\"evt_spring_ok\"").contains("\"provider\":\"stripe\"");
  }

  @Test
  void rejectionsAreProblemDetailsAndNeverReachTheController() {
    WebhookRequest valid = stripe("/webhooks/stripe", "evt_spring_bad");
    double before = count("stripe", "no-matching-signature");

    assertProblem(send(valid.toBuilder().body(new String(valid.body()).replace("paid", "PAID")).build()),
        401, "no-matching-signature");
    assertProblem(send(STRIPE.sign(valid, Instant.now().minus(Duration.ofHours(1)))), 401, "timestamp-too-old");
    assertProblem(send(WebhookRequest.builder().url(valid.url()).body(valid.body()).build()), 400, "missing-header");
    assertProblem(send(valid.toBuilder().setHeader("Stripe-Signature", "garbage").build()), 400, "malformed-header");
    String big = "{\"id\":\"evt_spring_big\",\"pad\":\"" + "x".repeat(20_000) + "\"}";
    assertProblem(send(STRIPE.sign(valid.toBuilder().body(big).build())), 413, "body-too-large");

    assertThat(TestWebhookApplication.runsOf("evt_spring_bad")).isZero();
    assertThat(TestWebhookApplication.runsOf("evt_spring_big")).isZero();
    assertThat(count("stripe", "no-matching-signature") - before).isEqualTo(1.0);
  }

  @Test
  void retriesAreAcknowledgedOnceProcessedAndFailuresAreRetried() {
    WebhookRequest signed = stripe("/webhooks/stripe", "evt_spring_dup");
    assertThat(send(signed).statusCode()).isEqualTo(200);
    HttpResponse<String> retry = send(STRIPE.sign(signed));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertThat(TestWebhookApplication.runsOf("evt_spring_dup")).isEqualTo(1);

    // The app answers 503: released, so the sender's retry runs the handler again.
    assertThat(send(withHeader(stripe("/webhooks/stripe", "evt_spring_503"), "X-Test-Status", "503")).statusCode()).isEqualTo(503);
    assertThat(send(stripe("/webhooks/stripe", "evt_spring_503")).statusCode()).isEqualTo(200);
    assertThat(TestWebhookApplication.runsOf("evt_spring_503")).isEqualTo(2);

    // The handler throws: Spring answers 500, the claim is released, the retry runs.
    WebhookRequest exploding = GITHUB.sign(WebhookRequest.builder().url(url("/webhooks/github"))
        .header("X-GitHub-Delivery", "gh-spring-explode").body("{\"zen\":\"explode\"}").build());
    assertThat(send(exploding).statusCode()).isEqualTo(500);
    assertThat(send(GITHUB.sign(exploding)).statusCode()).isEqualTo(500);
    assertThat(TestWebhookApplication.runsOf("gh-spring-explode")).isEqualTo(2);
    assertThat(count("stripe", "duplicate")).isGreaterThanOrEqualTo(1.0);
    assertThat(count("github", "failed")).isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void aBurstOfIdenticalDeliveriesRunsTheHandlerOnce() {
    WebhookRequest signed = withHeader(stripe("/webhooks/stripe", "evt_spring_burst"), "X-Test-Sleep", "300");
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      responses.add(CompletableFuture.supplyAsync(() -> send(signed)));
    }
    List<Integer> statuses = responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

    assertThat(TestWebhookApplication.runsOf("evt_spring_burst")).isEqualTo(1);
    assertThat(statuses).containsOnly(200, 409).contains(200);
  }

  @Test
  void formEncodedSlashCommandsBindAsRequestParametersAfterVerification() {
    WebhookRequest signed = SLACK.sign(WebhookRequest.builder().url(url("/webhooks/slack/commands"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("command=%2Fdeploy&text=caf%C3%A9+now&team_id=T1").build());

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"command\":\"/deploy\"").contains("\"text\":\"caf\u00e9 now\"");
    assertProblem(send(signed.toBuilder().body("command=%2Fdestroy&text=x&team_id=T1").build()),
        401, "no-matching-signature");
  }

  @Test
  void handlersWithoutTheAnnotationAreUntouched() throws Exception {
    HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url("/unprotected")))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"echo\":\"hello\"}");
  }

  @Test
  void checksAreTimedPerProvider() {
    send(stripe("/webhooks/stripe", "evt_spring_timed"));

    assertThat(meters.find("hookguard.checks").tag("provider", "stripe").timer()).isNotNull()
        .satisfies(timer -> assertThat(timer.count()).isPositive());
  }
}
