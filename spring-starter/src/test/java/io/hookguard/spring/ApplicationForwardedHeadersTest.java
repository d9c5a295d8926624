package io.hookguard.spring;

import static io.hookguard.spring.SpringWebhookIntegrationTest.assertProblem;
import static io.hookguard.spring.SpringWebhookIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * With {@code server.forward-headers-strategy=framework}, Spring's ForwardedHeaderFilter runs before
 * Hookguard and rewrites the peer address from any client's X-Forwarded-For. Hookguard reads what the
 * container saw, so only its own trusted proxies decide who the client is.
 */
@SpringBootTest(classes = TestWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "server.forward-headers-strategy=framework",
        "hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=unused",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused",
        "hookguard.endpoints.github.provider=github",
        "hookguard.endpoints.github.secrets=" + ApplicationForwardedHeadersTest.SECRET,
        "hookguard.endpoints.github.allowed-sources=192.30.252.0/22"})
class ApplicationForwardedHeadersTest {
  static final String SECRET = "spring-forwarded-secret";
  private static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret(SECRET).build();

  @Value("${local.server.port}")
  int port;

  @Test
  void aClientSentForwardedForDoesNotPassTheAllowlistThroughTheApplicationsForwardedHeaderFilter() {
    WebhookRequest spoofed = GITHUB.sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/github")
        .header("X-GitHub-Delivery", "gh-fwd-1").header("X-Forwarded-For", "192.30.252.1")
        .body("{\"zen\":\"gh-fwd-1\"}").build());

    assertProblem(send(spoofed), 403, "source-not-allowed");
    assertThat(TestWebhookApplication.runsOf("gh-fwd-1")).isZero();
  }
}
