package io.hookguard.springattack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * GitHub does not sign its delivery id, so by default the body's SHA-256 is a second dedup key:
 * a captured delivery replayed with a fresh id is a duplicate. {@code dedup-on-body: false}
 * (endpoint github-by-id) keys on the id alone, so the same replay runs the handler again.
 */
@AttackBootTest
class SpringDedupOnBodyTest {
  @Value("${local.server.port}")
  int port;

  private WebhookRequest github(String path, String deliveryId, String marker) {
    return Attack.GITHUB.sign(WebhookRequest.builder().url(Attack.url(port, path))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", deliveryId).body("{\"ref\":\"main\",\"marker\":\"" + marker + "\"}").build());
  }

  private static String body(WebhookRequest request) {
    return new String(request.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void assertReplay(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Hookguard-Replay")).as("a replay: %s", response.body()).hasValue("true");
  }

  private static void assertRan(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Hookguard-Replay")).as("not a replay: %s", response.body()).isEmpty();
  }

  @Test
  void byDefaultAGitHubReplayWithAFreshDeliveryIdIsADuplicateAndTheHandlerDoesNotRun() {
    String marker = Attack.probe();
    WebhookRequest delivery = github("/webhooks/github", "gh-" + marker, marker);
    assertRan(Attack.send(delivery));

    assertReplay(Attack.send(delivery.toBuilder().setHeader("X-GitHub-Delivery", "gh-fresh-" + marker).build()));

    assertThat(AttackWebhookApplication.runsWithBody(body(delivery))).isEqualTo(1);
  }

  @Test
  void withDedupOnBodyOffAReplayWithAFreshDeliveryIdRunsTheHandlerAgain() {
    String marker = Attack.probe();
    WebhookRequest delivery = github("/webhooks/github-by-id", "gh-" + marker, marker);
    assertRan(Attack.send(delivery));

    assertRan(Attack.send(delivery.toBuilder().setHeader("X-GitHub-Delivery", "gh-fresh-" + marker).build()));

    assertThat(AttackWebhookApplication.runsWithBody(body(delivery))).isEqualTo(2);
  }

  @Test
  void withDedupOnBodyOffTheSameDeliveryIdIsStillADuplicate() {
    String marker = Attack.probe();
    WebhookRequest delivery = github("/webhooks/github-by-id", "gh-" + marker, marker);
    assertRan(Attack.send(delivery));

    assertReplay(Attack.send(delivery));

    assertThat(AttackWebhookApplication.runsWithBody(body(delivery))).isEqualTo(1);
  }
}
