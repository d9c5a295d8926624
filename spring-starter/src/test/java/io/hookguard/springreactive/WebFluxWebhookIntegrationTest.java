package io.hookguard.springreactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.delivery.DeliveryAudit;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The starter in a real Spring WebFlux app on Netty over real HTTP: annotated handlers (blocking
 * and reactive), a form post, a functional route; rejections as problem details that never reach
 * a handler; duplicates, bursts, failures and a client that goes away; and no store call on an
 * event loop.
 */
@SpringBootTest(classes = ReactiveWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=reactive",
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.stripe.secrets[0]=whsec_old_rotated_out",
        "hookguard.endpoints.stripe.secrets[1]=" + WebFluxWebhookIntegrationTest.STRIPE_SECRET,
        "hookguard.endpoints.stripe.max-body-size=16KB",
        "hookguard.endpoints.github.provider=github",
        "hookguard.endpoints.github.secrets=" + WebFluxWebhookIntegrationTest.GITHUB_SECRET,
        "hookguard.endpoints.slack.provider=slack",
        "hookguard.endpoints.slack.secrets=" + WebFluxWebhookIntegrationTest.SLACK_SECRET,
        "hookguard.endpoints.slack.dedup=false",
        "hookguard.endpoints.standard.provider=standard-webhooks",
        "hookguard.endpoints.standard.secrets=" + WebFluxWebhookIntegrationTest.STANDARD_SECRET,
        "hookguard.endpoints.standard.event-types=invoice.*"})
class WebFluxWebhookIntegrationTest {
  static final String STRIPE_SECRET = "whsec_webflux_stripe_secret";
  static final String GITHUB_SECRET = "webflux-github-secret";
  static final String SLACK_SECRET = "webflux-slack-secret";
  static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(STRIPE_SECRET).build();
  private static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret(GITHUB_SECRET).build();
  private static final WebhookSigner SLACK = WebhookSigner.builder(Providers.SLACK).secret(SLACK_SECRET).build();
  private static final WebhookSigner STANDARD =
      WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(STANDARD_SECRET).build();

  @Value("${local.server.port}")
  int port;

  @Autowired
  MeterRegistry meters;

  @AfterAll
  static void noStoreCallOrHandlerRanOnAnEventLoop() {
    assertThat(OffEventLoop.CHECKED).as("store calls and handler runs checked").hasPositiveValue();
    assertThat(OffEventLoop.VIOLATIONS).as("blocking calls on an event loop").isEmpty();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static HttpResponse<String> send(WebhookRequest signed) {
    return send(signed, HttpRequest.BodyPublishers.ofByteArray(signed.body()));
  }

  static HttpResponse<String> send(WebhookRequest signed, HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url())).timeout(Duration.ofSeconds(20))
        .POST(body);
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private WebhookRequest stripe(String eventId) {
    return STRIPE.sign(WebhookRequest.builder().url(url("/webhooks/stripe")).header("Content-Type", "application/json")
        .body("{\"id\":\"" + eventId + "\",\"type\":\"invoice.paid\",\"data\":{\"note\":\"caf\u00e9\"}}").build());
  }

  private static WebhookRequest withHeader(WebhookRequest signed, String name, String value) {
    return signed.toBuilder().header(name, value).build();
  }

  /** The same delivery sent {@code copies} times at once, from as many threads released together. */
  static List<HttpResponse<String>> burst(WebhookRequest signed, int copies) throws Exception {
    // Daemon threads: a sender stuck past the test must not keep the test JVM alive.
    ExecutorService senders = Executors.newFixedThreadPool(copies, task -> {
      Thread thread = new Thread(task, "burst-sender");
      thread.setDaemon(true);
      return thread;
    });
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        sent.add(senders.submit(() -> {
          go.await();
          return send(signed);
        }));
      }
      go.countDown();
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (Future<HttpResponse<String>> response : sent) {
        responses.add(response.get(30, TimeUnit.SECONDS));
      }
      return responses;
    } finally {
      senders.shutdownNow();
    }
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

  @Test
  void aVerifiedDeliveryIsBoundByTheAppsOwnCodecsAndCarriesItsMetadata() {
    HttpResponse<String> response = send(stripe("evt_flux_ok"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"boundType\":\"invoice.paid\"")
        .contains("\"eventId\":\"evt_flux_ok\"").contains("\"provider\":\"stripe\"");
    assertThat(ReactiveWebhookApplication.AUDITS).anySatisfy(audit -> {
      assertThat(audit.eventId()).isEqualTo("evt_flux_ok");
      assertThat(audit.outcome()).isEqualTo(DeliveryAudit.Outcome.PROCESSED);
      assertThat(audit.dedup()).isEqualTo(DeliveryAudit.Dedup.CLAIMED);
    });
  }

  @Test
  void rejectionsAreProblemDetailsAndNeverReachTheHandler() {
    WebhookRequest valid = stripe("evt_flux_bad");
    double before = count("stripe", "no-matching-signature");

    assertProblem(send(valid.toBuilder().body(new String(valid.body(), StandardCharsets.UTF_8).replace("paid", "PAID"))
        .build()), 401, "no-matching-signature");
    assertProblem(send(STRIPE.sign(valid, Instant.now().minus(Duration.ofHours(1)))), 401, "timestamp-too-old");
    assertProblem(send(WebhookRequest.builder().url(valid.url()).body(valid.body()).build()), 400, "missing-header");
    assertProblem(send(valid.toBuilder().setHeader("Stripe-Signature", "garbage").build()), 400, "malformed-header");
    assertProblem(send(valid.toBuilder().header("Content-Encoding", "gzip").build()), 415,
        "unsupported-content-encoding");
    String big = "{\"id\":\"evt_flux_big\",\"pad\":\"" + "x".repeat(20_000) + "\"}";
    WebhookRequest oversized = STRIPE.sign(valid.toBuilder().body(big).build());
    HttpResponse<String> declared = send(oversized);
    assertProblem(declared, 413, "body-too-large");
    assertThat(declared.headers().firstValue("Connection")).hasValue("close");
    // Chunked, no Content-Length: cut off as the body passes the limit.
    assertProblem(send(oversized, HttpRequest.BodyPublishers.ofInputStream(
        () -> new ByteArrayInputStream(oversized.body()))), 413, "body-too-large");

    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_bad")).isZero();
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_big")).isZero();
    assertThat(count("stripe", "no-matching-signature") - before).isEqualTo(1.0);
  }

  @Test
  void retriesAreAcknowledgedOnceProcessedAndFailuresAreRetried() throws Exception {
    WebhookRequest signed = stripe("evt_flux_dup");
    assertThat(send(signed).statusCode()).isEqualTo(200);
    HttpResponse<String> retry = send(STRIPE.sign(signed));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertThat(retry.body()).isEmpty();
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_dup")).isEqualTo(1);
    // The connection the replay was answered on carries the next request (a GET, no body).
    HttpResponse<String> processed = CLIENT.send(HttpRequest.newBuilder(URI.create(url("/processed")))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(processed.body()).contains("\"evt_flux_dup\":1");

    // The app answers 503: released, so the sender's retry runs the handler again.
    assertThat(send(withHeader(stripe("evt_flux_503"), "X-Test-Status", "503")).statusCode()).isEqualTo(503);
    assertThat(send(stripe("evt_flux_503")).statusCode()).isEqualTo(200);
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_503")).isEqualTo(2);
    assertThat(send(stripe("evt_flux_503")).headers().firstValue("Hookguard-Replay")).hasValue("true");

    // The reactive handler fails: WebFlux answers 500, the claim is released, the retry runs.
    WebhookRequest exploding = GITHUB.sign(WebhookRequest.builder().url(url("/webhooks/github"))
        .header("X-GitHub-Delivery", "gh-flux-explode").body("{\"zen\":\"explode\"}").build());
    assertThat(send(exploding).statusCode()).isEqualTo(500);
    assertThat(send(GITHUB.sign(exploding)).statusCode()).isEqualTo(500);
    assertThat(ReactiveWebhookApplication.runsOf("gh-flux-explode")).isEqualTo(2);
    assertThat(count("stripe", "duplicate")).isGreaterThanOrEqualTo(1.0);
    // A failed delivery is finished (released, audited, counted) once its handler has returned,
    // which may be just after the 500 reached the client.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (count("github", "failed") < 2.0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(count("github", "failed")).isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void aBurstOfFiftyIdenticalDeliveriesRunsTheHandlerOnce() throws Exception {
    WebhookRequest signed = withHeader(stripe("evt_flux_burst"), "X-Test-Sleep", "300");
    List<HttpResponse<String>> responses = burst(signed, 50);

    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_burst")).isEqualTo(1);
    assertThat(responses).extracting(HttpResponse::statusCode).isSubsetOf(200, 409).contains(409);
    assertThat(responses).filteredOn(response -> response.statusCode() == 200
        && response.headers().firstValue("Hookguard-Replay").isEmpty()).as("answered by the handler").hasSize(1);
  }

  @Test
  void aSignedFormBindsAsRequestParametersFromTheSignedBodyOnly() {
    WebhookRequest signed = SLACK.sign(WebhookRequest.builder().url(url("/webhooks/slack/commands?command=/rm-rf"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("command=%2Fdeploy&text=caf%C3%A9+now&team_id=T1").build());

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"command\":\"/deploy\"").contains("\"text\":\"caf\u00e9 now\"")
        .contains("\"formCommand\":\"[/deploy]\"").doesNotContain("rm-rf");
    assertProblem(send(signed.toBuilder().body("command=%2Fdestroy&text=x&team_id=T1").build()),
        401, "no-matching-signature");
  }

  @Test
  void aFunctionalRouteBehindTheHandlerFilterIsVerifiedDeduplicatedAndFiltered() {
    WebhookRequest signed = STANDARD.sign(WebhookRequest.builder().url(url("/webhooks/standard"))
        .header("webhook-id", "msg_flux_fn").header("Content-Type", "application/json")
        .body("{\"type\":\"invoice.paid\",\"n\":1}").build());

    HttpResponse<String> response = send(signed);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"eventId\":\"msg_flux_fn\"").contains("\"bytes\":" + signed.body().length);
    assertThat(send(signed).headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertProblem(send(signed.toBuilder().body("{\"type\":\"invoice.paid\",\"n\":2}").build()), 401,
        "no-matching-signature");
    HttpResponse<String> other = send(STANDARD.sign(signed.toBuilder().setHeader("webhook-id", "msg_flux_other")
        .body("{\"type\":\"customer.created\"}").build()));
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("Hookguard-Ignored")).hasValue("event-type");
    assertThat(ReactiveWebhookApplication.runsOf("msg_flux_fn")).isEqualTo(1);
    assertThat(ReactiveWebhookApplication.runsOf("msg_flux_other")).isZero();
  }

  /** Sends a delivery to the Stripe endpoint over a socket the test closes itself: a client that goes away. */
  private void postOn(Socket socket, WebhookRequest signed) throws java.io.IOException {
    OutputStream out = socket.getOutputStream();
    StringBuilder head = new StringBuilder("POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    signed.headers().names().forEach(name -> signed.headers().all(name)
        .forEach(value -> head.append(name).append(": ").append(value).append("\r\n")));
    head.append("Content-Length: ").append(signed.body().length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(signed.body());
    out.flush();
  }

  @Test
  void aClientThatGoesAwayMidHandlerLeavesNoClaimBehind() throws Exception {
    WebhookRequest signed = withHeader(stripe("evt_flux_gone"), "X-Test-Sleep", "1500");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      postOn(socket, signed);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (ReactiveWebhookApplication.runsOf("evt_flux_gone") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(ReactiveWebhookApplication.runsOf("evt_flux_gone")).isEqualTo(1);
    } // the client goes away while the handler sleeps

    // While the handler still runs the claim holds (409). Once it returned the delivery is
    // released (Reactor Netty reports the disconnect on both Boot lines), never held for the
    // 5-minute lease: the retry runs the handler again, never alongside the first run.
    HttpResponse<String> early = send(stripe("evt_flux_gone"));
    assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
    HttpResponse<String> retry = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      retry = send(stripe("evt_flux_gone"));
      if (retry.statusCode() != 409) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(ReactiveWebhookApplication.MOST_ACTIVE.get("evt_flux_gone")).as("runs at once").isEqualTo(1);
    DeliveryAudit first = ReactiveWebhookApplication.AUDITS.stream()
        .filter(audit -> "evt_flux_gone".equals(audit.eventId()) && audit.handlerTime().isPresent())
        .findFirst().orElseThrow();
    assertThat(first.outcome()).isEqualTo(DeliveryAudit.Outcome.FAILED);
    assertThat(first.status()).isEqualTo(499);
    assertThat(retry.headers().firstValue("Hookguard-Replay")).isEmpty();
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_gone")).isEqualTo(2);
  }

  @Test
  void aClientThatGoesAwayWhileItsDeliveryIsBeingClaimedLeavesNoClaimBehind() throws Exception {
    WebhookRequest signed = stripe("evt_flux_gone_early");
    OffEventLoop.ClaimGate gate = new OffEventLoop.ClaimGate("evt_flux_gone_early",
        new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1));
    OffEventLoop.claimGate = gate;
    try {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        postOn(socket, signed);
        assertThat(gate.entered().await(10, java.util.concurrent.TimeUnit.SECONDS)).as("claim reached").isTrue();
      } // the client goes away while the store still takes the claim (a slow Redis, a queued scheduler)
      Thread.sleep(500); // the server sees the connection close
    } finally {
      gate.open().countDown(); // the claim is taken only now, after the exchange ended
      OffEventLoop.claimGate = null;
    }

    // Released at once, not held for the 5-minute lease: the sender's retry runs the handler.
    HttpResponse<String> retry = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      retry = send(stripe("evt_flux_gone_early"));
      if (retry.statusCode() != 409) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Hookguard-Replay")).isEmpty();
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_gone_early")).isEqualTo(1);
    assertThat(ReactiveWebhookApplication.AUDITS).filteredOn(audit -> "evt_flux_gone_early".equals(audit.eventId()))
        .extracting(DeliveryAudit::outcome, DeliveryAudit::status)
        .contains(org.assertj.core.groups.Tuple.tuple(DeliveryAudit.Outcome.FAILED, DeliverySlotStatus.CLIENT_CLOSED));
  }

  /** The status recorded for a client that went away (nginx's 499). */
  private static final class DeliverySlotStatus {
    static final int CLIENT_CLOSED = 499;
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
    send(stripe("evt_flux_timed"));

    assertThat(meters.find("hookguard.checks").tag("provider", "stripe").timer()).isNotNull()
        .satisfies(timer -> assertThat(timer.count()).isPositive());
  }
}
