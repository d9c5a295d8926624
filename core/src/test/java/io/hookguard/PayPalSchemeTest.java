package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.paypal.base.SSLUtil;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * PayPal, offline: deliveries signed here from PayPal's recipe with the tests' certificate, and
 * PayPal's rest-api-sdk 1.14 as the oracle — its own {@code SSLUtil} steps in the order
 * {@code Event.validateReceivedEvent} runs them (its certificate download replaced by the served
 * document, its trust anchor by the tests' certificate).
 */
class PayPalSchemeTest {
  private static final String WEBHOOK_ID = Fixtures.PAYPAL_WEBHOOK_ID;
  private static final String CERT_URL = PayPalScheme.DEFAULT_CERT_URL;
  private static final PrivateKey KEY = SnsMessages.privateKey(Fixtures.PAYPAL_PRIVATE_KEY);
  private static final String BODY = "{\"id\":\"WH-2W7266712B616591M-36507203HX6402335\",\"create_time\":\"2026-11-24T12:00:00Z\","
      + "\"resource_type\":\"sale\",\"event_type\":\"PAYMENT.SALE.COMPLETED\",\"summary\":\"Payment completed for \u20ac 7.47\"}";

  private final Map<String, String> served = new ConcurrentHashMap<>(Map.of(CERT_URL, Fixtures.PAYPAL_CERTIFICATE));
  private final List<String> fetched = new CopyOnWriteArrayList<>();
  private final RemoteDocuments documents = RemoteDocuments.builder().fetcher((url, maxBytes) -> {
    fetched.add(url.toString());
    String document = served.get(url.toString());
    if (document == null) {
      throw new FileNotFoundException("404");
    }
    return document.getBytes(UTF_8);
  }).build();
  private final WebhookVerifier verifier = WebhookVerifier.builder(Providers.PAYPAL).clock(Fixtures.CLOCK)
      .publicKey(WEBHOOK_ID).remoteDocuments(documents).build();

  /** Signed from the recipe: id|time|webhook id|unsigned decimal CRC32 of the body bytes. */
  private static WebhookRequest delivery(String body, String transmissionId, String time, String webhookId, PrivateKey key,
      String certUrl) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body.getBytes(UTF_8));
    String signed = transmissionId + "|" + time + "|" + webhookId + "|" + crc.getValue();
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(key);
      signer.update(signed.getBytes(UTF_8));
      return WebhookRequest.builder().url("https://hooks.example.com/paypal")
          .header("Content-Type", "application/json")
          .header("PAYPAL-TRANSMISSION-ID", transmissionId)
          .header("PAYPAL-TRANSMISSION-TIME", time)
          .header("PAYPAL-CERT-URL", certUrl)
          .header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
          .header("PAYPAL-TRANSMISSION-SIG", Base64.getEncoder().encodeToString(signer.sign()))
          .body(body.getBytes(UTF_8)).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static WebhookRequest delivery(String body) {
    return delivery(body, "b2384410-f8d2-11e4-8bf3-77339302725b", "2026-11-24T11:59:58Z", WEBHOOK_ID, KEY, CERT_URL);
  }

  private RejectionReason refusal(WebhookRequest request) {
    VerificationResult result = verifier.verify(request);
    assertThat(result).isInstanceOf(Rejection.class);
    return ((Rejection) result).reason();
  }

  /** rest-api-sdk's own steps, as validateReceivedEvent composes them. */
  private static boolean sdkAccepts(WebhookRequest request, String webhookId) throws Exception {
    Collection<X509Certificate> clientCerts = SSLUtil.getCertificateFromStream(
        new ByteArrayInputStream(Fixtures.PAYPAL_CERTIFICATE.getBytes(UTF_8)));
    Collection<X509Certificate> trustCerts = new ArrayList<>(clientCerts);
    if (!SSLUtil.validateCertificateChain(clientCerts, trustCerts, "RSA")) {
      return false;
    }
    String body = new String(request.body(), UTF_8);
    String expected = String.format("%s|%s|%s|%s", request.headers().first("PAYPAL-TRANSMISSION-ID"),
        request.headers().first("PAYPAL-TRANSMISSION-TIME"), webhookId, SSLUtil.crc32(body));
    return SSLUtil.validateData(clientCerts, request.headers().first("PAYPAL-AUTH-ALGO"),
        request.headers().first("PAYPAL-TRANSMISSION-SIG"), expected, body, webhookId);
  }

  @Test
  void aDeliverySignedFromTheRecipeVerifiesAndCarriesItsBodysIdAndType() {
    VerifiedWebhook verified = verifier.verify(delivery(BODY)).orElseThrow();

    assertThat(verified.provider()).isEqualTo("paypal");
    assertThat(verified.eventId()).contains("WH-2W7266712B616591M-36507203HX6402335");
    assertThat(verified.eventType()).contains("PAYMENT.SALE.COMPLETED");
    assertThat(fetched).containsExactly(CERT_URL);
    verifier.verify(delivery(BODY));
    assertThat(fetched).as("cached").hasSize(1);
  }

  @Test
  void theSdkAndHookguardAgreeOnDeliveriesSignedBothWays() throws Exception {
    WebhookSigner signer = Fixtures.keyed(Providers.PAYPAL).signer();
    for (String body : List.of(BODY, "{}", "{\"id\":\"WH-1\",\"summary\":\"caf\u00e9 \u2713\"}", "")) {
      WebhookRequest handSigned = delivery(body);
      assertThat(sdkAccepts(handSigned, WEBHOOK_ID)).isTrue();
      assertThat(verifier.verify(handSigned).isVerified()).isTrue();

      WebhookRequest bySigner = signer.sign(WebhookRequest.builder().body(body).build());
      assertThat(sdkAccepts(bySigner, WEBHOOK_ID)).as("the SDK accepts Hookguard's signer").isTrue();
      assertThat(WebhookVerifier.builder(Providers.PAYPAL).clock(Fixtures.CLOCK).publicKey(WEBHOOK_ID).remoteDocuments(documents).build()
          .verify(bySigner).isVerified()).isTrue();

      // Another webhook id, another body: both refuse.
      assertThat(sdkAccepts(handSigned, "8PT597110X687430LKGECATA")).isFalse();
      assertThat(WebhookVerifier.builder(Providers.PAYPAL).clock(Fixtures.CLOCK).publicKey("8PT597110X687430LKGECATA")
          .remoteDocuments(documents).build().verify(handSigned).isVerified()).isFalse();
      WebhookRequest changed = handSigned.toBuilder().body(body + " ").build();
      assertThat(sdkAccepts(changed, WEBHOOK_ID)).isFalse();
      assertThat(verifier.verify(changed).isVerified()).isFalse();
    }
  }

  @Test
  void theCrc32IsTheUnsignedDecimalOfTheRawBytes() {
    // A body whose CRC32 has the top bit set: printed signed it would be negative.
    String body = "{\"id\":\"WH-crc\"}";
    long crc = PayPalScheme.crc32(body.getBytes(UTF_8));
    assertThat(crc).isEqualTo(com.paypal.base.SSLUtil.crc32(body)).isNotNegative();
    String highBit = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "{\"n\":" + i + "}")
        .filter(b -> PayPalScheme.crc32(b.getBytes(UTF_8)) > Integer.MAX_VALUE).findFirst().orElseThrow();
    assertThat(verifier.verify(delivery(highBit)).isVerified()).isTrue();
  }

  @Test
  void onlySha256WithRsaIsChecked() {
    WebhookRequest signed = delivery(BODY);
    for (String algorithm : List.of("SHA1withRSA", "SHA256withECDSA", "NONEwithRSA", "sha256withrsa")) {
      assertThat(refusal(signed.toBuilder().setHeader("PAYPAL-AUTH-ALGO", algorithm).build())).as(algorithm)
          .isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
    }
  }

  @Test
  void theCertificateUrlMustBeOnPayPalsApiHostsAndNothingIsFetchedOtherwise() {
    for (String url : List.of("http://api.sandbox.paypal.com/v1/notifications/certs/CERT-1",
        "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1",
        "https://evil.example/v1/notifications/certs/CERT-1",
        "https://www.paypal.com/v1/notifications/certs/CERT-1",
        "https://api.paypal.com/v1/notifications/certs/CERT-1?x=1",
        "https://api.paypal.com/v1/notifications/other/CERT-1",
        "https://api.paypal.com:8443/v1/notifications/certs/CERT-1")) {
      served.put(url, Fixtures.PAYPAL_CERTIFICATE);
      WebhookRequest request = delivery(BODY, "t-1", "2026-11-24T11:59:58Z", WEBHOOK_ID, KEY, url);
      assertThat(refusal(request)).as(url).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    assertThat(fetched).isEmpty();
    for (String url : List.of("https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-df8cd2d5",
        "https://api-m.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-df8cd2d5",
        "https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77")) {
      served.put(url, Fixtures.PAYPAL_CERTIFICATE);
      assertThat(verifier.verify(delivery(BODY, "t-1", "2026-11-24T11:59:58Z", WEBHOOK_ID, KEY, url)).isVerified())
          .as(url).isTrue();
    }
  }

  @Test
  void aCertificateThatIsNotPayPalsMessageVerificationOneIsRefused() {
    java.security.KeyPair keys = TestCertificates.rsa();
    String other = "https://api.paypal.com/v1/notifications/certs/CERT-other";
    served.put(other, TestCertificates.pem(TestCertificates.selfSigned(keys, "api.paypal.com")));
    assertThat(refusal(delivery(BODY, "t-1", "2026-11-24T11:59:58Z", WEBHOOK_ID, keys.getPrivate(), other)))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    // The right certificate, the wrong key.
    assertThat(refusal(delivery(BODY, "t-1", "2026-11-24T11:59:58Z", WEBHOOK_ID, keys.getPrivate(), CERT_URL)))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void missingOrMalformedHeadersAndTimesAreTypedAndFetchNothing() {
    WebhookRequest signed = delivery(BODY);
    for (String header : List.of("PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG",
        "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO")) {
      assertThat(refusal(Fixtures.withoutHeader(signed, header))).as(header).isEqualTo(RejectionReason.MISSING_HEADER);
    }
    assertThat(refusal(signed.toBuilder().setHeader("PAYPAL-TRANSMISSION-TIME", "yesterday").build()))
        .isEqualTo(RejectionReason.MALFORMED_TIMESTAMP);
    assertThat(refusal(signed.toBuilder().setHeader("PAYPAL-TRANSMISSION-ID", "a|b").build()))
        .isEqualTo(RejectionReason.MALFORMED_HEADER);
    assertThat(refusal(signed.toBuilder().setHeader("PAYPAL-TRANSMISSION-SIG", "not base64!").build()))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(fetched).isEmpty();
  }

  @Test
  void theWindowIsFiveMinutesOnTheTransmissionTimeAfterTheSignature() {
    WebhookRequest old = delivery(BODY, "t-1", "2026-11-24T11:54:59Z", WEBHOOK_ID, KEY, CERT_URL);
    assertThat(refusal(old)).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    WebhookRequest forgedOld = old.toBuilder().setHeader("PAYPAL-TRANSMISSION-ID", "t-2").build();
    assertThat(refusal(forgedOld)).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(Providers.PAYPAL.defaultTolerance()).contains(Duration.ofMinutes(5));
  }

  @Test
  void theBodyIsCoveredOnlyByItsCrc32SoTheIdIsNotSigned() {
    // Documented, not hidden: another body with the same CRC32 verifies under the same headers.
    byte[] original = BODY.getBytes(UTF_8);
    byte[] collision = Crc32Collision.sameCrcWithSuffix(original, "{\"id\":\"WH-FORGED\",\"event_type\":\"X\"}");
    assertThat(PayPalScheme.crc32(collision)).isEqualTo(PayPalScheme.crc32(original));
    WebhookRequest forged = delivery(BODY).toBuilder().body(collision).build();
    assertThat(verifier.verify(forged).isVerified()).isTrue();
    assertThat(Providers.PAYPAL.signsEventId()).as("so deduplication keys on the body too").isFalse();
  }

  @Test
  void theConfiguredKeysAreWebhookIds() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.PAYPAL).build()).isInstanceOf(IllegalStateException.class);
    for (String notAnId : List.of("wh", "1JE4291016473214C|x", "-----BEGIN PUBLIC KEY-----", "lowercase1234567")) {
      assertThatThrownBy(() -> WebhookVerifier.builder(Providers.PAYPAL).publicKey(notAnId)).as(notAnId)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id of the webhook");
    }
  }
}
