package io.hookguard.servlet;

import io.hookguard.delivery.Answer;

import io.hookguard.delivery.WebhookEndpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookguard.Providers;
import io.hookguard.TrustedProxies;
import io.hookguard.VerificationResult;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookScheme;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupStore;
import io.hookguard.dedup.DedupStoreException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter in a real container (Tomcat 11 and Jetty 12, one run each) over real HTTP: what
 * reaches the application, and what never does.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class WebhookFilterTest {
  /** The container this run of the class is in. */
  @Parameter
  Container container;

  private static final String STRIPE_SECRET = "whsec_filter_test_secret";
  private static final String SLACK_SECRET = "slack-filter-test-secret";
  private static final String GITHUB_SECRET = "github-filter-test-secret";
  private static final String TWILIO_SECRET = "twilio-filter-test-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The application, fresh per container: its run counts are per event id. */
  private static RecordingServlet app;
  private static final AtomicInteger verifications = new AtomicInteger();
  private static final DownStore downStore = new DownStore();
  private static TestServer server;

  private static final WebhookSigner stripe = WebhookSigner.builder(Providers.STRIPE).secret(STRIPE_SECRET).build();
  private static final WebhookSigner slack = WebhookSigner.builder(Providers.SLACK).secret(SLACK_SECRET).build();
  private static final WebhookSigner github = WebhookSigner.builder(Providers.GITHUB).secret(GITHUB_SECRET).build();
  private static final WebhookSigner twilio = WebhookSigner.builder(Providers.TWILIO).secret(TWILIO_SECRET).build();

  /** Counts verifications, to prove a request is verified once across dispatches. */
  private static WebhookVerifier counting(WebhookVerifier verifier) {
    return new WebhookVerifier() {
      @Override
      public VerificationResult verify(WebhookRequest request) {
        verifications.incrementAndGet();
        return verifier.verify(request);
      }

      @Override
      public WebhookScheme scheme() {
        return verifier.scheme();
      }
    };
  }

  /** The one place a mock store is right: a store that is down. */
  static final class DownStore implements DedupStore {
    @Override
    public ClaimResult claim(String key, String fingerprint, Duration lease) {
      throw new DedupStoreException("connection refused");
    }

    @Override
    public boolean complete(String key, String token, Duration retention) {
      throw new DedupStoreException("connection refused");
    }

    @Override
    public boolean release(String key, String token) {
      throw new DedupStoreException("connection refused");
    }

    @Override
    public boolean extend(String key, String token, Duration lease) {
      throw new DedupStoreException("connection refused");
    }
  }

  @BeforeParameterizedClassInvocation
  static void start(Container container) {
    app = new RecordingServlet();
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint("/hooks/stripe", WebhookEndpoint.builder("stripe",
                counting(WebhookVerifier.builder(Providers.STRIPE).secret(STRIPE_SECRET).build()))
            .maxBodyBytes(64 * 1024).dedup(dedup).build())
        .endpoint("/hooks/slack/commands", WebhookEndpoint.builder("slack-commands",
            WebhookVerifier.builder(Providers.SLACK).secret(SLACK_SECRET).build()).build())
        .endpoint("/hooks/github", WebhookEndpoint.builder("github",
            WebhookVerifier.builder(Providers.GITHUB).secret(GITHUB_SECRET).build()).dedup(dedup).build())
        .endpoint("/hooks/down", WebhookEndpoint.builder("down",
            WebhookVerifier.builder(Providers.GITHUB).secret(GITHUB_SECRET).build())
            .dedup(DedupEngine.builder(downStore).outageRetryAfter(Duration.ofSeconds(12)).build()).build())
        .endpoint("/hooks/twilio", WebhookEndpoint.builder("twilio",
            WebhookVerifier.builder(Providers.TWILIO).secret(TWILIO_SECRET).build()).build())
        // Mapped to /* so that /open and the /error page pass through it.
        .passUnmatchedRequests()
        .build();
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/hooks/*", app);
    servlets.put("/open", app);
    servlets.put("/error", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(500);
        resp.setContentType("text/plain");
        resp.getWriter().write("error page saw " + req.getInputStream().readAllBytes().length + " bytes");
      }
    });
    server = container.start(filter, servlets);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    server.close();
  }

  private static String stripeEvent(String id) {
    return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"amount\":4200,\"note\":\"caf\u00e9\"}}";
  }

  private static WebhookRequest signedStripe(String path, String body) {
    return stripe.sign(WebhookRequest.builder().url(server.url(path))
        .header("Content-Type", "application/json").body(body).build());
  }

  /** A check repeated for up to two seconds until it yields a value. */
  private static <T> java.util.Optional<T> eventually(java.util.function.Supplier<java.util.Optional<T>> check) {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    java.util.Optional<T> value = check.get();
    while (value.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return value;
      }
      value = check.get();
    }
    return value;
  }

  private static HttpResponse<String> send(WebhookRequest signed) {
    return server.send(TestServer.post(signed).build());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String slug) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).isEqualTo("urn:hookguard:problem:" + slug);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain(STRIPE_SECRET, GITHUB_SECRET, SLACK_SECRET, TWILIO_SECRET);
  }

  @Test
  void aValidDeliveryReachesTheApplicationWithItsBodyReadableAgainAndItsMetadata() throws IOException {
    String body = stripeEvent("evt_valid");
    HttpResponse<String> response = send(signedStripe("/hooks/stripe", body));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode seen = json(response);
    assertThat(seen.get("provider").asText()).isEqualTo("stripe");
    assertThat(seen.get("eventId").asText()).isEqualTo("evt_valid");
    assertThat(seen.get("sha256").asText()).isEqualTo(RecordingServlet.sha256(body));
    assertThat(seen.get("rereadEqual").asBoolean()).isTrue();
    assertThat(seen.get("readerChars").asInt()).as("JSON without charset is read as UTF-8").isEqualTo(body.length());
    assertThat(seen.get("contentLength").asInt()).isEqualTo(body.getBytes(UTF_8).length);
    assertThat(response.headers().firstValue(Answer.REPLAY_HEADER)).isEmpty();
  }

  @Test
  void forgedStaleFutureAndMalformedDeliveriesNeverReachTheApplication() throws IOException {
    WebhookRequest valid = signedStripe("/hooks/stripe", stripeEvent("evt_bad"));
    String header = valid.headers().first("Stripe-Signature");

    assertProblem(send(valid.toBuilder().body(stripeEvent("evt_bad").replace("4200", "4201")).build()),
        401, "no-matching-signature");
    assertProblem(send(stripe.sign(valid, Instant.now().minus(Duration.ofMinutes(10)))), 401, "timestamp-too-old");
    assertProblem(send(stripe.sign(valid, Instant.now().plus(Duration.ofMinutes(10)))), 401, "timestamp-too-new");
    assertProblem(send(WebhookRequest.builder().url(valid.url()).body(valid.body()).build()), 400, "missing-header");
    assertProblem(send(valid.toBuilder().setHeader("Stripe-Signature", "t=\u00e9\u00e9,v1=zz").build()),
        400, "malformed-timestamp");
    assertProblem(send(valid.toBuilder().setHeader("Stripe-Signature", header + "x".repeat(9_000)).build()),
        400, "malformed-header");
    WebhookRequest otherSecret = WebhookSigner.builder(Providers.STRIPE).secret("whsec_wrong").build().sign(valid);
    assertProblem(send(otherSecret), 401, "no-matching-signature");

    assertThat(app.runsOf("evt_bad")).isZero();
  }

  @Test
  void oversizedBodiesAreRefusedFromContentLengthAndFromAChunkedRead() throws IOException {
    String big = stripeEvent("evt_big").replace("caf\u00e9", "x".repeat(70 * 1024));
    WebhookRequest signed = signedStripe("/hooks/stripe", big);

    try {
      assertProblem(send(signed), 413, "body-too-large");
    } catch (java.io.UncheckedIOException e) {
      // Jetty answers 413 without reading the body and then closes the connection; a client still
      // writing the rest may see the reset before the answer. Tomcat drains (maxSwallowSize).
      assertThat(container).as("only Jetty may reset instead of answering: %s", e).isEqualTo(Container.JETTY);
    }
    HttpRequest chunked = TestServer.post(signed)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(signed.body()))).build();
    assertProblem(server.send(chunked), 413, "body-too-large");
    assertThat(app.runsOf("evt_big")).isZero();
  }

  /**
   * A request wrapper in front of the filter may state a shorter Content-Length than the bytes
   * its stream yields: the filter reads on past the stated length, verifies the bytes it got and
   * keeps to its limit.
   */
  @Test
  void aBodyLongerThanItsStatedLengthIsReadWholeAndStillBounded() throws IOException {
    RecordingServlet understated = new RecordingServlet();
    WebhookFilter guarded = WebhookFilter.builder()
        .endpoint("/hooks/stripe", WebhookEndpoint.builder("stripe",
            WebhookVerifier.builder(Providers.STRIPE).secret(STRIPE_SECRET).build()).maxBodyBytes(1024).build())
        .build();
    jakarta.servlet.Filter understating = (request, response, chain) -> guarded.doFilter(
        new jakarta.servlet.http.HttpServletRequestWrapper((HttpServletRequest) request) {
          @Override
          public long getContentLengthLong() {
            return 10;
          }

          @Override
          public int getContentLength() {
            return 10;
          }
        }, response, chain);
    try (TestServer lying = container.start(understating, Map.of("/hooks/*", understated))) {
      WebhookRequest fits = stripe.sign(WebhookRequest.builder().url(lying.url("/hooks/stripe"))
          .header("Content-Type", "application/json").body(stripeEvent("evt_understated")).build());
      HttpResponse<String> accepted = lying.send(TestServer.post(fits).build());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
      assertThat(understated.runsOf("evt_understated")).isEqualTo(1);

      String big = stripeEvent("evt_understated_big").replace("caf\u00e9", "x".repeat(2048));
      WebhookRequest tooBig = stripe.sign(WebhookRequest.builder().url(lying.url("/hooks/stripe"))
          .header("Content-Type", "application/json").body(big).build());
      HttpResponse<String> refused = lying.send(TestServer.post(tooBig).build());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
      assertThat(understated.runsOf("evt_understated_big")).isZero();
    }
  }

  @Test
  void aChunkedBodyWithinTheLimitIsVerifiedAndGetsItsContentLength() throws IOException {
    WebhookRequest signed = signedStripe("/hooks/stripe", stripeEvent("evt_chunked"));
    HttpRequest chunked = TestServer.post(signed)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(signed.body()))).build();

    HttpResponse<String> response = server.send(chunked);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("contentLength").asInt()).isEqualTo(signed.body().length);
  }

  @Test
  void compressedBodiesAreRefusedWithAnExplicitType() throws IOException {
    WebhookRequest signed = signedStripe("/hooks/stripe", stripeEvent("evt_gzip"));

    assertProblem(send(signed.toBuilder().setHeader("Content-Encoding", "gzip").build()),
        415, "unsupported-content-encoding");
    assertThat(send(signed.toBuilder().setHeader("Content-Encoding", "identity").build()).statusCode()).isEqualTo(200);
  }

  @Test
  void formEncodedSlashCommandsAreReadableAsParametersAfterVerification() throws IOException {
    String form = "token=x&team_id=T1&command=%2Fdeploy&text=caf%C3%A9+%E2%9C%93+%22now%22&trigger_id=1.2";
    WebhookRequest signed = slack.sign(WebhookRequest.builder().url(server.url("/hooks/slack/commands?source=q"))
        .header("Content-Type", "application/x-www-form-urlencoded").body(form).build());

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode seen = json(response);
    assertThat(seen.get("command").asText()).isEqualTo("/deploy");
    assertThat(seen.get("text").asText()).isEqualTo("caf\u00e9 \u2713 \"now\"");
    assertThat(seen.get("sha256").asText()).isEqualTo(RecordingServlet.sha256(form));
  }

  @Test
  void aSignedFormBodyWithABrokenEscapeIsABadRequest() throws IOException {
    WebhookRequest signed = slack.sign(WebhookRequest.builder().url(server.url("/hooks/slack/commands"))
        .header("Content-Type", "application/x-www-form-urlencoded").body("command=%2Fdeploy&text=%E2%9").build());

    assertProblem(send(signed), 400, "unreadable-body");
  }

  @Test
  void aRetriedDeliveryIsAcknowledgedWithoutRunningTheApplicationAgain() throws IOException {
    WebhookRequest signed = signedStripe("/hooks/stripe", stripeEvent("evt_retry"));

    assertThat(send(signed).statusCode()).isEqualTo(200);
    HttpResponse<String> retry = send(stripe.sign(signed));

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.headers().firstValue(Answer.REPLAY_HEADER)).hasValue("true");
    assertThat(app.runsOf("evt_retry")).isEqualTo(1);
  }

  @Test
  void fiftyConcurrentIdenticalDeliveriesRunTheApplicationOnce() {
    WebhookRequest signed = signedStripe("/hooks/stripe?sleep=200", stripeEvent("evt_burst"));
    HttpRequest request = TestServer.post(signed).build();

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      responses.add(server.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

    assertThat(app.runsOf("evt_burst")).isEqualTo(1);
    assertThat(statuses).containsOnly(200, 409).contains(200);
  }

  @Test
  void aDuplicateWhileTheFirstRunsIsToldToRetryLater() throws Exception {
    WebhookRequest signed = signedStripe("/hooks/stripe?sleep=1500", stripeEvent("evt_slow"));
    CompletableFuture<HttpResponse<String>> first =
        server.client().sendAsync(TestServer.post(signed).build(), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500);

    HttpResponse<String> duplicate = send(signed);

    assertProblem(duplicate, 409, "in-progress");
    assertThat(duplicate.headers().firstValue("Retry-After")).hasValueSatisfying(
        seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 300L));
    assertThat(first.join().statusCode()).isEqualTo(200);
  }

  @Test
  void theSameEventIdWithAnotherBodyIsUnprocessable() throws IOException {
    assertThat(send(signedStripe("/hooks/stripe", stripeEvent("evt_twice"))).statusCode()).isEqualTo(200);

    assertProblem(send(signedStripe("/hooks/stripe", stripeEvent("evt_twice").replace("4200", "1"))),
        422, "fingerprint-mismatch");
    assertThat(app.runsOf("evt_twice")).isEqualTo(1);
  }

  @Test
  void aSignedDeliveryWithoutAnEventIdIsABadRequestWhereDedupNeedsOne() throws IOException {
    assertProblem(send(signedStripe("/hooks/stripe", "{\"type\":\"invoice.paid\"}")), 400, "missing-event-id");
  }

  @Test
  void anAsyncHandlerReadsTheEventTypeFromAHeaderAfterTheFilterHasLetGoOfTheRequestsHeaders() throws IOException {
    // GitHub's type is the X-GitHub-Event header, and the filter reads headers lazily from the
    // container: by the async dispatch, what the delivery carries must have been read already.
    WebhookRequest signed = github.sign(WebhookRequest.builder().url(server.url("/hooks/github?async=1"))
        .header("X-GitHub-Delivery", "gh-async-type").header("X-GitHub-Event", "push").body("{\"zen\":\"async\"}").build());

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("dispatch").asText()).isEqualTo("ASYNC");
    assertThat(answer.get("eventType").asText()).isEqualTo("push");
    assertThat(answer.get("eventId").asText()).isEqualTo("gh-async-type");
  }

  @Test
  void theApplicationsFailureReleasesTheEventSoTheRetryRuns() throws IOException {
    WebhookRequest failing = github.sign(WebhookRequest.builder().url(server.url("/hooks/github?status=500"))
        .header("X-GitHub-Delivery", "gh-500").body("{\"zen\":\"500\"}").build());
    WebhookRequest retry = github.sign(failing.toBuilder().url(server.url("/hooks/github")).build());

    assertThat(send(failing).statusCode()).isEqualTo(500);
    assertThat(send(retry).statusCode()).isEqualTo(200);
    assertThat(send(retry).headers().firstValue(Answer.REPLAY_HEADER)).hasValue("true");
    assertThat(app.runsOf("gh-500")).isEqualTo(2);
  }

  @Test
  void anExceptionReleasesTooAndTheErrorDispatchIsNotVerifiedAgain() throws IOException {
    WebhookRequest throwing = github.sign(WebhookRequest.builder().url(server.url("/hooks/github?throw=1"))
        .header("X-GitHub-Delivery", "gh-throw").body("{\"zen\":\"throw\"}").build());

    HttpResponse<String> response = send(throwing);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("error page saw " + throwing.body().length + " bytes");
    WebhookRequest retry = github.sign(throwing.toBuilder().url(server.url("/hooks/github")).build());
    assertThat(send(retry).statusCode()).isEqualTo(200);
    assertThat(app.runsOf("gh-throw")).isEqualTo(2);
  }

  @Test
  void asyncRequestsAreVerifiedOnceAndFinishedWhenTheirAsyncCycleEnds() throws IOException {
    int before = verifications.get();
    WebhookRequest signed = signedStripe("/hooks/stripe?async=1", stripeEvent("evt_async"));

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("dispatch").asText()).isEqualTo("ASYNC");
    assertThat(json(response).get("sha256").asText()).isEqualTo(RecordingServlet.sha256(signed.body()));
    assertThat(verifications.get() - before).isEqualTo(1);
    // The async cycle's completion may land just after the answer reached the client (Jetty): the
    // retry is in progress (409) until it does, then a replay; never run again.
    assertThat(eventually(() -> send(stripe.sign(signed)).headers().firstValue(Answer.REPLAY_HEADER)))
        .hasValue("true");
    assertThat(app.runsOf("evt_async")).isEqualTo(1);

    WebhookRequest failing = signedStripe("/hooks/stripe?async=1&status=503", stripeEvent("evt_async_503"));
    assertThat(send(failing).statusCode()).isEqualTo(503);
    // Likewise the release of the failed cycle: the retry is in progress (409) until it lands.
    WebhookRequest retry = signedStripe("/hooks/stripe", stripeEvent("evt_async_503"));
    assertThat(eventually(() -> java.util.Optional.of(send(retry).statusCode()).filter(status -> status != 409)))
        .hasValue(200);
    assertThat(app.runsOf("evt_async_503")).isEqualTo(2);
  }

  @Test
  void aStoreOutageFailsClosedWithRetryAfter() throws IOException {
    WebhookRequest signed = github.sign(WebhookRequest.builder().url(server.url("/hooks/down"))
        .header("X-GitHub-Delivery", "gh-down").body("{\"zen\":\"down\"}").build());

    HttpResponse<String> response = send(signed);

    assertProblem(response, 503, "store-unavailable");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("12");
    assertThat(app.runsOf("gh-down")).isZero();
  }

  @Test
  void pathsOutsideTheFilterMappingPassThroughUntouched() throws IOException {
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.url("/open")))
        .POST(HttpRequest.BodyPublishers.ofString("plain")).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("provider").asText()).isEmpty();
    assertThat(json(response).get("sha256").asText()).isEqualTo(RecordingServlet.sha256("plain"));
  }

  @Test
  void aPathUnderTheMappingThatMatchesNoEndpointIsRefusedUnlessPassingThroughIsAsked() throws IOException {
    WebhookFilter closed = WebhookFilter.builder()
        .endpoint("/hooks/stripe", WebhookEndpoint.builder("stripe",
            WebhookVerifier.builder(Providers.STRIPE).secret(STRIPE_SECRET).build()).build())
        .build();
    int before = app.requests();
    try (TestServer failClosed = container.start(closed, Map.of("/hooks/*", app),
        TestServer.Options.DEFAULTS.filterPattern("/hooks/*"))) {
      // A path that only starts like an endpoint's is another path, and the app must not see it unverified.
      assertProblem(failClosed.send(HttpRequest.newBuilder(URI.create(failClosed.url("/hooks/stripe/extra")))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build()), 404, "no-such-endpoint");
      assertProblem(failClosed.send(HttpRequest.newBuilder(URI.create(failClosed.url("/hooks/Stripe")))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build()), 404, "no-such-endpoint");
      HttpResponse<String> doubledSlash = failClosed.send(HttpRequest.newBuilder(
          URI.create(failClosed.url("/hooks//stripe/"))).POST(HttpRequest.BodyPublishers.ofString("x")).build());
      if (container == Container.JETTY) {
        // Jetty refuses an empty segment itself ("Ambiguous URI empty segment"), before any filter.
        assertThat(doubledSlash.statusCode()).as(doubledSlash.body()).isEqualTo(400);
        assertThat(doubledSlash.body()).contains("Ambiguous URI empty segment");
      } else {
        // Tomcat collapses it: the endpoint itself, with a trailing or doubled slash, is verified.
        assertProblem(doubledSlash, 400, "missing-header");
      }
      // With a trailing slash only, the endpoint is verified in every container.
      assertProblem(failClosed.send(HttpRequest.newBuilder(URI.create(failClosed.url("/hooks/stripe/")))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build()), 400, "missing-header");
    }
    assertThat(app.requests()).isEqualTo(before);
    // The main server of this class passes unmatched requests through.
    assertThat(server.send(HttpRequest.newBuilder(URI.create(server.url("/hooks/stripe/extra")))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build()).statusCode()).isEqualTo(200);
  }

  @Test
  void urlSigningSchemesSeeTheProxiedUrlOnlyFromTrustedProxiesInTheirHeaderFamily() throws IOException {
    String form = "CallSid=CA1&From=%2B15550001&Body=hi";
    WebhookRequest publicRequest = twilio.sign(WebhookRequest.builder()
        .url("https://hooks.example.com/hooks/twilio?tenant=a")
        .header("Content-Type", "application/x-www-form-urlencoded").body(form).build());
    HttpRequest proxied = TestServer.post(publicRequest)
        .uri(URI.create(server.url("/hooks/twilio?tenant=a")))
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "hooks.example.com")
        .header("X-Forwarded-Port", "443").build();

    assertProblem(server.send(proxied), 401, "no-matching-signature");

    WebhookFilter trusting = WebhookFilter.builder()
        .proxies(TrustedProxies.builder(TrustedProxies.Headers.FORWARDED).trust("127.0.0.1").trust("10.0.0.0/8").build())
        .endpoint("/hooks/twilio", WebhookEndpoint.builder("twilio",
            WebhookVerifier.builder(Providers.TWILIO).secret(TWILIO_SECRET).build()).build())
        .build();
    try (TestServer behindProxy = container.start(trusting, Map.of("/hooks/*", app))) {
      HttpRequest viaProxy = TestServer.post(publicRequest)
          .uri(URI.create(behindProxy.url("/hooks/twilio?tenant=a")))
          .header("Forwarded", "for=203.0.113.9;proto=https;host=hooks.example.com, for=10.0.0.1").build();
      HttpResponse<String> response = behindProxy.send(viaProxy);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      // The proxy writes Forwarded: X-Forwarded-* can only have come from the client.
      assertThat(behindProxy.send(TestServer.post(publicRequest)
          .uri(URI.create(behindProxy.url("/hooks/twilio?tenant=a")))
          .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "hooks.example.com")
          .header("X-Forwarded-Port", "443").build()).statusCode()).isEqualTo(401);
    }
    WebhookFilter trustingOther = WebhookFilter.builder()
        .proxies(TrustedProxies.builder(TrustedProxies.Headers.X_FORWARDED).trust("10.0.0.0/8").build())
        .endpoint("/hooks/twilio", WebhookEndpoint.builder("twilio",
            WebhookVerifier.builder(Providers.TWILIO).secret(TWILIO_SECRET).build()).build())
        .build();
    try (TestServer otherProxy = container.start(trustingOther, Map.of("/hooks/*", app))) {
      // Forwarded headers from a peer outside the trusted range are not believed.
      assertThat(otherProxy.send(TestServer.post(publicRequest)
          .uri(URI.create(otherProxy.url("/hooks/twilio?tenant=a")))
          .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "hooks.example.com")
          .header("X-Forwarded-Port", "443").build()).statusCode()).isEqualTo(401);
    }
  }
}
