package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Schemes without a published vector, checked against each provider's documented formula computed
 * here with javax.crypto directly — not through the scheme code, so a template shared by
 * Hookguard's signer and verifier cannot hide a mistake.
 */
class IndependentReferenceTest {
  private static final String BODY = "{\"id\":\"evt_1\",\"event_id\":\"evt_1\",\"event\":{\"id\":\"evt_1\"},"
      + "\"webhookTimestamp\":" + Fixtures.NOW.toEpochMilli() + ",\"note\":\"caf\u00e9\"}";
  private static final String SECONDS = Long.toString(Fixtures.NOW.getEpochSecond());
  private static final String MILLIS = Long.toString(Fixtures.NOW.toEpochMilli());
  private static final String SECRET = "reference-secret";

  private static byte[] hmac(String algorithm, String content) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), algorithm));
      return mac.doFinal(content.getBytes(UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Ed25519 with the fixtures' seed, through the JDK alone. */
  private static byte[] ed25519(String content) throws Exception {
    byte[] pkcs8 = new byte[48];
    System.arraycopy(HexFormat.of().parseHex("302e020100300506032b657004220420"), 0, pkcs8, 0, 16);
    System.arraycopy(Fixtures.ED25519.seed(), 0, pkcs8, 16, 32);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    signer.update(content.getBytes(UTF_8));
    return signer.sign();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  record Reference(WebhookScheme scheme, Function<WebhookRequest.Builder, WebhookRequest.Builder> headers) {}

  @Test
  void documentedFormulasVerify() {
    String url = "https://hooks.example.com/hub%3Fspot?x=%2Cy";
    List<Reference> references = List.of(
        new Reference(Providers.PADDLE, r -> r.header("Paddle-Signature",
            "ts=" + SECONDS + ";h1=" + hex(hmac("HmacSHA256", SECONDS + ":" + BODY)))),
        new Reference(Providers.HUBSPOT, r -> r.header("X-HubSpot-Request-Timestamp", MILLIS)
            .header("X-HubSpot-Signature-v3", b64(hmac("HmacSHA256",
                "POST" + "https://hooks.example.com/hub?spot?x=,y" + BODY + MILLIS)))),
        new Reference(Providers.PAGERDUTY, r -> r.header("X-PagerDuty-Signature",
            "v1=" + hex(hmac("HmacSHA256", "other")) + ",v1=" + hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.ZOOM, r -> r.header("x-zm-request-timestamp", SECONDS)
            .header("x-zm-signature", "v0=" + hex(hmac("HmacSHA256", "v0:" + SECONDS + ":" + BODY)))),
        new Reference(Providers.LINEAR, r -> r.header("Linear-Signature", hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.INTERCOM, r -> r.header("X-Hub-Signature", "sha1=" + hex(hmac("HmacSHA1", BODY)))),
        new Reference(Providers.GITHUB_SHA1, r -> r.header("X-Hub-Signature", "sha1=" + hex(hmac("HmacSHA1", BODY)))),
        new Reference(Providers.TYPEFORM, r -> r.header("Typeform-Signature", "sha256=" + b64(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.SHOPIFY, r -> r.header("X-Shopify-Hmac-Sha256", b64(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.CIRCLECI, r -> r.header("circleci-signature",
            "v1=" + hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.LOGTO, r -> r.header("logto-signature-sha-256", hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.WOOCOMMERCE, r -> r.header("X-WC-Webhook-Signature", b64(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.DOCUSIGN, r -> r.header("X-DocuSign-Signature-1", b64(hmac("HmacSHA256", "other")))
            .header("X-DocuSign-Signature-2", b64(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.BITBUCKET, r -> r.header("X-Hub-Signature", "sha256=" + hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.GITEA, r -> r.header("X-Gitea-Signature", hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.FORGEJO, r -> r.header("X-Forgejo-Signature", hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.VERCEL, r -> r.header("x-vercel-signature", hex(hmac("HmacSHA1", BODY)))),
        new Reference(Providers.META, r -> r.header("X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", BODY)))),
        new Reference(Providers.TWITCH, r -> r.header("Twitch-Eventsub-Message-Id", "m-1")
            .header("Twitch-Eventsub-Message-Timestamp", "2026-11-24T11:59:59.123456789Z")
            .header("Twitch-Eventsub-Message-Signature", "sha256="
                + hex(hmac("HmacSHA256", "m-1" + "2026-11-24T11:59:59.123456789Z" + BODY)))));
    for (Reference reference : references) {
      WebhookRequest request = reference.headers()
          .apply(WebhookRequest.builder().url(url).body(BODY)).build();
      VerificationResult result = WebhookVerifier.builder(reference.scheme()).secret(SECRET)
          .clock(Fixtures.CLOCK).build().verify(request);
      assertThat(result.isVerified()).as(reference.scheme().id() + ": " + result).isTrue();
    }
  }

  /**
   * Mandrill's generateSignature: the webhook URL as configured, then each POST field sorted by
   * name as name + value, base64 HMAC-SHA1. The field is sent percent-encoded; what is signed is
   * its decoded value.
   */
  @Test
  void mandrillUrlAndSortedFields() {
    String url = "https://hooks.example.com/mandrill?tenant=a";
    String events = "[{\"event\":\"send\",\"_id\":\"exampleaaaaaaaaaaaaaaaaaaaaaaaaa\",\"msg\":{\"subject\":\"caf\u00e9\"}}]";
    String body = "mandrill_events=" + java.net.URLEncoder.encode(events, UTF_8) + "&a_first=1";
    String signature = b64(hmac("HmacSHA1", url + "a_first" + "1" + "mandrill_events" + events));
    WebhookRequest request = WebhookRequest.builder().url(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Mandrill-Signature", signature).body(body).build();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.MANDRILL).secret(SECRET).build();

    assertThat(verifier.verify(request).isVerified()).isTrue();
    assertThat(verifier.verify(request.toBuilder().url(url + "&tenant=b").build()).isVerified())
        .as("another URL").isFalse();
    assertThat(verifier.verify(request.toBuilder().url("https://hooks.example.com:443/mandrill?tenant=a").build())
        .isVerified()).as("the default port written out").isTrue();
    // A body that is not a form is never verified over the URL alone.
    WebhookRequest json = WebhookRequest.builder().url(url).header("Content-Type", "application/json")
        .header("X-Mandrill-Signature", b64(hmac("HmacSHA1", url))).body(events).build();
    assertThat(((Rejection) verifier.verify(json)).reason()).isEqualTo(RejectionReason.UNREADABLE_BODY);
    WebhookRequest emptyForm = WebhookRequest.builder().url(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Mandrill-Signature", b64(hmac("HmacSHA1", url))).body("").build();
    assertThat(((Rejection) verifier.verify(emptyForm)).reason()).isEqualTo(RejectionReason.UNREADABLE_BODY);
  }

  /**
   * Travis CI's recipe: RSA PKCS#1 v1.5 with SHA-1 over the decoded payload field (openssl_verify's
   * default), base64 in the Signature header, the key as the PEM Travis publishes.
   */
  @Test
  void travisRsaSha1OverThePayloadField() throws Exception {
    String payload = "{\"id\":183791261,\"status_message\":\"Passed\",\"note\":\"caf\u00e9 & co\"}";
    Signature rsa = Signature.getInstance("SHA1withRSA");
    rsa.initSign(KeyFactory.getInstance("RSA").generatePrivate(
        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(Fixtures.RSA.privateBase64()))));
    rsa.update(payload.getBytes(UTF_8));
    String signature = b64(rsa.sign());
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Fixtures.RSA.publicBase64().replaceAll("(.{64})", "$1\n")
        + "\n-----END PUBLIC KEY-----\n";
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.TRAVIS_CI).publicKey(pem).build();
    WebhookRequest request = WebhookRequest.builder()
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Signature", signature)
        .body("payload=" + java.net.URLEncoder.encode(payload, UTF_8)).build();

    assertThat(verifier.verify(request).isVerified()).isTrue();
    assertThat(((Rejection) verifier.verify(Fixtures.withBody(request,
        (new String(request.body(), UTF_8) + "&extra=1").getBytes(UTF_8)))).reason())
        .as("a field that is not signed").isEqualTo(RejectionReason.UNREADABLE_BODY);
    assertThat(((Rejection) verifier.verify(Fixtures.withBody(request, "payload={}".getBytes(UTF_8)))).reason())
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(((Rejection) verifier.verify(request.toBuilder().setHeader("Content-Type", "application/json")
        .body(payload).build())).reason()).isEqualTo(RejectionReason.UNREADABLE_BODY);
    assertThat(WebhookVerifier.builder(Providers.TRAVIS_CI).publicKey(Fixtures.OTHER_RSA.publicBase64()).build()
        .verify(request).isVerified()).as("another key").isFalse();
  }

  @Test
  void travisRefusesRsaKeysUnder2048BitsWithoutShowingTheKey() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    String weak = b64(generator.generateKeyPair().getPublic().getEncoded());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WebhookVerifier.builder(Providers.TRAVIS_CI).publicKey(weak).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048")
        .hasMessageNotContaining(weak.substring(10, 40));
  }

  @Test
  void mailgunBodySignature() {
    String token = "a1b2c3";
    String body = "{\"signature\":{\"timestamp\":\"" + SECONDS + "\",\"token\":\"" + token
        + "\",\"signature\":\"" + hex(hmac("HmacSHA256", SECONDS + token)) + "\"},"
        + "\"event-data\":{\"id\":\"mg-1\",\"event\":\"delivered\"}}";

    VerifiedWebhook verified = WebhookVerifier.builder(Providers.MAILGUN).secret(SECRET)
        .clock(Fixtures.CLOCK).build().verify(WebhookRequest.builder().body(body).build()).orElseThrow();

    assertThat(verified.eventId()).contains("mg-1");
    assertThat(verified.eventType()).contains("delivered");
  }

  /** Telnyx's recipe: Ed25519 over "{timestamp}|{body}", base64 signature, base64 raw public key. */
  @Test
  void telnyxEd25519OverTimestampPipeBody() throws Exception {
    String body = "{\"data\":{\"id\":\"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0\",\"event_type\":\"message.finalized\"}}";
    WebhookRequest request = WebhookRequest.builder()
        .header("telnyx-timestamp", SECONDS)
        .header("telnyx-signature-ed25519", b64(ed25519(SECONDS + "|" + body)))
        .body(body).build();

    VerifiedWebhook verified = WebhookVerifier.builder(Providers.TELNYX)
        .publicKey(b64(Fixtures.ED25519.publicKey())).clock(Fixtures.CLOCK).build().verify(request).orElseThrow();

    assertThat(verified.eventId()).contains("0ccc7b54-4df3-4bca-a65a-3da1ecc777f0");
    assertThat(verified.eventType()).contains("message.finalized");
    // The 44-byte X.509 form of the same key, as a JDK or OpenSSL export writes it.
    byte[] spki = new byte[44];
    System.arraycopy(HexFormat.of().parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
    System.arraycopy(Fixtures.ED25519.publicKey(), 0, spki, 12, 32);
    assertThat(WebhookVerifier.builder(Providers.TELNYX).publicKey(b64(spki)).clock(Fixtures.CLOCK).build()
        .verify(request).isVerified()).isTrue();
    // The timestamp is signed: another one does not verify, even inside the window.
    assertThat(WebhookVerifier.builder(Providers.TELNYX).publicKey(b64(Fixtures.ED25519.publicKey()))
        .clock(Fixtures.CLOCK).build()
        .verify(Fixtures.withHeader(request, "telnyx-timestamp", Long.toString(Fixtures.NOW.getEpochSecond() - 1)))
        .isVerified()).isFalse();
  }

  @Test
  void standardWebhooksEd25519V1a() throws Exception {
    String v1a = "v1a," + b64(ed25519("msg_1." + SECONDS + "." + BODY));
    String publicKey = "whpk_" + b64(Fixtures.ED25519.publicKey());

    // A sender in transition sends both; a verifier with only the public key checks v1a.
    WebhookRequest request = WebhookRequest.builder().header("webhook-id", "msg_1")
        .header("webhook-timestamp", SECONDS)
        .header("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + v1a)
        .body(BODY).build();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS)
        .publicKey(publicKey).clock(Fixtures.CLOCK).build();
    assertThat(verifier.verify(request).orElseThrow().eventId()).contains("msg_1");

    WebhookRequest signedByUs = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS)
        .privateKey("whsk_" + b64(Fixtures.ED25519.seed())).clock(Fixtures.CLOCK).build()
        .sign(WebhookRequest.builder().body(BODY).build());
    assertThat(signedByUs.headers().first("webhook-signature")).startsWith("v1a,");
    assertThat(verifier.verify(signedByUs).isVerified()).isTrue();
    assertThat(WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(Fixtures.STANDARD_SECRET)
        .clock(Fixtures.CLOCK).build().verify(signedByUs))
        .extracting(r -> ((Rejection) r).reason()).isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
    for (int bit = 0; bit < BODY.length() * 8; bit += 3) {
      byte[] body = Fixtures.flipBit(BODY.getBytes(UTF_8), bit);
      assertThat(verifier.verify(Fixtures.withBody(signedByUs, body)).isVerified()).isFalse();
    }
  }
}
