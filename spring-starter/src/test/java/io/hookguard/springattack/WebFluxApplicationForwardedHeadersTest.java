package io.hookguard.springattack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code server.forward-headers-strategy=framework}, Spring's ForwardedHeaderTransformer runs
 * before every WebFlux filter and rewrites the request's remote address, scheme and host from any
 * client's forwarded headers. Hookguard reads what the server (Netty) saw, so only its own trusted
 * proxies decide who the client is and which URL was signed.
 */
@AttackBootTest
@TestPropertySource(properties = {"spring.main.web-application-type=reactive",
    "server.forward-headers-strategy=framework", "hookguard.proxies.trusted=10.0.0.0/8"})
class WebFluxApplicationForwardedHeadersTest {
  @Value("${local.server.port}")
  int port;

  @Test
  void aClientSentForwardedForDoesNotPassTheAllowlistThroughTheApplicationsTransformer() {
    String probe = Attack.probe();
    WebhookRequest spoofed = Attack.GITHUB.sign(WebhookRequest.builder()
        .url("http://127.0.0.1:" + port + "/webhooks/github-allowed")
        .header("X-GitHub-Delivery", "gh-fwd-" + probe).header("X-GitHub-Event", "push")
        .header("X-Forwarded-For", "192.30.252.1").header("Forwarded", "for=192.30.252.1")
        .header(AttackWebhookApplication.PROBE_HEADER, probe)
        .body("{\"zen\":\"" + probe + "\"}").build());

    HttpResponse<String> response = Attack.send(spoofed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(response.body()).contains("urn:hookguard:problem:source-not-allowed");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }
}
