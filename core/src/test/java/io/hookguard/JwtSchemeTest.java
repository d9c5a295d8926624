package io.hookguard;

import static io.hookguard.RejectionReason.MALFORMED_HEADER;
import static io.hookguard.RejectionReason.MALFORMED_TIMESTAMP;
import static io.hookguard.RejectionReason.MISSING_HEADER;
import static io.hookguard.RejectionReason.NO_MATCHING_SIGNATURE;
import static io.hookguard.RejectionReason.TIMESTAMP_TOO_NEW;
import static io.hookguard.RejectionReason.TIMESTAMP_TOO_OLD;
import static io.hookguard.RejectionReason.TOKEN_CLAIMS_REJECTED;
import static io.hookguard.RejectionReason.UNSUPPORTED_SIGNATURE_VERSION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.internal.Sha256;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JWT schemes (Plaid, Google ID tokens) against an attacker: tokens crafted by hand, each
 * changing one thing of a token that would otherwise verify, and the typed reason each must get.
 */
class JwtSchemeTest {
  static final long NOW = Fixtures.NOW.getEpochSecond();
  static final byte[] BODY = Fixtures.sampleJson().getBytes(UTF_8);
  static final String BODY_HASH = HexFormat.of().formatHex(Sha256.digest(BODY));

  static final Fixtures.Keyed PLAID = Fixtures.keyed(Providers.PLAID);
  static final Fixtures.Keyed GOOGLE = Fixtures.keyed(Fixtures.GOOGLE);

  // ---- Hand-made tokens ----

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static PrivateKey privateKey(String algorithm, String base64Pkcs8) {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(
          new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64Pkcs8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** header.claims signed with a JCA algorithm and key. */
  static String token(String header, String claims, String jcaAlgorithm, PrivateKey key) {
    String input = b64(header) + "." + b64(claims);
    try {
      Signature signer = Signature.getInstance(jcaAlgorithm);
      signer.initSign(key);
      signer.update(input.getBytes(UTF_8));
      return input + "." + b64(signer.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String es256(String header, String claims) {
    return token(header, claims, "SHA256withECDSAinP1363Format", privateKey("EC", Fixtures.EC.privateBase64()));
  }

  static String rs256(String header, String claims) {
    return token(header, claims, "SHA256withRSA", privateKey("RSA", Fixtures.RSA.privateBase64()));
  }

  static String plaidHeader() {
    return "{\"alg\":\"ES256\",\"kid\":\"" + Fixtures.PLAID_KID + "\",\"typ\":\"JWT\"}";
  }

  static String plaidClaims(long iat, String hash) {
    return "{\"iat\":" + iat + ",\"request_body_sha256\":\"" + hash + "\"}";
  }

  static String googleHeader() {
    return "{\"alg\":\"RS256\",\"kid\":\"" + Fixtures.GOOGLE_KID + "\",\"typ\":\"JWT\"}";
  }

  static String googleClaims(String iss, String aud, String email, String verified, long iat, long exp) {
    return "{\"iss\":\"" + iss + "\",\"aud\":" + aud + ",\"azp\":\"1234\",\"email\":\"" + email
        + "\",\"email_verified\":" + verified + ",\"iat\":" + iat + ",\"exp\":" + exp + ",\"sub\":\"1234\"}";
  }

  static String googleClaims() {
    return googleClaims("https://accounts.google.com", "\"" + Fixtures.GOOGLE_AUDIENCE + "\"",
        Fixtures.GOOGLE_EMAIL, "true", NOW, NOW + 3600);
  }

  static VerificationResult plaid(String token) {
    return plaid(token, BODY);
  }

  static VerificationResult plaid(String token, byte[] body) {
    return PLAID.verifier().verify(WebhookRequest.builder()
        .header("Plaid-Verification", token).body(body).build());
  }

  static VerificationResult google(String authorization) {
    return GOOGLE.verifier().verify(WebhookRequest.builder()
        .header("Authorization", authorization).body(BODY).build());
  }

  static RejectionReason reason(VerificationResult result) {
    assertThat(result).isInstanceOf(Rejection.class);
    Rejection rejection = (Rejection) result;
    assertThat(rejection.detail()).hasSizeLessThan(200).doesNotContain(BODY_HASH);
    return rejection.reason();
  }

  // ---- What must verify ----

  @Test
  void aPlaidTokenOverTheExactBodyVerifies() {
    VerifiedWebhook verified = plaid(es256(plaidHeader(), plaidClaims(NOW, BODY_HASH))).orElseThrow();

    assertThat(verified.provider()).isEqualTo("plaid");
    assertThat(verified.timestamp()).contains(Fixtures.NOW);
    assertThat(verified.eventId()).as("Plaid's bodies carry no event id").isEmpty();
  }

  @Test
  void plaidsEventTypeIsTheWebhookTypeAndCode() {
    byte[] body = "{\"webhook_type\":\"TRANSACTIONS\",\"webhook_code\":\"SYNC_UPDATES_AVAILABLE\",\"item_id\":\"x\"}"
        .getBytes(UTF_8);
    String token = es256(plaidHeader(), plaidClaims(NOW, HexFormat.of().formatHex(Sha256.digest(body))));

    assertThat(plaid(token, body).orElseThrow().eventType()).contains("TRANSACTIONS.SYNC_UPDATES_AVAILABLE");
  }

  @Test
  void aGoogleIdTokenVerifiesAndTheMessageIdIsTheEventId() {
    VerifiedWebhook verified = google("Bearer " + rs256(googleHeader(), googleClaims())).orElseThrow();

    assertThat(verified.eventId()).contains("ps-msg-1");
    assertThat(verified.timestamp()).contains(Fixtures.NOW);
    assertThat(google("bearer " + rs256(googleHeader(), googleClaims())).isVerified())
        .as("the auth-scheme name in any case").isTrue();
  }

  @Test
  void googlesOtherIssuerSpellingAndAnAudienceArrayAreAccepted() {
    String claims = googleClaims("accounts.google.com", "[\"other\",\"" + Fixtures.GOOGLE_AUDIENCE + "\"]",
        Fixtures.GOOGLE_EMAIL, "true", NOW, NOW + 3600);

    assertThat(google("Bearer " + rs256(googleHeader(), claims)).isVerified()).isTrue();
  }

  /** What the README and the Javadoc say: a Google ID token proves the sender, not the bytes. */
  @Test
  void aGoogleIdTokenDoesNotSignTheBodyAndSaysSo() {
    String token = "Bearer " + rs256(googleHeader(), googleClaims());
    WebhookRequest otherBody = WebhookRequest.builder().header("Authorization", token)
        .body("{\"message\":{\"messageId\":\"forged\"}}").build();

    assertThat(GOOGLE.verifier().verify(otherBody).isVerified()).isTrue();
    assertThat(Fixtures.GOOGLE.signsEventId()).isFalse();
    assertThat(Providers.PLAID.signsEventId()).isFalse();
  }

  // ---- The attacker's tokens ----

  static Stream<Arguments> plaidAttacks() {
    String good = es256(plaidHeader(), plaidClaims(NOW, BODY_HASH));
    String[] parts = good.split("\\.");
    byte[] publicKeyBytes = Base64.getDecoder().decode(Fixtures.EC.publicBase64());
    String hs256Input = b64("{\"alg\":\"HS256\",\"kid\":\"" + Fixtures.PLAID_KID + "\"}") + "." + parts[1];
    String derSignature;
    try {
      Signature der = Signature.getInstance("SHA256withECDSA");
      der.initSign(privateKey("EC", Fixtures.EC.privateBase64()));
      der.update((parts[0] + "." + parts[1]).getBytes(UTF_8));
      derSignature = parts[0] + "." + parts[1] + "." + b64(der.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Stream.of(
        Arguments.of("alg none, no signature", b64("{\"alg\":\"none\",\"kid\":\"" + Fixtures.PLAID_KID + "\"}")
            + "." + parts[1] + ".", MALFORMED_HEADER),
        Arguments.of("alg none with a signature", b64("{\"alg\":\"none\",\"kid\":\"" + Fixtures.PLAID_KID + "\"}")
            + "." + parts[1] + "." + parts[2], UNSUPPORTED_SIGNATURE_VERSION),
        Arguments.of("alg None", es256("{\"alg\":\"None\",\"kid\":\"" + Fixtures.PLAID_KID + "\"}",
            plaidClaims(NOW, BODY_HASH)), UNSUPPORTED_SIGNATURE_VERSION),
        Arguments.of("HS256 keyed with the public key", hs256Input + "." + b64(hmac(publicKeyBytes, hs256Input)),
            UNSUPPORTED_SIGNATURE_VERSION),
        Arguments.of("RS256 for an ES256 sender", rs256("{\"alg\":\"RS256\",\"kid\":\"" + Fixtures.PLAID_KID + "\"}",
            plaidClaims(NOW, BODY_HASH)), UNSUPPORTED_SIGNATURE_VERSION),
        Arguments.of("no alg", es256("{\"kid\":\"" + Fixtures.PLAID_KID + "\"}", plaidClaims(NOW, BODY_HASH)),
            UNSUPPORTED_SIGNATURE_VERSION),
        Arguments.of("crit", es256("{\"alg\":\"ES256\",\"kid\":\"" + Fixtures.PLAID_KID + "\",\"crit\":[\"exp\"]}",
            plaidClaims(NOW, BODY_HASH)), UNSUPPORTED_SIGNATURE_VERSION),
        Arguments.of("an unknown kid", es256("{\"alg\":\"ES256\",\"kid\":\"other\"}", plaidClaims(NOW, BODY_HASH)),
            NO_MATCHING_SIGNATURE),
        Arguments.of("no kid", es256("{\"alg\":\"ES256\"}", plaidClaims(NOW, BODY_HASH)), MALFORMED_HEADER),
        Arguments.of("a numeric kid", es256("{\"alg\":\"ES256\",\"kid\":7}", plaidClaims(NOW, BODY_HASH)),
            MALFORMED_HEADER),
        Arguments.of("signed by another key", token(plaidHeader(), plaidClaims(NOW, BODY_HASH),
            "SHA256withECDSAinP1363Format", privateKey("EC", Fixtures.OTHER_EC.privateBase64())), NO_MATCHING_SIGNATURE),
        Arguments.of("a DER signature", derSignature, NO_MATCHING_SIGNATURE),
        Arguments.of("a zero signature", parts[0] + "." + parts[1] + "." + b64(new byte[64]), NO_MATCHING_SIGNATURE),
        Arguments.of("a 65-byte signature", parts[0] + "." + parts[1] + "."
            + b64(java.util.Arrays.copyOf(Base64.getUrlDecoder().decode(parts[2]), 65)), NO_MATCHING_SIGNATURE),
        Arguments.of("claims swapped in", parts[0] + "." + b64(plaidClaims(NOW, "0".repeat(64))) + "." + parts[2],
            NO_MATCHING_SIGNATURE),
        Arguments.of("issued six minutes ago", es256(plaidHeader(), plaidClaims(NOW - 360, BODY_HASH)), TIMESTAMP_TOO_OLD),
        Arguments.of("issued two minutes ahead", es256(plaidHeader(), plaidClaims(NOW + 120, BODY_HASH)), TIMESTAMP_TOO_NEW),
        Arguments.of("no iat", es256(plaidHeader(), "{\"request_body_sha256\":\"" + BODY_HASH + "\"}"), MALFORMED_TIMESTAMP),
        Arguments.of("iat as text", es256(plaidHeader(), "{\"iat\":\"" + NOW + "\",\"request_body_sha256\":\"" + BODY_HASH + "\"}"),
            MALFORMED_TIMESTAMP),
        Arguments.of("iat fractional", es256(plaidHeader(), "{\"iat\":" + NOW + ".5,\"request_body_sha256\":\"" + BODY_HASH + "\"}"),
            MALFORMED_TIMESTAMP),
        Arguments.of("the hash of another body", es256(plaidHeader(), plaidClaims(NOW,
            HexFormat.of().formatHex(Sha256.digest("{}".getBytes(UTF_8))))), NO_MATCHING_SIGNATURE),
        Arguments.of("an upper-case hash", es256(plaidHeader(), plaidClaims(NOW, BODY_HASH.toUpperCase())), MALFORMED_HEADER),
        Arguments.of("no body hash", es256(plaidHeader(), "{\"iat\":" + NOW + "}"), MALFORMED_HEADER),
        Arguments.of("a repeated claim", es256(plaidHeader(), "{\"iat\":" + NOW + ",\"request_body_sha256\":\"" + "0".repeat(64)
            + "\",\"request_body_sha256\":\"" + BODY_HASH + "\"}"), MALFORMED_HEADER),
        Arguments.of("a repeated header member", es256("{\"alg\":\"ES256\",\"alg\":\"none\",\"kid\":\"" + Fixtures.PLAID_KID + "\"}",
            plaidClaims(NOW, BODY_HASH)), MALFORMED_HEADER),
        Arguments.of("claims that are an array", es256(plaidHeader(), "[1]"), MALFORMED_HEADER),
        Arguments.of("text after the claims", es256(plaidHeader(), plaidClaims(NOW, BODY_HASH) + "{}"), MALFORMED_HEADER),
        Arguments.of("two parts", parts[0] + "." + parts[1], MALFORMED_HEADER),
        Arguments.of("four parts", good + ".x", MALFORMED_HEADER),
        Arguments.of("padding", parts[0] + "." + parts[1] + "." + parts[2] + "==", MALFORMED_HEADER),
        Arguments.of("standard base64", good.replace('-', '+').replace('_', '/')
            + (good.contains("-") || good.contains("_") ? "" : "+"), MALFORMED_HEADER),
        Arguments.of("a space inside", parts[0] + ". " + parts[1] + "." + parts[2], MALFORMED_HEADER),
        Arguments.of("an empty part", parts[0] + ".." + parts[2], MALFORMED_HEADER),
        Arguments.of("a non-canonical last character", parts[0] + "." + parts[1] + "." + nonCanonical(parts[2]), MALFORMED_HEADER),
        Arguments.of("oversized", good + "A".repeat(5000), MALFORMED_HEADER),
        Arguments.of("garbage", "\u00ff\u0000garbage", MALFORMED_HEADER),
        Arguments.of("a header that is not JSON", b64("not json") + "." + parts[1] + "." + parts[2], MALFORMED_HEADER),
        Arguments.of("deeply nested claims", es256(plaidHeader(), "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"),
            MALFORMED_HEADER));
  }

  /** base64url whose last character carries non-zero unused bits: decodes, but is not canonical. */
  static String nonCanonical(String part) {
    // A 64-byte signature is 86 characters: the last carries 4 unused bits.
    char last = part.charAt(part.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return part.substring(0, part.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
  }

  static byte[] hmac(byte[] key, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(input.getBytes(UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "plaid: {0} -> {2}")
  @MethodSource("plaidAttacks")
  void plaidRefusesTheAttackersTokens(String attack, String token, RejectionReason expected) {
    assertThat(reason(plaid(token))).isEqualTo(expected);
  }

  @Test
  void aPlaidTokenReusedOnAnotherBodyIsRefused() {
    String token = es256(plaidHeader(), plaidClaims(NOW, BODY_HASH));
    byte[] other = java.util.Arrays.copyOf(BODY, BODY.length + 1);
    other[BODY.length] = ' ';

    assertThat(plaid(token).isVerified()).isTrue();
    assertThat(reason(plaid(token, other))).isEqualTo(NO_MATCHING_SIGNATURE);
  }

  @Test
  void aMissingOrRepeatedHeaderIsTyped() {
    assertThat(reason(PLAID.verifier().verify(WebhookRequest.builder().body(BODY).build()))).isEqualTo(MISSING_HEADER);
    String token = es256(plaidHeader(), plaidClaims(NOW, BODY_HASH));
    assertThat(reason(PLAID.verifier().verify(WebhookRequest.builder().header("Plaid-Verification", token)
        .header("Plaid-Verification", token).body(BODY).build()))).isEqualTo(MALFORMED_HEADER);
  }

  static Stream<Arguments> googleAttacks() {
    String aud = "\"" + Fixtures.GOOGLE_AUDIENCE + "\"";
    String iss = "https://accounts.google.com";
    String email = Fixtures.GOOGLE_EMAIL;
    return Stream.of(
        Arguments.of("another audience", rs256(googleHeader(), googleClaims(iss, "\"https://evil.example\"", email, "true", NOW, NOW + 3600)),
            TOKEN_CLAIMS_REJECTED),
        Arguments.of("an audience array without ours", rs256(googleHeader(), googleClaims(iss, "[\"a\",\"b\"]", email, "true", NOW, NOW + 3600)),
            TOKEN_CLAIMS_REJECTED),
        Arguments.of("the audience as a prefix", rs256(googleHeader(), googleClaims(iss, "\"" + Fixtures.GOOGLE_AUDIENCE + "/x\"", email, "true", NOW, NOW + 3600)),
            TOKEN_CLAIMS_REJECTED),
        Arguments.of("another issuer", rs256(googleHeader(), googleClaims("https://evil.example", aud, email, "true", NOW, NOW + 3600)),
            TOKEN_CLAIMS_REJECTED),
        Arguments.of("another service account", rs256(googleHeader(), googleClaims(iss, aud, "attacker@gmail.com", "true", NOW, NOW + 3600)),
            TOKEN_CLAIMS_REJECTED),
        Arguments.of("an unverified email", rs256(googleHeader(), googleClaims(iss, aud, email, "false", NOW, NOW + 3600)),
            TOKEN_CLAIMS_REJECTED),
        Arguments.of("email_verified as text", rs256(googleHeader(), googleClaims(iss, aud, email, "\"true\"", NOW, NOW + 3600)),
            TOKEN_CLAIMS_REJECTED),
        Arguments.of("expired two minutes ago", rs256(googleHeader(), googleClaims(iss, aud, email, "true", NOW - 3720, NOW - 120)),
            TIMESTAMP_TOO_OLD),
        Arguments.of("issued over an hour ago", rs256(googleHeader(), googleClaims(iss, aud, email, "true", NOW - 3700, NOW + 3600)),
            TIMESTAMP_TOO_OLD),
        Arguments.of("issued in the future", rs256(googleHeader(), googleClaims(iss, aud, email, "true", NOW + 120, NOW + 3720)),
            TIMESTAMP_TOO_NEW),
        Arguments.of("no exp", rs256(googleHeader(), "{\"iss\":\"" + iss + "\",\"aud\":" + aud + ",\"email\":\"" + email
            + "\",\"email_verified\":true,\"iat\":" + NOW + "}"), MALFORMED_TIMESTAMP),
        Arguments.of("nbf ahead", rs256(googleHeader(), "{\"iss\":\"" + iss + "\",\"aud\":" + aud + ",\"email\":\"" + email
            + "\",\"email_verified\":true,\"iat\":" + NOW + ",\"exp\":" + (NOW + 3600) + ",\"nbf\":" + (NOW + 600) + "}"), TIMESTAMP_TOO_NEW),
        Arguments.of("a repeated aud", rs256(googleHeader(), "{\"iss\":\"" + iss + "\",\"aud\":\"x\",\"aud\":" + aud + ",\"email\":\""
            + email + "\",\"email_verified\":true,\"iat\":" + NOW + ",\"exp\":" + (NOW + 3600) + "}"), MALFORMED_HEADER),
        Arguments.of("ES256 for an RS256 sender", es256("{\"alg\":\"ES256\",\"kid\":\"" + Fixtures.GOOGLE_KID + "\"}", googleClaims()),
            UNSUPPORTED_SIGNATURE_VERSION),
        Arguments.of("an unknown kid", rs256("{\"alg\":\"RS256\",\"kid\":\"deadbeef\"}", googleClaims()), NO_MATCHING_SIGNATURE));
  }

  @ParameterizedTest(name = "google: {0} -> {2}")
  @MethodSource("googleAttacks")
  void googleRefusesTheAttackersTokens(String attack, String token, RejectionReason expected) {
    assertThat(reason(google("Bearer " + token))).isEqualTo(expected);
  }

  @Test
  void aGoogleTokenOutsideBearerIsMalformed() {
    String token = rs256(googleHeader(), googleClaims());
    assertThat(reason(google(token))).isEqualTo(MALFORMED_HEADER);
    assertThat(reason(google("Basic " + token))).isEqualTo(MALFORMED_HEADER);
    assertThat(reason(google("Bearer  " + token))).isEqualTo(MALFORMED_HEADER);
  }

  @Test
  void withoutTheEmailCheckAnyServiceAccountOfTheAudienceIsAccepted() {
    WebhookVerifier anyAccount = WebhookVerifier.builder(Providers.googleIdToken(Fixtures.GOOGLE_AUDIENCE))
        .publicKey(Fixtures.keyText(Fixtures.GOOGLE)).clock(Fixtures.CLOCK).build();
    String token = rs256(googleHeader(), googleClaims("https://accounts.google.com",
        "\"" + Fixtures.GOOGLE_AUDIENCE + "\"", "someone@example.com", "false", NOW, NOW + 3600));

    assertThat(anyAccount.verify(WebhookRequest.builder().header("Authorization", "Bearer " + token).body(BODY).build())
        .isVerified()).isTrue();
  }

  @Test
  void aJwtSchemeThatWouldAcceptAnyTokenOfTheKeyCannotBeBuilt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookScheme.jwt("acme").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer, an audience or a body hash claim");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookScheme.jwt("acme").header(" "))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookScheme.jwt("acme").maxAge(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    WebhookScheme acme = WebhookScheme.jwt("acme").issuer("https://issuer.acme.example").audience("hooks")
        .requireExpiry().eventIdJsonField("id").build();
    assertThat(acme.signsEventId()).as("the body is not signed, so neither is its id").isFalse();
    assertThat(acme.usesPublicKeys()).isTrue();
    assertThat(WebhookScheme.jwt("acme").bodySha256Claim("body_sha256").eventIdJsonField("id").build().signsEventId())
        .as("a body hash claim signs the body and its id").isTrue();
  }
}
