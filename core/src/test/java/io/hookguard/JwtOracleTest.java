package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nimbus-jose-jwt, a well-kept JOSE library, as the oracle: tokens it signs verify in Hookguard,
 * tokens Hookguard signs verify in it, and the attacker's tokens it refuses Hookguard refuses.
 */
class JwtOracleTest {
  static final Date NOW = Date.from(Fixtures.NOW);

  static ECPrivateKey ecPrivate() {
    return (ECPrivateKey) JwtSchemeTest.privateKey("EC", Fixtures.EC.privateBase64());
  }

  static RSAPrivateKey rsaPrivate() {
    return (RSAPrivateKey) JwtSchemeTest.privateKey("RSA", Fixtures.RSA.privateBase64());
  }

  @Test
  void aPlaidTokenSignedByNimbusVerifies() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(Fixtures.PLAID_KID)
        .type(JOSEObjectType.JWT).build(),
        new JWTClaimsSet.Builder().issueTime(NOW).claim("request_body_sha256", JwtSchemeTest.BODY_HASH).build());
    jwt.sign(new ECDSASigner(ecPrivate()));

    assertThat(JwtSchemeTest.plaid(jwt.serialize()).isVerified()).isTrue();
  }

  @Test
  void aGoogleIdTokenSignedByNimbusVerifies() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(Fixtures.GOOGLE_KID).build(),
        new JWTClaimsSet.Builder().issuer("https://accounts.google.com").audience(Fixtures.GOOGLE_AUDIENCE)
            .issueTime(NOW).expirationTime(new Date(NOW.getTime() + 3_600_000))
            .claim("email", Fixtures.GOOGLE_EMAIL).claim("email_verified", true).subject("1234").build());
    jwt.sign(new RSASSASigner(rsaPrivate()));

    assertThat(JwtSchemeTest.google("Bearer " + jwt.serialize()).isVerified()).isTrue();
  }

  @Test
  void tokensHookguardSignsVerifyInNimbus() throws Exception {
    WebhookRequest plaid = Fixtures.keyed(Providers.PLAID).signedSample();
    SignedJWT plaidJwt = SignedJWT.parse(plaid.headers().first("Plaid-Verification"));
    assertThat(plaidJwt.verify(new ECDSAVerifier((ECPublicKey) JwtKeySourceTest.publicKey("EC", Fixtures.EC.publicBase64()))))
        .isTrue();
    assertThat(plaidJwt.getJWTClaimsSet().getStringClaim("request_body_sha256"))
        .isEqualTo(io.hookguard.internal.Sha256.hex(plaid.body()));

    WebhookRequest google = Fixtures.keyed(Fixtures.GOOGLE).signedSample();
    SignedJWT googleJwt = SignedJWT.parse(google.headers().first("Authorization").substring("Bearer ".length()));
    assertThat(googleJwt.verify(new RSASSAVerifier((RSAPublicKey) JwtKeySourceTest.publicKey("RSA", Fixtures.RSA.publicBase64()))))
        .isTrue();
    assertThat(googleJwt.getJWTClaimsSet().getAudience()).containsExactly(Fixtures.GOOGLE_AUDIENCE);
  }

  /** nimbus configured as Plaid asks (ES256 only, the key by kid, iat and the hash required). */
  static boolean nimbusAcceptsPlaid(String token) {
    try {
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
          new ImmutableJWKSet<>(new com.nimbusds.jose.jwk.JWKSet(
              com.nimbusds.jose.jwk.JWK.parse(JwtKeySourceTest.plaidJwk(Fixtures.PLAID_KID))))));
      processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, Set.of("iat", "request_body_sha256")));
      JWTClaimsSet claims = processor.process(token, null);
      long age = Fixtures.NOW.getEpochSecond() - claims.getIssueTime().toInstant().getEpochSecond();
      return age <= 300 && age >= -60
          && JwtSchemeTest.BODY_HASH.equals(claims.getStringClaim("request_body_sha256"));
    } catch (Exception e) {
      return false;
    }
  }

  static Stream<Arguments> attacks() {
    return JwtSchemeTest.plaidAttacks().map(arguments -> Arguments.of(arguments.get()[0], arguments.get()[1]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void whatNimbusRefusesHookguardRefuses(String attack, String token) {
    if (!nimbusAcceptsPlaid(token)) {
      assertThat(JwtSchemeTest.plaid(token).isVerified()).as(attack).isFalse();
    }
  }

  /**
   * Where the two differ, Hookguard is the stricter: nimbus (as configured here, selecting the
   * key by algorithm) takes a token without a kid, a fractional iat, padded or standard-alphabet
   * base64 and a non-canonical last character; Hookguard refuses each (the attacker's tests). Every
   * other attack, repeated members included, both refuse.
   */
  @Test
  void theOracleAcceptsAGoodTokenAndOnlyTheseLenientSpellingsOfTheAttacks() {
    assertThat(nimbusAcceptsPlaid(JwtKeySourceTest.plaidToken(Fixtures.NOW.getEpochSecond()))).isTrue();
    List<Object> acceptedByNimbus = new java.util.ArrayList<>(attacks()
        .filter(a -> nimbusAcceptsPlaid((String) a.get()[1])).map(a -> a.get()[0]).toList());
    // Nimbus decodes a standard-base64 signature, but verifies over header.payload as sent: it
    // takes that spelling only when the token's '-' and '_' all fall in its (random) signature.
    acceptedByNimbus.remove("standard base64");
    assertThat(acceptedByNimbus).containsExactlyInAnyOrder("no kid", "iat fractional", "padding",
        "a non-canonical last character");
  }

  /**
   * A token Plaid's sandbox sent and the key {@code /webhook_verification_key/get} returned for
   * it, as published in Stack Overflow question 62117400 (the body was not published, so only the
   * signature can be checked): Hookguard's JWK parsing and ES256 check accept Plaid's own
   * signature, and refuse the delivery only for its body.
   */
  @Test
  void aTokenPlaidSignedVerifiesUnderTheKeyPlaidPublishedForIt() throws Exception {
    String token = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjZjNTUxNmUxLTkyZGMtNDc5ZS1hOGZmLTVhNTE5OTJlMDAwMSIsInR5cCI6IkpXVCJ9"
        + ".eyJpYXQiOjE1OTA4ODcwMDEsInJlcXVlc3RfYm9keV9zaGEyNTYiOiJiNjNhMDdiNTQ3YjAwZjk5MjU0N2Y2YmJjOGQ5YWNjNjFhOGNjZWUxMzhiYzgyZjQ0YTZiYWEwOTY4M2E1ZDBmIn0"
        + ".OOKvIihgqCj7Qrb2bmz7T3t7uK-0JyjiEqL2s1kWeJBM4MMmjaHKK8GmU_z91QolBWMzvPgs718EElY-rE3cwQ";
    String answer = "{\"key\":{\"alg\":\"ES256\",\"created_at\":1560466143,\"crv\":\"P-256\",\"expired_at\":null,"
        + "\"kid\":\"6c5516e1-92dc-479e-a8ff-5a51992e0001\",\"kty\":\"EC\",\"use\":\"sig\","
        + "\"x\":\"35lvC8uz2QrWpQJ3TUH8t9o9DURMp7ydU518RKDl20k\",\"y\":\"I8BuXB2bvxelzJAd7OKhd-ZwjCst05Fx47Mb_0ugros\"},"
        + "\"request_id\":\"HvfCtrDLG1ihcp7\"}";
    assertThat(SignedJWT.parse(token).verify(new ECDSAVerifier(com.nimbusds.jose.jwk.ECKey.parse(
        answer.substring(7, answer.indexOf("},") + 1))))).as("nimbus: Plaid's signature").isTrue();

    WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).publicKey(answer)
        .clock(java.time.Clock.fixed(java.time.Instant.ofEpochSecond(1590887001 + 30), java.time.ZoneOffset.UTC)).build();
    Rejection rejection = (Rejection) verifier.verify(WebhookRequest.builder().header("Plaid-Verification", token)
        .body("{}").build());

    assertThat(rejection.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(rejection.detail()).as("past the signature, refused for the body").contains("request_body_sha256");
  }
}
