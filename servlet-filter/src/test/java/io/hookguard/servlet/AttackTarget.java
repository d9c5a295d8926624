package io.hookguard.servlet;

import io.hookguard.delivery.Answer;

import io.hookguard.delivery.WebhookEndpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The server the attack tests aim at: the filter mapped to {@code /webhooks/*} with one endpoint
 * per sender family below, and a {@link SeenServlet} on {@code /*} that records every request it
 * is handed. Secrets, signers and the shared assertions ("refused, typed, no leak") live here.
 */
final class AttackTarget implements AutoCloseable {
  static final String STRIPE_SECRET = "whsec_attack_stripe_secret";
  static final String GITHUB_SECRET = "attack-github-secret";
  static final String SHOPIFY_SECRET = "attack-shopify-secret";
  static final String SLACK_SECRET = "attack-slack-secret";
  static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String TWILIO_SECRET = "attack-twilio-secret";
  static final List<String> SECRETS =
      List.of(STRIPE_SECRET, GITHUB_SECRET, SHOPIFY_SECRET, SLACK_SECRET, STANDARD_SECRET, TWILIO_SECRET);

  static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(STRIPE_SECRET).build();
  static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret(GITHUB_SECRET).build();
  static final WebhookSigner SHOPIFY = WebhookSigner.builder(Providers.SHOPIFY).secret(SHOPIFY_SECRET).build();
  static final WebhookSigner SLACK = WebhookSigner.builder(Providers.SLACK).secret(SLACK_SECRET).build();
  static final WebhookSigner STANDARD =
      WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(STANDARD_SECRET).build();
  static final WebhookSigner TWILIO = WebhookSigner.builder(Providers.TWILIO).secret(TWILIO_SECRET).build();

  /** The paths of the endpoints, all under the filter's mapping {@code /webhooks/*}. */
  static final String STRIPE_PATH = "/webhooks/stripe";
  static final String GITHUB_PATH = "/webhooks/github";
  static final String SHOPIFY_PATH = "/webhooks/shopify";
  static final String SLACK_PATH = "/webhooks/slack/commands";
  static final String STANDARD_PATH = "/webhooks/standard";
  static final String TWILIO_PATH = "/webhooks/twilio";

  /** Bodies of slash-command floods are large: room for 100,000 parameters. */
  static final int SLACK_MAX_BODY = 4 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  final SeenServlet app = new SeenServlet();
  final Container container;
  final TestServer server;

  private AttackTarget(Container container, UnaryOperator<WebhookEndpoint.Builder> stripeOptions,
      TestServer.Options options) {
    this.container = container;
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint(STRIPE_PATH, stripeOptions.apply(WebhookEndpoint.builder("stripe",
            WebhookVerifier.builder(Providers.STRIPE).secret(STRIPE_SECRET).build()).dedup(dedup)).build())
        .endpoint(GITHUB_PATH, WebhookEndpoint.builder("github",
            WebhookVerifier.builder(Providers.GITHUB).secret(GITHUB_SECRET).build()).dedup(dedup).build())
        .endpoint(SHOPIFY_PATH, WebhookEndpoint.builder("shopify",
            WebhookVerifier.builder(Providers.SHOPIFY).secret(SHOPIFY_SECRET).build()).dedup(dedup).build())
        .endpoint(SLACK_PATH, WebhookEndpoint.builder("slack",
            WebhookVerifier.builder(Providers.SLACK).secret(SLACK_SECRET).build()).maxBodyBytes(SLACK_MAX_BODY).build())
        .endpoint(STANDARD_PATH, WebhookEndpoint.builder("standard",
            WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(STANDARD_SECRET).build()).dedup(dedup).build())
        .endpoint(TWILIO_PATH, WebhookEndpoint.builder("twilio",
            WebhookVerifier.builder(Providers.TWILIO).secret(TWILIO_SECRET).build()).build())
        .build();
    this.server = container.start(filter, Map.of("/*", app), options);
  }

  /** @return the target in Tomcat with its default endpoints and Tomcat's default thread pool */
  static AttackTarget start() {
    return start(Container.TOMCAT);
  }

  /**
   * @param container the servlet container to run in
   * @return the target with its default endpoints and the container's default thread pool
   */
  static AttackTarget start(Container container) {
    return new AttackTarget(container, b -> b, TestServer.Options.DEFAULTS.filterPattern("/webhooks/*"));
  }

  /**
   * @param container the servlet container to run in
   * @param stripeOptions more settings for the Stripe endpoint
   * @param maxThreads the container's worker threads
   * @return the target
   */
  static AttackTarget start(Container container, UnaryOperator<WebhookEndpoint.Builder> stripeOptions,
      int maxThreads) {
    return new AttackTarget(container, stripeOptions,
        TestServer.Options.DEFAULTS.filterPattern("/webhooks/*").maxThreads(maxThreads));
  }

  int port() {
    return server.port();
  }

  String url(String path) {
    return server.url(path);
  }

  static String probe() {
    return "p-" + UUID.randomUUID();
  }

  /** A Stripe event body with this id. */
  static String stripeEvent(String id) {
    return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"amount\":4200}}";
  }

  /** A validly signed Stripe delivery to a path of this server. */
  WebhookRequest signedStripe(String path, String id) {
    return STRIPE.sign(WebhookRequest.builder().url(url(path)).header("Content-Type", "application/json")
        .body(stripeEvent(id)).build());
  }

  /** The raw HTTP/1.1 bytes of a signed core request, sent to a target exactly as given. */
  static byte[] raw(WebhookRequest signed, String method, String target, String... moreHeaders) {
    List<String> lines = new ArrayList<>();
    for (String name : signed.headers().names()) {
      for (String value : signed.headers().all(name)) {
        lines.add(name + ": " + value);
      }
    }
    lines.addAll(List.of(moreHeaders));
    return RawHttp.request(method, target, signed.body(), lines.toArray(String[]::new));
  }

  /** @see RefusalPromise#broken */
  static Optional<String> brokenPromise(int status, Optional<String> retryAfter, String body) {
    return RefusalPromise.broken(status, retryAfter, body, SECRETS);
  }

  static void assertRefusedCleanly(RawHttp.Answer answer) {
    assertThat(answer.none()).as("an answer arrived: %s", answer).isFalse();
    assertThat(brokenPromise(answer.status(), answer.header("Retry-After"), answer.body()))
        .as("%s", answer).isEmpty();
  }

  static void assertRefusedCleanly(HttpResponse<String> response) {
    assertThat(brokenPromise(response.statusCode(), response.headers().firstValue("Retry-After"), response.body()))
        .as("%d %s", response.statusCode(), response.body()).isEmpty();
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  /** Asserts an answer is the problem with this status and slug. */
  static void assertProblem(RawHttp.Answer answer, int status, String slug) {
    assertThat(answer.status()).as("%s", answer).isEqualTo(status);
    assertThat(answer.header("Content-Type")).as("%s", answer)
        .hasValueSatisfying(type -> assertThat(type).startsWith(Answer.PROBLEM_MEDIA_TYPE));
    JsonNode problem = json(answer.body());
    assertThat(problem.path("type").asText()).as("%s", answer).isEqualTo(Answer.TYPE_PREFIX + slug);
    assertThat(problem.path("status").asInt()).as("%s", answer).isEqualTo(status);
    assertRefusedCleanly(answer);
  }

  static void assertProblem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).as(response.body())
        .hasValueSatisfying(type -> assertThat(type).startsWith(Answer.PROBLEM_MEDIA_TYPE));
    JsonNode problem = json(response.body());
    assertThat(problem.path("type").asText()).as(response.body()).isEqualTo(Answer.TYPE_PREFIX + slug);
    assertThat(problem.path("status").asInt()).as(response.body()).isEqualTo(status);
    assertRefusedCleanly(response);
  }

  static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  @Override
  public void close() {
    server.close();
  }
}
