package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The generic HMAC scheme, checked against an HMAC computed independently with javax.crypto. */
class HmacSchemeBuilderTest {

  private static byte[] hmac(String algorithm, byte[] key, String content) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(key, algorithm));
    return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void headerTimestampAndIdTemplate() throws Exception {
    WebhookScheme acme = WebhookScheme.hmac("acme")
        .signatureHeader("X-Acme-Signature").prefix("sha512=")
        .algorithm(HmacAlgorithm.SHA512).encoding(SignatureEncoding.BASE64)
        .secretEncoding(SecretEncoding.BASE64)
        .timestampHeader("X-Acme-Time", TimestampFormat.UNIX_MILLIS)
        .idHeader("X-Acme-Id").signedContent("{method} {url}|{id}|{timestamp}|{body}")
        .eventIdHeader("X-Acme-Id").eventTypeJsonField("kind")
        .defaultTolerance(Duration.ofSeconds(30))
        .build();
    byte[] key = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(Fixtures.NOW.toEpochMilli());
    String body = "{\"kind\":\"thing.done\"}";
    String signature = Base64.getEncoder().encodeToString(
        hmac("HmacSHA512", key, "POST https://x.test/h|d-1|" + ts + "|" + body));
    WebhookRequest request = WebhookRequest.builder().url("https://x.test/h")
        .header("X-Acme-Signature", "sha512=" + signature).header("X-Acme-Time", ts)
        .header("X-Acme-Id", "d-1").body(body).build();
    WebhookVerifier verifier = WebhookVerifier.builder(acme)
        .secret(Base64.getEncoder().encodeToString(key)).clock(Fixtures.CLOCK).build();

    VerifiedWebhook verified = verifier.verify(request).orElseThrow();

    assertThat(verified.provider()).isEqualTo("acme");
    assertThat(verified.eventId()).contains("d-1");
    assertThat(verified.eventType()).contains("thing.done");
    assertThat(acme.defaultTolerance()).contains(Duration.ofSeconds(30));
    assertThat(verifier.verify(request.toBuilder().method("PUT").build()).isVerified()).isFalse();
  }

  @Test
  void keyValueListWithTimestampItem() throws Exception {
    // Calendly's shape: Calendly-Webhook-Signature: t=<ts>,v1=<hex of HMAC({t}.{body})>.
    WebhookScheme calendly = WebhookScheme.hmac("calendly")
        .signatureHeader("Calendly-Webhook-Signature").keyValueList(',', "v1", "t")
        .signedContent("{timestamp}.{body}").eventIdJsonField("payload.uri").build();
    String ts = Long.toString(Fixtures.NOW.getEpochSecond());
    String body = "{\"payload\":{\"uri\":\"https://api.calendly.com/x/1\"}}";
    String hex = java.util.HexFormat.of().formatHex(
        hmac("HmacSHA256", "cal-secret".getBytes(StandardCharsets.UTF_8), ts + "." + body));
    WebhookRequest request = WebhookRequest.builder()
        .header("Calendly-Webhook-Signature", "t=" + ts + ",v1=" + hex).body(body).build();

    VerifiedWebhook verified = WebhookVerifier.builder(calendly).secret("cal-secret")
        .clock(Fixtures.CLOCK).build().verify(request).orElseThrow();

    assertThat(verified.eventId()).contains("https://api.calendly.com/x/1");
    assertThat(verified.timestamp()).contains(Fixtures.NOW);
  }

  @Test
  void incompleteOrInconsistentDescriptionsFailWithPreciseMessages() {
    assertThatThrownBy(() -> WebhookScheme.hmac("x").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: signatureHeader is required");
    assertThatThrownBy(() -> WebhookScheme.hmac("x").signedContent("{timestamp}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must contain {body}");
    assertThatThrownBy(() -> WebhookScheme.hmac("x").signedContent("{bdy}"))
        .hasMessageContaining("unknown placeholder {bdy}");
    assertThatThrownBy(() -> WebhookScheme.hmac("x").signatureHeader("S")
        .signedContent("{timestamp}.{body}").build())
        .hasMessageContaining("no timestamp source");
    assertThatThrownBy(() -> WebhookScheme.hmac("x").signatureHeader("S")
        .signedContent("{id}.{body}").build())
        .hasMessageContaining("no id header");
    assertThatThrownBy(() -> WebhookScheme.hmac("Bad Id!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme id");
  }

  @Test
  void signerAndVerifierAgreeForAGenericScheme() {
    WebhookScheme scheme = WebhookScheme.hmac("svix-like").signatureHeader("sig").versionedList("v1")
        .encoding(SignatureEncoding.BASE64).secretEncoding(SecretEncoding.STANDARD_WEBHOOKS)
        .timestampHeader("ts", TimestampFormat.UNIX_SECONDS).idHeader("id")
        .signedContent("{id}.{timestamp}.{body}").eventIdHeader("id").build();
    WebhookRequest signed = WebhookSigner.builder(scheme).secret(Fixtures.STANDARD_SECRET)
        .clock(Fixtures.CLOCK).build().sign(WebhookRequest.builder().body("{}").build());

    assertThat(signed.headers().first("sig")).startsWith("v1,");
    assertThat(WebhookVerifier.builder(scheme).secret(Fixtures.STANDARD_SECRET).clock(Fixtures.CLOCK)
        .build().verify(signed).orElseThrow().eventId()).hasValueSatisfying(id -> assertThat(id).startsWith("msg_"));
  }
}
