package io.hookguard.springattack;

import static io.hookguard.springattack.Attack.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The proxies model over real HTTP, with {@code hookguard.proxies.trusted=127.0.0.1} (the test's
 * own peer) and {@code headers=x-forwarded}: the client address and the public URL come from the
 * X-Forwarded-* family only; a client-sent RFC 7239 {@code Forwarded} header is not believed.
 * {@link SpringUntrustedProxyTest} shows the same headers from a peer that is not trusted.
 */
@AttackBootTest
class SpringProxiesTest {
  static final String ALLOWED_SOURCE = "192.30.252.10";
  static final String PUBLIC_URL = "https://hooks.example.com/webhooks/twilio";
  /** The client a proxy reports for a Twilio callback (a proxy always writes the client's address). */
  static final String TWILIO_CLIENT = "54.172.60.1";

  @Value("${local.server.port}")
  int port;

  static WebhookRequest github(int port, String probe) {
    return Attack.GITHUB.sign(WebhookRequest.builder().url(Attack.url(port, "/webhooks/github-allowed"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "gh-" + probe).header(AttackWebhookApplication.PROBE_HEADER, probe)
        .body("{\"probe\":\"" + probe + "\"}").build());
  }

  /** A Twilio callback signed for its public URL, sent to this server's address. */
  static WebhookRequest twilioForPublicUrl(int port, String probe) {
    WebhookRequest signed = Attack.TWILIO.sign(WebhookRequest.builder().url(PUBLIC_URL)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(AttackWebhookApplication.PROBE_HEADER, probe).body("CallSid=CA" + probe + "&Body=hi").build());
    return signed.toBuilder().url(Attack.url(port, "/webhooks/twilio")).build();
  }

  @Test
  void anAllowedSourceInXForwardedForFromTheTrustedProxyIsAccepted() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(github(port, probe).toBuilder()
        .header("X-Forwarded-For", ALLOWED_SOURCE).build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isEqualTo(1);
  }

  @Test
  void anAllowedSourceInAClientSentForwardedHeaderIsNotBelieved() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(github(port, probe).toBuilder()
        .header("Forwarded", "for=" + ALLOWED_SOURCE).build());

    assertProblem(response, 403, "source-not-allowed");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }

  @Test
  void withoutForwardedInformationThePeerIsTheSourceAndIsNotAllowed() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(github(port, probe));

    assertProblem(response, 403, "source-not-allowed");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }

  @Test
  void aTwilioCallbackVerifiesAgainstThePublicUrlTheTrustedProxyReports() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(twilioForPublicUrl(port, probe).toBuilder()
        .header("X-Forwarded-For", TWILIO_CLIENT).header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "hooks.example.com").build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isEqualTo(1);
  }

  @Test
  void aTwilioCallbackWithThePublicUrlInAClientSentForwardedHeaderDoesNotVerify() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(twilioForPublicUrl(port, probe).toBuilder()
        .header("Forwarded", "for=" + TWILIO_CLIENT + ";proto=https;host=hooks.example.com").build());

    assertProblem(response, 401, "no-matching-signature");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }
}
