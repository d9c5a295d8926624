package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * What the public {@link SchemeBuilder} offers beyond a single HMAC header (the built-ins use all
 * of it): header families, alternative spellings, event id and type sources in priority order,
 * Ed25519 and ECDSA P-256 public keys, HMAC beside public keys, and descriptions refused by
 * {@code build()}. Signatures are made independently with the JDK, not with Hookguard's signer.
 */
class SchemeBuilderTest {
  private static final String SECRET = "acme-secret";
  private static final String TS = Long.toString(Fixtures.NOW.getEpochSecond());

  private static String hmacHex(String content) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(content.getBytes(UTF_8)));
  }

  private static byte[] jdkSign(String algorithm, KeyPair keys, String content) throws Exception {
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(keys.getPrivate());
    signer.update(content.getBytes(UTF_8));
    return signer.sign();
  }

  /** acme-* is the current header family, legacy-* the one older integrations still send. */
  private static WebhookScheme twoFamilies() {
    return WebhookScheme.builder("acme")
        .signatureHeader("Acme-Signature").prefix("v1=")
        .timestampHeader("Acme-Timestamp", TimestampFormat.UNIX_SECONDS)
        .idHeader("Acme-Id")
        .headerFamily("Legacy-Signature", "Legacy-Timestamp", "Legacy-Id")
        .signedContent("{id}.{timestamp}.{body}")
        .eventIdHeader("Acme-Id").eventIdHeader("Legacy-Id")
        .eventTypeHeader("Acme-Type").eventTypeJsonField("type")
        .build();
  }

  private static WebhookVerifier verifier(WebhookScheme scheme) {
    return WebhookVerifier.builder(scheme).secret(SECRET).clock(Fixtures.CLOCK).build();
  }

  @Test
  void theFamilyWhoseSignatureHeaderIsPresentIsReadAndItsIdIsTheSignedEventId() throws Exception {
    WebhookScheme scheme = twoFamilies();
    String body = "{\"type\":\"order.paid\"}";
    WebhookRequest legacy = WebhookRequest.builder().body(body)
        .header("Legacy-Signature", "v1=" + hmacHex("old-1." + TS + "." + body))
        .header("Legacy-Timestamp", TS).header("Legacy-Id", "old-1")
        .header("Acme-Id", "unsigned-and-replayable") // another family's header, not signed here
        .build();

    VerifiedWebhook verified = verifier(scheme).verify(legacy).orElseThrow();

    assertThat(verified.eventId()).contains("old-1");
    assertThat(verified.eventType()).as("no Acme-Type header: the body's type").contains("order.paid");
    assertThat(verified.timestamp()).contains(Fixtures.NOW);
    assertThat(scheme.signsEventId()).isTrue();
    Rejection missing = (Rejection) verifier(scheme).verify(WebhookRequest.builder().body(body).build());
    assertThat(missing.reason()).isEqualTo(RejectionReason.MISSING_HEADER);
    assertThat(missing.detail()).isEqualTo("Acme-Signature header is missing");
  }

  @Test
  void aSignerWritesTheFirstFamilyAndItsDeliveryVerifies() {
    WebhookScheme scheme = twoFamilies();
    WebhookRequest signed = WebhookSigner.builder(scheme).secret(SECRET).clock(Fixtures.CLOCK).build()
        .sign(WebhookRequest.builder().header("Acme-Id", "new-1").body("{}").build());

    assertThat(signed.headers().first("Acme-Signature")).startsWith("v1=");
    assertThat(signed.headers().first("Acme-Timestamp")).isEqualTo(TS);
    assertThat(signed.headers().first("Legacy-Signature")).isNull();
    assertThat(verifier(scheme).verify(signed).orElseThrow().eventId()).contains("new-1");
  }

  @Test
  void alternativeSpellingsShareTheTimestampHeader() throws Exception {
    WebhookScheme scheme = WebhookScheme.builder("spelled")
        .signatureHeader("X-Spelled-Signature", "Spelled-Signature")
        .timestampHeader("X-Spelled-Time", TimestampFormat.UNIX_SECONDS)
        .signedContent("{timestamp}.{body}").build();
    String signature = hmacHex(TS + ".{}");

    for (String header : new String[] {"X-Spelled-Signature", "Spelled-Signature"}) {
      WebhookRequest request = WebhookRequest.builder().header(header, signature)
          .header("X-Spelled-Time", TS).body("{}").build();
      assertThat(verifier(scheme).verify(request).isVerified()).as(header).isTrue();
    }
  }

  @Test
  void eventIdAndTypeSourcesAreTriedInTheOrderGivenAndBlankValuesSkipped() throws Exception {
    WebhookScheme scheme = WebhookScheme.builder("ordered").signatureHeader("Sig")
        .eventIdHeader("Delivery-Id").eventIdJsonField("meta.id").eventIdHeader("Fallback-Id")
        .eventTypeJsonField("kind").eventTypeHeader("Type")
        .build();
    String body = "{\"meta\":{\"id\":\"from-body\"},\"kind\":\"k\"}";
    WebhookRequest request = WebhookRequest.builder().header("Sig", hmacHex(body))
        .header("Fallback-Id", "fallback").header("Type", "header-type").body(body).build();

    VerifiedWebhook fromBody = verifier(scheme).verify(request.toBuilder().header("Delivery-Id", " ").build())
        .orElseThrow();
    VerifiedWebhook fromHeader = verifier(scheme).verify(request.toBuilder().header("Delivery-Id", "d-1").build())
        .orElseThrow();

    assertThat(fromBody.eventId()).as("blank first source skipped").contains("from-body");
    assertThat(fromHeader.eventId()).contains("d-1");
    assertThat(fromHeader.eventType()).contains("k");
    assertThat(scheme.signsEventId()).as("a header source is unsigned").isFalse();
  }

  @Test
  void anEd25519SchemeChecksSignaturesMadeWithAJdkKeyInEveryKeyEncoding() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = keys.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    String body = "{\"id\":\"evt_1\"}";
    String signature = Base64.getEncoder().encodeToString(jdkSign("Ed25519", keys, TS + ":" + body));
    WebhookRequest request = WebhookRequest.builder().header("X-Ed-Signature", signature)
        .header("X-Ed-Time", TS).body(body).build();

    for (Object[] form : new Object[][] {
        {PublicKeyEncoding.HEX, HexFormat.of().formatHex(raw)},
        {PublicKeyEncoding.BASE64, Base64.getEncoder().encodeToString(raw)},
        {PublicKeyEncoding.BASE64, Base64.getEncoder().encodeToString(spki)},
        {PublicKeyEncoding.STANDARD_WEBHOOKS, "whpk_" + Base64.getEncoder().encodeToString(raw)}}) {
      WebhookScheme scheme = WebhookScheme.builder("ed").signatureHeader("X-Ed-Signature")
          .timestampHeader("X-Ed-Time", TimestampFormat.UNIX_SECONDS).signedContent("{timestamp}:{body}")
          .encoding(SignatureEncoding.BASE64).ed25519PublicKeys((PublicKeyEncoding) form[0])
          .eventIdJsonField("id").build();
      WebhookVerifier verifier = WebhookVerifier.builder(scheme).publicKey((String) form[1])
          .clock(Fixtures.CLOCK).build();

      assertThat(scheme.usesPublicKeys()).isTrue();
      assertThat(verifier.verify(request).orElseThrow().eventId()).as("%s", form[0]).contains("evt_1");
      assertThat(verifier.verify(request.toBuilder().body(body + " ").build()).isVerified()).isFalse();
      assertThatThrownBy(() -> WebhookVerifier.builder(scheme).secret(SECRET))
          .hasMessage("ed deliveries are verified with a public key, not a secret");
    }
    WebhookScheme hex = WebhookScheme.builder("ed").signatureHeader("S").ed25519PublicKeys(PublicKeyEncoding.HEX).build();
    assertThatThrownBy(() -> WebhookVerifier.builder(hex).publicKey(HexFormat.of().formatHex(spki)))
        .as("hex keys are the raw 32 bytes, as Discord writes them").hasMessageContaining("32 bytes");
  }

  @Test
  void anEcdsaP256SchemeTakesBase64DerOrPemKeysAndSignsWithThePrivateKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    String der = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    WebhookScheme scheme = WebhookScheme.builder("ec").signatureHeader("X-Ec-Signature")
        .encoding(SignatureEncoding.BASE64).ecdsaP256PublicKeys().build();
    String body = "[{\"event\":\"delivered\"}]";
    WebhookRequest request = WebhookRequest.builder().body(body)
        .header("X-Ec-Signature", Base64.getEncoder().encodeToString(jdkSign("SHA256withECDSA", keys, body)))
        .build();

    for (String key : new String[] {der, pem}) {
      assertThat(WebhookVerifier.builder(scheme).publicKey(key).build().verify(request).isVerified()).isTrue();
    }
    WebhookRequest signed = WebhookSigner.builder(scheme)
        .privateKey(Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded())).build()
        .sign(WebhookRequest.builder().body(body).build());
    assertThat(WebhookVerifier.builder(scheme).publicKey(pem).build().verify(signed).isVerified()).isTrue();
  }

  @Test
  void hmacAndEd25519SideBySideUnderTheirOwnVersionTags() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String publicKey = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    WebhookScheme scheme = WebhookScheme.builder("dual").signatureHeader("Sig").versionedList("v1", "v1a")
        .encoding(SignatureEncoding.BASE64).secretEncoding(SecretEncoding.UTF8)
        .ed25519PublicKeys(PublicKeyEncoding.BASE64).build();
    String body = "{}";
    String edSignature = Base64.getEncoder().encodeToString(jdkSign("Ed25519", keys, body));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
    String hmacSignature = Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(UTF_8)));

    assertThat(scheme.usesPublicKeys()).as("secrets are accepted too").isFalse();
    assertThat(WebhookVerifier.builder(scheme).publicKey(publicKey).build()
        .verify(WebhookRequest.builder().header("Sig", "v1a," + edSignature).body(body).build()).isVerified())
        .isTrue();
    assertThat(WebhookVerifier.builder(scheme).secret(SECRET).build()
        .verify(WebhookRequest.builder().header("Sig", "v1," + hmacSignature).body(body).build()).isVerified())
        .isTrue();
    Rejection wrongTag = (Rejection) WebhookVerifier.builder(scheme).publicKey(publicKey).build()
        .verify(WebhookRequest.builder().header("Sig", "v1," + edSignature).body(body).build());
    assertThat(wrongTag.reason()).isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
  }

  /** One header per key the sender holds, as DocuSign Connect sends them. */
  private static WebhookScheme numbered() {
    return WebhookScheme.builder("acme").numberedSignatureHeaders("Acme-Signature-", 3).build();
  }

  private static String hmacHex(String secret, String content) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(content.getBytes(UTF_8)));
  }

  @Test
  void everyNumberedSignatureHeaderPresentIsReadAndAnyMayMatchAnyKey() throws Exception {
    String body = "{\"event\":\"envelope-completed\"}";
    WebhookRequest twoKeys = WebhookRequest.builder()
        .header("Acme-Signature-1", hmacHex("old-key", body))
        .header("acme-signature-2", hmacHex("new-key", body)).body(body).build();
    // Either side may be rotated first: the sender still signs with both keys, the receiver
    // holds the old one, the new one, or both.
    for (String key : new String[] {"old-key", "new-key"}) {
      assertThat(WebhookVerifier.builder(numbered()).secret(key).build().verify(twoKeys).isVerified())
          .as(key).isTrue();
    }
    WebhookRequest onlySecond = WebhookRequest.builder()
        .header("Acme-Signature-2", hmacHex("new-key", body)).body(body).build();
    assertThat(WebhookVerifier.builder(numbered()).secret("new-key").build().verify(onlySecond).isVerified())
        .isTrue();
    assertThat(((Rejection) WebhookVerifier.builder(numbered()).secret("third-key").build().verify(twoKeys))
        .reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void numberedHeadersOutsideTheRangeOrWithALeadingZeroAreNotRead() throws Exception {
    String body = "{}";
    WebhookVerifier verifier = WebhookVerifier.builder(numbered()).secret(SECRET).build();
    for (String name : new String[] {"Acme-Signature-4", "Acme-Signature-01", "Acme-Signature-0",
        "Acme-Signature-", "Acme-Signature-1x", "Acme-Signature-99999", "Acme-Signature"}) {
      WebhookRequest request = WebhookRequest.builder().header(name, hmacHex(body)).body(body).build();
      Rejection rejection = (Rejection) verifier.verify(request);
      assertThat(rejection.reason()).as(name).isEqualTo(RejectionReason.MISSING_HEADER);
      assertThat(rejection.detail()).contains("Acme-Signature-1");
    }
    WebhookRequest repeated = WebhookRequest.builder().header("Acme-Signature-3", hmacHex(body))
        .header("Acme-Signature-3", hmacHex(body)).body(body).build();
    assertThat(((Rejection) verifier.verify(repeated)).reason()).isEqualTo(RejectionReason.MALFORMED_HEADER);

    WebhookRequest signed = WebhookSigner.builder(numbered()).secret(SECRET).build()
        .sign(WebhookRequest.builder().body(body).build());
    assertThat(signed.headers().first("Acme-Signature-1")).isEqualTo(hmacHex(body));
    assertThat(verifier.verify(signed).isVerified()).isTrue();
  }

  @Test
  void numberedSignatureHeadersAreCheckedWhereTheyAreGivenAndInBuild() {
    assertThatThrownBy(() -> WebhookScheme.builder("acme").numberedSignatureHeaders("X-Sig-", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1000");
    assertThatThrownBy(() -> WebhookScheme.builder("acme").numberedSignatureHeaders(" ", 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookScheme.builder("acme").numberedSignatureHeaders("X-Sig-", 3)
        .headerFamily("X-Other", null, null).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("header families");
    assertThatThrownBy(() -> WebhookScheme.builder("acme").numberedSignatureHeaders("X-Sig-", 3)
        .keyValueList(',', "v1", "t").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("timestamp");
    // signatureHeader replaces the numbered headers.
    WebhookScheme plain = WebhookScheme.builder("acme").numberedSignatureHeaders("X-Sig-", 3)
        .signatureHeader("X-Sig").build();
    WebhookRequest numberedOnly = WebhookRequest.builder().header("X-Sig-2", "00").body("{}").build();
    assertThat(((Rejection) WebhookVerifier.builder(plain).secret(SECRET).build().verify(numberedOnly))
        .reason()).isEqualTo(RejectionReason.MISSING_HEADER);
  }

  @Test
  void theTimestampHasOnePlaceTheLastSetterChose() {
    WebhookScheme inBody = WebhookScheme.builder("moved").signatureHeader("Sig")
        .timestampHeader("Time", TimestampFormat.UNIX_SECONDS)
        .timestampJsonField("sentAt", TimestampFormat.UNIX_MILLIS).build();

    assertThat(inBody.hasTimestamp()).isTrue();
    assertThat(inBody.defaultTolerance()).contains(Duration.ofMinutes(5));
  }

  @Test
  void inconsistentDescriptionsFailInBuildWithMessagesNamingTheProblem() {
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("Sig", "sig").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: the signature header sig is named twice");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("S").headerFamily("S", null, null).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: the signature header S is named twice");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("S").idHeader("I")
        .headerFamily("S2", null, null).signedContent("{id}{body}").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("x: the signed content uses {id}, but header family S2 has no id header");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("S").headerFamily("S2", "T2", null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("x: header family S2 names timestamp header T2, but the timestamp is not read from a"
            + " header (see timestampHeader)");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("S").versionedList("v1", "v1a").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("x: versionedList(v1, v1a) names HMAC and public-key versions, so the scheme needs both");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("S").versionedList("v1", "v1a")
        .ed25519PublicKeys(PublicKeyEncoding.BASE64).build())
        .as("public keys alone: HMAC is not checked").isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("S", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("alternativeNames must not be blank");
    assertThatThrownBy(() -> WebhookScheme.builder("x").defaultTolerance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> WebhookScheme.builder("x").ed25519PublicKeys(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void keyTextIsCheckedWhenTheVerifierIsBuiltWithoutShowingTheKey() {
    WebhookScheme hex = WebhookScheme.builder("ed").signatureHeader("S").ed25519PublicKeys(PublicKeyEncoding.HEX).build();
    WebhookScheme base64 = WebhookScheme.builder("ed").signatureHeader("S").ed25519PublicKeys(PublicKeyEncoding.BASE64).build();
    WebhookScheme ec = WebhookScheme.builder("ec").signatureHeader("S").ecdsaP256PublicKeys().build();

    assertThatThrownBy(() -> WebhookVerifier.builder(hex).publicKey("not-hex!")).hasMessage("public key is not valid hexadecimal");
    assertThatThrownBy(() -> WebhookVerifier.builder(base64).publicKey("not*base64")).hasMessage("public key is not valid base64");
    assertThatThrownBy(() -> WebhookSigner.builder(base64).privateKey("not*base64")).hasMessage("private key is not valid base64");
    assertThatThrownBy(() -> WebhookVerifier.builder(ec).publicKey("QUJD")).hasMessageContaining("not a valid EC public key");
    assertThatThrownBy(() -> WebhookSigner.builder(ec).secret(SECRET))
        .hasMessage("ec deliveries are signed with a private key, not a secret");
  }
}
