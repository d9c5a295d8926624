package io.hookguard.spring;

import static io.hookguard.spring.SpringWebhookIntegrationTest.assertProblem;
import static io.hookguard.spring.SpringWebhookIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.delivery.DeliveryAudit;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** Source allowlists, expected event types and audit events configured through properties. */
@SpringBootTest(classes = TestWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused",
        "hookguard.endpoints.stripe.secrets=" + SpringAllowlistAuditTest.SECRET,
        "hookguard.endpoints.stripe.event-types=invoice.*",
        "hookguard.endpoints.github.provider=github",
        "hookguard.endpoints.github.secrets=" + SpringAllowlistAuditTest.SECRET,
        "hookguard.endpoints.github.allowed-sources=192.30.252.0/22,2a0a:a440::/29",
        "hookguard.proxies.trusted=127.0.0.1"})
class SpringAllowlistAuditTest {
  static final String SECRET = "spring-allowlist-secret";
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();
  private static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret(SECRET).build();

  @Value("${local.server.port}")
  int port;

  @BeforeEach
  void clear() {
    TestWebhookApplication.AUDITS.clear();
  }

  private WebhookRequest stripe(String id, String type) {
    return STRIPE.sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/stripe")
        .header("Content-Type", "application/json").body("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}").build());
  }

  private WebhookRequest github(String delivery, String forwardedFor) {
    return GITHUB.sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/github")
        .header("X-GitHub-Delivery", delivery).header("X-Forwarded-For", forwardedFor)
        .body("{\"zen\":\"" + delivery + "\"}").build());
  }

  @Test
  void onlyExpectedEventTypesReachTheHandler() {
    HttpResponse<String> ignored = send(stripe("evt_allow_1", "charge.refunded"));
    assertThat(ignored.statusCode()).isEqualTo(200);
    assertThat(ignored.headers().firstValue("Hookguard-Ignored")).hasValue("event-type");
    assertThat(send(stripe("evt_allow_2", "invoice.paid")).statusCode()).isEqualTo(200);

    assertThat(TestWebhookApplication.runsOf("evt_allow_1")).isZero();
    assertThat(TestWebhookApplication.runsOf("evt_allow_2")).isEqualTo(1);
  }

  @Test
  void sourcesOutsideTheAllowlistGet403() {
    assertProblem(send(github("gh-allow-1", "198.51.100.7")), 403, "source-not-allowed");
    assertThat(send(github("gh-allow-2", "192.30.252.10")).statusCode()).isEqualTo(200);

    assertThat(TestWebhookApplication.runsOf("gh-allow-1")).isZero();
    assertThat(TestWebhookApplication.runsOf("gh-allow-2")).isEqualTo(1);
  }

  @Test
  void everyDeliveryIsPublishedAsAnAuditEvent() {
    send(stripe("evt_audit_a", "invoice.paid"));
    send(stripe("evt_audit_a", "invoice.paid"));
    send(stripe("evt_audit_b", "charge.refunded"));
    send(github("gh-audit", "203.0.113.5"));

    assertThat(TestWebhookApplication.AUDITS).extracting(DeliveryAudit::outcome).containsExactly(
        DeliveryAudit.Outcome.PROCESSED, DeliveryAudit.Outcome.DUPLICATE, DeliveryAudit.Outcome.IGNORED,
        DeliveryAudit.Outcome.REJECTED);
    DeliveryAudit processed = TestWebhookApplication.AUDITS.get(0);
    assertThat(processed.eventId()).isEqualTo("evt_audit_a");
    assertThat(processed.eventType()).isEqualTo("invoice.paid");
    assertThat(processed.status()).isEqualTo(200);
    assertThat(processed.handlerTime()).isPresent();
    DeliveryAudit rejected = TestWebhookApplication.AUDITS.get(3);
    assertThat(rejected.reason()).isEqualTo(io.hookguard.RejectionReason.SOURCE_NOT_ALLOWED);
    assertThat(rejected.sourceAddress()).isEqualTo("203.0.113.5");
  }
}
