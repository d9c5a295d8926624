package io.hookguard.springattack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The attacker's view of the starter in a real Boot app over real HTTP: query parameters
 * injected into a signed form, and captured deliveries replayed with unsigned ids changed.
 */
@AttackBootTest
class SpringAttackTest {
  static final String SLACK_SECRET = AttackWebhookApplication.SLACK_SECRET;
  static final String STANDARD_SECRET = AttackWebhookApplication.STANDARD_SECRET;
  static final String GITHUB_SECRET = AttackWebhookApplication.GITHUB_SECRET;
  static final String SHOPIFY_SECRET = AttackWebhookApplication.SHOPIFY_SECRET;

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final WebhookSigner SLACK = WebhookSigner.builder(Providers.SLACK).secret(SLACK_SECRET).build();
  private static final WebhookSigner STANDARD =
      WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(STANDARD_SECRET).build();
  private static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret(GITHUB_SECRET).build();
  private static final WebhookSigner SHOPIFY = WebhookSigner.builder(Providers.SHOPIFY).secret(SHOPIFY_SECRET).build();

  @Value("${local.server.port}")
  int port;

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static HttpResponse<String> send(WebhookRequest signed) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url())).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertReplay(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Hookguard-Replay")).as("a replay: %s", response.body()).hasValue("true");
  }

  private static String unique() {
    return UUID.randomUUID().toString();
  }

  @Test
  void queryParametersAppendedToASignedSlashCommandDoNotBindToTheHandler() {
    WebhookRequest signed = SLACK.sign(WebhookRequest.builder()
        .url(url("/webhooks/slack/commands?command=/rm-rf&extra=1"))
        .header("Content-Type", "application/x-www-form-urlencoded").body("command=/deploy").build());

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).as("command is the signed one, extra is unbound")
        .contains("\"command\":\"/deploy\"").contains("\"extra\":null").contains("\"names\":\"command\"");
  }

  private WebhookRequest standard(String id) {
    return STANDARD.sign(WebhookRequest.builder().url(url("/webhooks/standard"))
        .header("Content-Type", "application/json").header("webhook-id", id)
        .body("{\"type\":\"user.created\",\"data\":{\"id\":\"" + id + "\"}}").build());
  }

  private static WebhookRequest svix(WebhookRequest webhookFamily) {
    WebhookHeaders headers = WebhookHeaders.builder()
        .add("Content-Type", "application/json")
        .add("svix-id", webhookFamily.headers().first("webhook-id"))
        .add("svix-timestamp", webhookFamily.headers().first("webhook-timestamp"))
        .add("svix-signature", webhookFamily.headers().first("webhook-signature")).build();
    return WebhookRequest.builder().url(webhookFamily.url()).headers(headers).body(webhookFamily.body()).build();
  }

  private static String body(WebhookRequest request) {
    return new String(request.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aSvixSignedDeliveryReplayedWithAnAddedUnsignedWebhookIdIsADuplicate() {
    WebhookRequest delivery = svix(standard("msg_spring_svix_" + unique()));
    HttpResponse<String> first = send(delivery);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    HttpResponse<String> replay = send(delivery.toBuilder().header("webhook-id", "anything-else-" + unique()).build());

    assertReplay(replay);
    assertThat(AttackWebhookApplication.runsWithBody(body(delivery))).as("the handler ran again").isEqualTo(1);
  }

  @Test
  void aWebhookSignedDeliveryReplayedWithAnAddedUnsignedSvixIdIsADuplicate() {
    WebhookRequest delivery = standard("msg_spring_wh_" + unique());
    assertThat(send(delivery).statusCode()).isEqualTo(200);

    HttpResponse<String> replay = send(delivery.toBuilder().header("svix-id", "anything-else-" + unique()).build());

    assertReplay(replay);
    assertThat(AttackWebhookApplication.runsWithBody(body(delivery))).isEqualTo(1);
  }

  @Test
  void aCapturedGitHubDeliveryReplayedWithAFreshDeliveryIdIsADuplicate() {
    String marker = unique();
    WebhookRequest delivery = GITHUB.sign(WebhookRequest.builder().url(url("/webhooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "gh-" + marker).body("{\"ref\":\"main\",\"marker\":\"" + marker + "\"}").build());
    HttpResponse<String> first = send(delivery);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    HttpResponse<String> replay = send(delivery.toBuilder().setHeader("X-GitHub-Delivery", "gh-fresh-" + marker).build());

    assertReplay(replay);
    assertThat(AttackWebhookApplication.runsWithBody(body(delivery))).as("the handler ran again").isEqualTo(1);
  }

  @Test
  void aCapturedShopifyDeliveryReplayedWithAFreshEventIdIsADuplicate() {
    String marker = unique();
    WebhookRequest delivery = SHOPIFY.sign(WebhookRequest.builder().url(url("/webhooks/shopify"))
        .header("Content-Type", "application/json").header("X-Shopify-Topic", "orders/create")
        .header("X-Shopify-Event-Id", "shop-" + marker).body("{\"id\":1,\"marker\":\"" + marker + "\"}").build());
    HttpResponse<String> first = send(delivery);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    HttpResponse<String> replay = send(delivery.toBuilder().setHeader("X-Shopify-Event-Id", "shop-fresh-" + marker)
        .build());

    assertReplay(replay);
    assertThat(AttackWebhookApplication.runsWithBody(body(delivery))).as("the handler ran again").isEqualTo(1);
  }
}
