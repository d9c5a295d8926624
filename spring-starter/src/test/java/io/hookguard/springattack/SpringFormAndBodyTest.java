package io.hookguard.springattack;

import io.hookguard.servlet.RawHttp;
import static io.hookguard.springattack.Attack.assertProblem;
import static io.hookguard.springattack.Attack.assertRefusedCleanly;
import static io.hookguard.springattack.Attack.utf8;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.delivery.Answer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;

/**
 * The request-checking behaviours over the Spring app: parameter floods, a body-read deadline,
 * bodies that cannot be read, and charsets the JVM cannot decode. Each one a typed 4xx before
 * the handler.
 */
@AttackBootTest
class SpringFormAndBodyTest {
  private static final String SLACK_PATH = "/webhooks/slack/commands";

  @Value("${local.server.port}")
  int port;

  private String url(String path) {
    return Attack.url(port, path);
  }

  private WebhookRequest slackForm(WebhookSigner signer, String form, String probe) {
    return signer.sign(WebhookRequest.builder().url(url(SLACK_PATH))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(AttackWebhookApplication.PROBE_HEADER, probe).body(form).build());
  }

  // --- forms -------------------------------------------------------------------------------

  @Test
  void aValidlySignedParameterFloodIsRefusedAsTooManyParameters() {
    String probe = Attack.probe();

    HttpResponse<String> response = Attack.send(slackForm(Attack.SLACK, Attack.flood(100_000), probe));

    assertProblem(response, 413, "too-many-parameters");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }

  @Test
  void aParameterFloodWithAWrongSignatureIsUnauthorizedBeforeAnyDecoding() {
    String probe = Attack.probe();
    WebhookSigner forger = WebhookSigner.builder(Providers.SLACK).secret("not-the-secret").build();

    long start = System.nanoTime();
    HttpResponse<String> response = Attack.send(slackForm(forger, Attack.flood(100_000), probe));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertProblem(response, 401, "no-matching-signature");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
    assertThat(millis).as("answered promptly").isLessThan(5_000);
  }

  @Test
  void theDefaultParameterLimitIsOneThousand() {
    String atLimit = Attack.probe();
    String overLimit = Attack.probe();
    String form = "command=/deploy&" + Attack.flood(999);

    HttpResponse<String> accepted = Attack.send(slackForm(Attack.SLACK, form, atLimit));
    HttpResponse<String> refused = Attack.send(slackForm(Attack.SLACK, form + "&a1000=1000", overLimit));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(accepted.body()).as("@RequestParam Map saw all 1,000").contains("\"count\":1000");
    assertThat(AttackWebhookApplication.runsWithProbe(atLimit)).isEqualTo(1);
    assertProblem(refused, 413, "too-many-parameters");
    assertThat(AttackWebhookApplication.runsWithProbe(overLimit)).isZero();
  }

  /** 1,100 query parameters in under 8 KB, Tomcat's default limit for the request head. */
  @Test
  void injectedQueryParametersNeitherBindNorCountTowardsTheLimit() {
    String probe = Attack.probe();
    WebhookRequest signed = Attack.SLACK.sign(WebhookRequest.builder()
        .url(url(SLACK_PATH + "?command=/rm-rf&extra=1" + "&x=1".repeat(1_100)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(AttackWebhookApplication.PROBE_HEADER, probe).body("command=/deploy&text=x").build());

    HttpResponse<String> response = Attack.send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"command\":\"/deploy\"").contains("\"extra\":null")
        .contains("\"names\":\"command,text\"");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isEqualTo(1);
  }

  @Test
  void aTwilioCallbacksSignedQueryParametersBind() {
    String probe = Attack.probe();
    WebhookRequest signed = Attack.TWILIO.sign(WebhookRequest.builder().url(url("/webhooks/twilio?extra=1"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(AttackWebhookApplication.PROBE_HEADER, probe).body("CallSid=CA1&Body=hi").build());

    HttpResponse<String> response = Attack.send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"CallSid\":\"CA1\"").contains("\"Body\":\"hi\"").contains("\"extra\":\"1\"");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isEqualTo(1);
  }

  // --- the body-read deadline ----------------------------------------------------------------

  /**
   * Declares a 100-byte signed Stripe body to the endpoint with a one-second read-timeout and
   * sends one byte every 300 ms while waiting up to five seconds for the answer.
   */
  private RawHttp.Answer trickle(String probe) {
    WebhookRequest signed = Attack.signedStripe(port, "/webhooks/stripe-slow", "evt_slow_" + probe);
    String head = "POST /webhooks/stripe-slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n"
        + "Stripe-Signature: " + signed.headers().first("Stripe-Signature") + "\r\n"
        + AttackWebhookApplication.PROBE_HEADER + ": " + probe + "\r\n\r\n";
    return RawHttp.trickle(port, head, Duration.ofSeconds(5));
  }

  @Test
  void aSenderTricklingItsBodyPastTheReadTimeoutGetsARequestTimeout() {
    String probe = Attack.probe();

    RawHttp.Answer answer = trickle(probe);

    assertThat(answer.none()).as("answered within 5 s: %s", answer).isFalse();
    assertProblem(answer, 408, "body-read-timeout");
    assertThat(answer.millis()).as("answered after the 1 s deadline, well before 5 s").isBetween(800L, 5_000L);
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }

  // --- bodies that cannot be read -------------------------------------------------------------

  /**
   * An answer to a body that cannot be read: 400 — the unreadable-body problem, or Tomcat's own
   * 400 page where Tomcat commits it first — or none at all if the connection was reset; never
   * a 5xx, never a stack trace, never the handler.
   */
  private static void assertUnreadableOrNoAnswer(RawHttp.Answer answer, String probe) {
    if (!answer.none()) {
      assertUnreadable(answer);
    }
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).as("%s", answer).isZero();
  }

  private static void assertUnreadable(RawHttp.Answer answer) {
    if (answer.header("Content-Type").filter(type -> type.startsWith(Answer.PROBLEM_MEDIA_TYPE)).isPresent()) {
      assertProblem(answer, 400, "unreadable-body");
    } else {
      assertThat(answer.status()).as("%s", answer).isEqualTo(400);
      assertRefusedCleanly(answer);
    }
  }

  private byte[] signedHead(WebhookRequest signed, String path, String... more) {
    List<String> lines = new ArrayList<>(Attack.headerLines(signed));
    lines.addAll(List.of(more));
    return RawHttp.head("POST", path, lines.toArray(String[]::new));
  }

  @Test
  void anUnsignedBodyShorterThanItsContentLengthThenClosedIsUnreadable() {
    String probe = Attack.probe();
    byte[] request = RawHttp.concat(RawHttp.head("POST", "/webhooks/stripe", "Content-Type: application/json",
        "Content-Length: 1000", AttackWebhookApplication.PROBE_HEADER + ": " + probe), utf8("0123456789"));

    RawHttp.Answer answer = RawHttp.exchange(port, request, true, Duration.ofSeconds(10));

    assertUnreadableOrNoAnswer(answer, probe);
  }

  /** The signature covers the ten bytes sent, but the sender said a thousand would come. */
  @Test
  void aSignedBodyShorterThanItsContentLengthThenClosedIsUnreadableNotVerified() {
    String probe = Attack.probe();
    WebhookRequest signed = Attack.GITHUB.sign(WebhookRequest.builder().url(url("/webhooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "gh-short-" + probe).header(AttackWebhookApplication.PROBE_HEADER, probe)
        .body("{\"a\":\"bc\"}").build());
    assertThat(signed.body()).hasSize(10);
    String text = new String(Attack.raw(signed, "POST", "/webhooks/github"), ISO_8859_1)
        .replace("Content-Length: 10\r\n", "Content-Length: 1000\r\n");

    RawHttp.Answer answer = RawHttp.exchange(port, text.getBytes(ISO_8859_1), true, Duration.ofSeconds(10));

    assertUnreadableOrNoAnswer(answer, probe);
  }

  @Test
  void aSignedChunkedBodyCutOffMidChunkIsUnreadable() {
    String probe = Attack.probe();
    WebhookRequest signed = Attack.signedStripe(port, "/webhooks/stripe", "evt_cut_" + probe);
    String body = new String(signed.body(), ISO_8859_1);
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body.substring(0, body.length() / 2);
    byte[] request = RawHttp.concat(signedHead(signed, "/webhooks/stripe", "Transfer-Encoding: chunked",
        AttackWebhookApplication.PROBE_HEADER + ": " + probe), chunked.getBytes(ISO_8859_1));

    RawHttp.Answer answer = RawHttp.exchange(port, request, true, Duration.ofSeconds(10));

    assertUnreadableOrNoAnswer(answer, probe);
  }

  @Test
  void aBadChunkSizeOnASignedDeliveryIsUnreadable() {
    String probe = Attack.probe();
    WebhookRequest signed = Attack.signedStripe(port, "/webhooks/stripe", "evt_zz_" + probe);
    byte[] request = RawHttp.concat(signedHead(signed, "/webhooks/stripe", "Transfer-Encoding: chunked",
        AttackWebhookApplication.PROBE_HEADER + ": " + probe), "zz\r\n0123\r\n0\r\n\r\n".getBytes(ISO_8859_1));

    RawHttp.Answer answer = RawHttp.exchange(port, request, false, Duration.ofSeconds(10));

    assertThat(answer.none()).as("%s", answer).isFalse();
    assertUnreadable(answer);
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }

  // The index keeps the name from being blank for "\r\n\r\n" (JUnit 5 on Boot 3.5 refuses a blank one).
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"zz\r\n0123\r\n0\r\n\r\n", "-1\r\nabc\r\n0\r\n\r\n", "fffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
      "4\r\n0123XX0\r\n\r\n", "4;ext=\"unterminated\r\n0123\r\n0\r\n\r\n", "0x4\r\n0123\r\n0\r\n\r\n",
      "\r\n\r\n", "4\n0123\n0\n\n"})
  void aMalformedChunkedSignedDeliveryIsA4xxWithoutAStackTrace(String chunks) {
    String probe = Attack.probe();
    WebhookRequest signed = Attack.signedStripe(port, "/webhooks/stripe", "evt_chunks_" + probe);
    byte[] request = RawHttp.concat(signedHead(signed, "/webhooks/stripe", "Transfer-Encoding: chunked",
        AttackWebhookApplication.PROBE_HEADER + ": " + probe), chunks.getBytes(ISO_8859_1));

    RawHttp.Answer answer = RawHttp.exchange(port, request, true, Duration.ofSeconds(10));

    assertRefusedCleanly(answer);
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).as("%s", answer).isZero();
  }

  // --- charsets -------------------------------------------------------------------------------

  /**
   * A signed delivery whose Content-Type names a charset the JVM cannot decode: the application
   * could not read it as text, so it is refused as unsupported media, never bound, never a 500.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"application/json; charset=no-such-charset", "application/json; charset=x!y",
      "application/x-www-form-urlencoded; charset=no-such-charset", "application/x-www-form-urlencoded; charset=x!y"})
  void aSignedDeliveryWithACharsetTheJvmCannotDecodeIsUnsupported(String contentType) {
    String probe = Attack.probe();
    boolean form = contentType.startsWith("application/x-www-form-urlencoded");
    WebhookRequest signed = form
        ? Attack.SLACK.sign(WebhookRequest.builder().url(url(SLACK_PATH)).header("Content-Type", contentType)
            .header(AttackWebhookApplication.PROBE_HEADER, probe).body("command=/deploy&text=x").build())
        : Attack.STRIPE.sign(WebhookRequest.builder().url(url("/webhooks/stripe")).header("Content-Type", contentType)
            .header(AttackWebhookApplication.PROBE_HEADER, probe).body(Attack.stripeEvent("evt_cs_" + probe)).build());

    HttpResponse<String> response = Attack.send(signed);

    assertProblem(response, 415, "unsupported-charset");
    assertThat(AttackWebhookApplication.runsWithProbe(probe)).isZero();
  }
}
