package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Standard Webhooks {@code v1a} (Ed25519) public keys in both forms libraries hand out: the raw
 * 32 bytes and the 44-byte X.509 SubjectPublicKeyInfo, each with or without {@code whpk_}.
 * Signatures are made by the JDK, not by Hookguard's signer.
 */
class StandardWebhooksPublicKeyTest {
  private static final KeyPair PAIR = generate();
  private static final KeyPair OTHER = generate();
  private static final String BODY = "{\"type\":\"user.created\"}";
  private static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  private static final String TIMESTAMP = Long.toString(Fixtures.NOW.getEpochSecond());

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] spki(KeyPair pair) {
    return pair.getPublic().getEncoded();
  }

  private static byte[] raw(KeyPair pair) {
    byte[] spki = spki(pair);
    return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A delivery signed by the JDK with the pair's private key, as a Standard Webhooks sender. */
  private static WebhookRequest signedBy(KeyPair pair) throws Exception {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update((ID + "." + TIMESTAMP + "." + BODY).getBytes(UTF_8));
    return WebhookRequest.builder()
        .header("webhook-id", ID)
        .header("webhook-timestamp", TIMESTAMP)
        .header("webhook-signature", "v1a," + b64(signer.sign()))
        .body(BODY)
        .build();
  }

  private static WebhookVerifier verifier(String publicKey) {
    return WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).publicKey(publicKey)
        .clock(Fixtures.CLOCK).build();
  }

  @Test
  void theJdksSpkiEncodingIsThe44ByteFormOtherLibrariesHandOut() {
    assertThat(spki(PAIR)).hasSize(44);
  }

  @Test
  void everyFormOfThePublicKeyVerifiesAJdkSignature() throws Exception {
    WebhookRequest delivery = signedBy(PAIR);
    for (String key : List.of("whpk_" + b64(raw(PAIR)), b64(raw(PAIR)),
        "whpk_" + b64(spki(PAIR)), b64(spki(PAIR)), " whpk_" + b64(spki(PAIR)) + "\n")) {
      assertThat(verifier(key).verify(delivery).isVerified()).as(key).isTrue();
    }
  }

  @Test
  void anotherKeyInEitherFormDoesNotVerify() throws Exception {
    WebhookRequest delivery = signedBy(PAIR);
    for (String key : List.of("whpk_" + b64(raw(OTHER)), "whpk_" + b64(spki(OTHER)), b64(spki(OTHER)))) {
      assertThat(verifier(key).verify(delivery)).isInstanceOfSatisfying(Rejection.class,
          r -> assertThat(r.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE));
    }
  }

  @Test
  void keysOfAnyOtherShapeAreRefusedWithTheFormsAccepted() {
    byte[] ecLike = Arrays.copyOf(spki(PAIR), 44);
    ecLike[8] ^= 1; // not the Ed25519 algorithm identifier
    for (byte[] bytes : List.of(new byte[31], new byte[33], new byte[43], new byte[45], ecLike)) {
      assertThatThrownBy(() -> verifier("whpk_" + b64(bytes)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32 raw bytes or a 44-byte X.509 SubjectPublicKeyInfo");
    }
  }

  @Test
  void aPublicKeyGivenAsASecretSaysToUsePublicKey() {
    String publicKey = "whpk_" + b64(raw(PAIR));
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(publicKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whpk_ public key")
        .hasMessageContaining("publicKey()")
        .hasMessageNotContaining(b64(raw(PAIR)));
    assertThatThrownBy(() -> WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(publicKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whpk_ public key");
  }

  @Test
  void aPrivateKeyGivenAsASecretSaysWhereItBelongs() {
    String privateKey = "whsk_" + b64(new byte[32]);
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(privateKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsk_ private key")
        .hasMessageContaining("publicKey()")
        .hasMessageContaining("privateKey()");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).publicKey(privateKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsk_ private key")
        .hasMessageContaining("whpk_ public key");
  }

  @Test
  void aSecretGivenAsAPublicKeySaysToUseSecret() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS)
        .publicKey(Fixtures.STANDARD_SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsec_ secret")
        .hasMessageContaining("secret()")
        .hasMessageNotContaining(Fixtures.STANDARD_SECRET.substring(6));
    assertThatThrownBy(() -> WebhookSigner.builder(Providers.STANDARD_WEBHOOKS)
        .privateKey(Fixtures.STANDARD_SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsec_ secret")
        .hasMessageContaining("secret()");
  }

  @Test
  void hookguardsSignerAndTheJdkAgree() throws Exception {
    byte[] pkcs8 = PAIR.getPrivate().getEncoded();
    WebhookSigner signer = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS)
        .privateKey("whsk_" + b64(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)))
        .clock(Fixtures.CLOCK).build();
    WebhookRequest signed = signer.sign(WebhookRequest.builder().header("webhook-id", ID).body(BODY).build());

    assertThat(signed.headers().first("webhook-signature"))
        .isEqualTo(signedBy(PAIR).headers().first("webhook-signature"));
    assertThat(verifier(b64(spki(PAIR))).verify(signed).isVerified()).isTrue();
  }

  @Test
  void aSignatureThatDoesNotDecodeIsSkippedAmongOnesThatDo() throws Exception {
    WebhookRequest delivery = signedBy(PAIR);
    String good = delivery.headers().first("webhook-signature");
    String wrong = signedBy(OTHER).headers().first("webhook-signature");
    WebhookVerifier verifier = verifier(b64(spki(PAIR)));

    assertThat(verifier.verify(delivery.toBuilder().setHeader("webhook-signature", wrong + " v1a,@@@@").build()))
        .isInstanceOfSatisfying(Rejection.class,
            r -> assertThat(r.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE));
    assertThat(verifier.verify(delivery.toBuilder()
        .setHeader("webhook-signature", wrong + " v1a,@@@@ " + good).build()).isVerified()).isTrue();
  }

  @Test
  void aFortyFourByteKeyOfAnotherKindIsNamedAsSuch() {
    byte[] notEd25519 = Arrays.copyOf(spki(PAIR), 44);
    notEd25519[8] ^= 1;
    assertThatThrownBy(() -> verifier(b64(notEd25519)))
        .hasMessageEndingWith("this one has 44 bytes that are not an Ed25519 SubjectPublicKeyInfo");
    assertThatThrownBy(() -> verifier(b64(new byte[43]))).hasMessageEndingWith("this one has 43 bytes");
  }
}
