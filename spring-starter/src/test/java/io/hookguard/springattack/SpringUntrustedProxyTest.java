package io.hookguard.springattack;

import static io.hookguard.springattack.Attack.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link SpringProxiesTest}'s requests when the test's peer (127.0.0.1) is not a trusted proxy:
 * its X-Forwarded-* headers are client-sent and believed for neither the source address nor the
 * public URL.
 */
@AttackBootTest
@TestPropertySource(properties = "hookguard.proxies.trusted=10.0.0.0/8")
class SpringUntrustedProxyTest {
  @Value("${local.server.port}")
  int port;

  @Test
  void anAllowedSourceInXForwardedForFromAnUntrustedPeerIsNotBelieved() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(SpringProxiesTest.github(port, probe).toBuilder()
        .header("X-Forwarded-For", SpringProxiesTest.ALLOWED_SOURCE).build());

    assertProblem(response, 403, "source-not-allowed");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }

  @Test
  void aTwilioPublicUrlInXForwardedHeadersFromAnUntrustedPeerDoesNotVerify() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(SpringProxiesTest.twilioForPublicUrl(port, probe).toBuilder()
        .header("X-Forwarded-For", SpringProxiesTest.TWILIO_CLIENT).header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "hooks.example.com").build());

    assertProblem(response, 401, "no-matching-signature");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }

  @Test
  void aTwilioCallbackSignedForTheAddressItWasSentToVerifies() {
    String probe = Attack.probe();
    WebhookRequest signed = Attack.TWILIO.sign(WebhookRequest.builder().url(Attack.url(port, "/webhooks/twilio"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(AttackWebhookApplication.PROBE_HEADER, probe).body("CallSid=CA" + probe + "&Body=hi").build());

    HttpResponse<String> response = Attack.send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isEqualTo(1);
  }
}
