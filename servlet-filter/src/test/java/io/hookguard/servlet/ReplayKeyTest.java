package io.hookguard.servlet;

import io.hookguard.delivery.Answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dedup keys on what was signed. An unsigned header an attacker adds or changes must not make a
 * captured delivery a new event: the Standard Webhooks id comes from the header family that
 * verified, and senders whose event id is unsigned and who sign no timestamp (GitHub, Shopify)
 * are guarded against replays with fresh ids.
 */
class ReplayKeyTest {
  private static AttackTarget target;

  @BeforeAll
  static void start() {
    target = AttackTarget.start();
  }

  @AfterAll
  static void stop() {
    target.close();
  }

  private static HttpResponse<String> send(WebhookRequest request) {
    return target.server.send(TomcatServer.post(request).build());
  }

  /** A Standard Webhooks delivery signed with the webhook-* headers (the signer's family). */
  private static WebhookRequest standard(String id) {
    return AttackTarget.STANDARD.sign(WebhookRequest.builder().url(target.url(AttackTarget.STANDARD_PATH))
        .header("Content-Type", "application/json").header("webhook-id", id)
        .body("{\"type\":\"user.created\",\"data\":{\"id\":\"" + id + "\"}}").build());
  }

  /** The same delivery as Svix sends it: svix-id, svix-timestamp, svix-signature (same signed content). */
  private static WebhookRequest svix(WebhookRequest webhookFamily) {
    WebhookHeaders.Builder headers = WebhookHeaders.builder()
        .add("Content-Type", "application/json")
        .add("svix-id", webhookFamily.headers().first("webhook-id"))
        .add("svix-timestamp", webhookFamily.headers().first("webhook-timestamp"))
        .add("svix-signature", webhookFamily.headers().first("webhook-signature"));
    return WebhookRequest.builder().url(webhookFamily.url()).headers(headers.build()).body(webhookFamily.body()).build();
  }

  private static String sha(WebhookRequest request) {
    return RecordingServlet.sha256(request.body());
  }

  private static void assertReplay(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue(Answer.REPLAY_HEADER)).as("a replay: %s", response.body())
        .hasValue("true");
  }

  @Test
  void aSvixSignedDeliveryReplayedWithAnAddedUnsignedWebhookIdIsStillADuplicate() {
    WebhookRequest delivery = svix(standard("msg_svix_" + AttackTarget.probe()));
    HttpResponse<String> first = send(delivery);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(target.app.runsWithBody(sha(delivery))).isEqualTo(1);

    HttpResponse<String> replay = send(delivery.toBuilder().header("webhook-id", "anything-else").build());

    assertReplay(replay);
    assertThat(target.app.runsWithBody(sha(delivery))).as("the servlet ran again").isEqualTo(1);
  }

  @Test
  void aWebhookSignedDeliveryReplayedWithAnAddedUnsignedSvixIdIsStillADuplicate() {
    WebhookRequest delivery = standard("msg_wh_" + AttackTarget.probe());
    HttpResponse<String> first = send(delivery);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    HttpResponse<String> replay = send(delivery.toBuilder().header("svix-id", "anything-else").build());

    assertReplay(replay);
    assertThat(target.app.runsWithBody(sha(delivery))).isEqualTo(1);
  }

  @Test
  void theEventIdTheApplicationSeesIsTheOneThatWasSigned() {
    String id = "msg_seen_" + AttackTarget.probe();
    WebhookRequest delivery = svix(standard(id)).toBuilder().header("webhook-id", "unsigned-" + id).build();

    HttpResponse<String> response = send(delivery);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(AttackTarget.json(response.body()).path("eventId").asText()).isEqualTo(id);
  }

  @Test
  void aCapturedGitHubDeliveryReplayedWithAFreshDeliveryIdIsADuplicate() {
    String probe = AttackTarget.probe();
    WebhookRequest delivery = AttackTarget.GITHUB.sign(WebhookRequest.builder().url(target.url(AttackTarget.GITHUB_PATH))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "gh-" + probe).body("{\"ref\":\"refs/heads/main\",\"probe\":\"" + probe + "\"}")
        .build());
    HttpResponse<String> first = send(delivery);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    HttpResponse<String> replay = send(delivery.toBuilder().setHeader("X-GitHub-Delivery", "gh-fresh-" + probe).build());

    assertReplay(replay);
    assertThat(target.app.runsWithBody(sha(delivery))).as("the servlet ran again").isEqualTo(1);
  }

  @Test
  void aCapturedShopifyDeliveryReplayedWithAFreshEventIdIsADuplicate() {
    String probe = AttackTarget.probe();
    WebhookRequest delivery = AttackTarget.SHOPIFY.sign(WebhookRequest.builder().url(target.url(AttackTarget.SHOPIFY_PATH))
        .header("Content-Type", "application/json").header("X-Shopify-Topic", "orders/create")
        .header("X-Shopify-Event-Id", "shop-" + probe).header("X-Shopify-Webhook-Id", "shop-wh-" + probe)
        .body("{\"id\":1,\"probe\":\"" + probe + "\"}").build());
    HttpResponse<String> first = send(delivery);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    HttpResponse<String> replay = send(delivery.toBuilder().setHeader("X-Shopify-Event-Id", "shop-fresh-" + probe)
        .setHeader("X-Shopify-Webhook-Id", "shop-wh-fresh-" + probe).build());

    assertReplay(replay);
    assertThat(target.app.runsWithBody(sha(delivery))).as("the servlet ran again").isEqualTo(1);
  }

  @Test
  void aGitHubRedeliveryWithItsOwnIdIsStillADuplicate() {
    String probe = AttackTarget.probe();
    WebhookRequest delivery = AttackTarget.GITHUB.sign(WebhookRequest.builder().url(target.url(AttackTarget.GITHUB_PATH))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "gh-own-" + probe).body("{\"probe\":\"" + probe + "\"}").build());
    assertThat(send(delivery).statusCode()).isEqualTo(200);

    assertReplay(send(delivery));
    assertThat(target.app.runsWithBody(sha(delivery))).isEqualTo(1);
  }
}
