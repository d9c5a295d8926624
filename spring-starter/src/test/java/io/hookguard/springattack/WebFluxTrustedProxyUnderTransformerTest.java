package io.hookguard.springattack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * The other half of {@link WebFluxApplicationForwardedHeadersTest}: the application's
 * ForwardedHeaderTransformer removes the forwarded headers from the request it hands on, but
 * Hookguard reads them as Netty received them, so a trusted proxy's X-Forwarded-For still names
 * the client (here one inside the allowlist).
 */
@AttackBootTest
@TestPropertySource(properties = {"spring.main.web-application-type=reactive",
    "server.forward-headers-strategy=framework"})
class WebFluxTrustedProxyUnderTransformerTest {
  @Value("${local.server.port}")
  int port;

  @Test
  void aTrustedProxysForwardedForStillNamesTheClient() {
    String probe = Attack.probe();
    WebhookRequest forwarded = Attack.GITHUB.sign(WebhookRequest.builder()
        .url("http://127.0.0.1:" + port + "/webhooks/github-allowed")
        .header("X-GitHub-Delivery", "gh-fwd-ok-" + probe).header("X-GitHub-Event", "push")
        .header("X-Forwarded-For", "192.30.252.1").header(AttackWebhookApplication.PROBE_HEADER, probe)
        .body("{\"zen\":\"" + probe + "\"}").build());

    HttpResponse<String> response = Attack.send(forwarded);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isEqualTo(1);
  }
}
