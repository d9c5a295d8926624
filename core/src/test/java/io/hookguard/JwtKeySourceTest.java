package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.hookguard.inbox.TestClock;
import java.io.IOException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Keys by kid: configured JWKs and JWK sets (no network), and a {@link JwtKeySource} behind the
 * cache: never asked per request once a key is cached, at most once per interval for unknown ids.
 */
class JwtKeySourceTest {
  static PublicKey publicKey(String algorithm, String base64) throws Exception {
    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  static String plaidJwk(String kid) throws Exception {
    return new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey("EC", Fixtures.EC.publicBase64()))
        .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).build().toJSONString();
  }

  static String googleJwks() throws Exception {
    RSAKey ours = new RSAKey.Builder((RSAPublicKey) publicKey("RSA", Fixtures.RSA.publicBase64()))
        .keyID(Fixtures.GOOGLE_KID).keyUse(KeyUse.SIGNATURE).algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).build();
    RSAKey other = new RSAKey.Builder((RSAPublicKey) publicKey("RSA", Fixtures.OTHER_RSA.publicBase64()))
        .keyID("other-kid").keyUse(KeyUse.SIGNATURE).build();
    return new JWKSet(List.of(other, ours)).toString();
  }

  static String plaidToken(long iat) {
    return JwtSchemeTest.es256(JwtSchemeTest.plaidHeader(), JwtSchemeTest.plaidClaims(iat, JwtSchemeTest.BODY_HASH));
  }

  static String plaidToken(String kid, long iat) {
    return JwtSchemeTest.es256("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}",
        JwtSchemeTest.plaidClaims(iat, JwtSchemeTest.BODY_HASH));
  }

  static WebhookRequest plaidRequest(String token) {
    return WebhookRequest.builder().header("Plaid-Verification", token).body(JwtSchemeTest.BODY).build();
  }

  static long now(TestClock clock) {
    return clock.instant().getEpochSecond();
  }

  // ---- Configured keys ----

  @Test
  void aPlaidJwkAPlaidAnswerAndKidColonPemAreAllConfiguration() throws Exception {
    String jwk = plaidJwk(Fixtures.PLAID_KID);
    String answer = "{\"key\":" + jwk + ",\"request_id\":\"HvfCtrDLG1ihcp7\"}";
    String pem = Fixtures.PLAID_KID + ":-----BEGIN PUBLIC KEY-----\n" + Fixtures.EC.publicBase64() + "\n-----END PUBLIC KEY-----";
    for (String key : List.of(jwk, answer, pem, "{\"keys\":[" + jwk + "]}")) {
      WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).publicKey(key).clock(Fixtures.CLOCK).build();
      assertThat(verifier.verify(plaidRequest(plaidToken(Fixtures.NOW.getEpochSecond()))).isVerified()).as(key).isTrue();
    }
  }

  @Test
  void googlesJwkSetAsConfigurationVerifiesTokensOfEachOfItsKeys() throws Exception {
    WebhookVerifier verifier = WebhookVerifier.builder(Fixtures.GOOGLE).publicKey(googleJwks()).clock(Fixtures.CLOCK).build();

    assertThat(verifier.verify(WebhookRequest.builder().header("Authorization",
        "Bearer " + JwtSchemeTest.rs256(JwtSchemeTest.googleHeader(), JwtSchemeTest.googleClaims()))
        .body(JwtSchemeTest.BODY).build()).isVerified()).isTrue();
  }

  @Test
  void unusableKeyConfigurationFailsAtBuildTimeWithoutTheKey() throws Exception {
    String jwk = plaidJwk("k1");
    List<String> bad = List.of(
        "{\"keys\":[" + jwk + "," + jwk + "]}",                              // two keys of one kid
        jwk.replace("\"kid\":\"k1\",", ""),                                // no kid
        jwk.replace("\"alg\":\"ES256\"", "\"alg\":\"HS256\""),             // alg that is not the key's
        jwk.replace("\"crv\":\"P-256\"", "\"crv\":\"P-384\""),
        jwk.replace("}", ",\"d\":\"AAAA\"}"),                              // a private key
        jwk.replace("\"use\":\"sig\"", "\"use\":\"enc\""),
        "{\"keys\":[]}",
        googleJwks(),                                                      // RSA keys for an ES256 sender
        "not-a-kid-and-pem",
        "k1:not base64!",
        "{\"kid\":\"k1\",\"kid\":\"k2\",\"kty\":\"EC\"}");
    for (String key : bad) {
      assertThatThrownBy(() -> WebhookVerifier.builder(Providers.PLAID).publicKey(key))
          .as(key).isInstanceOf(IllegalArgumentException.class)
          .message().doesNotContain(Fixtures.EC.publicBase64().substring(30, 60));
    }
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    String weak = "k:" + Base64.getEncoder().encodeToString(small.generateKeyPair().getPublic().getEncoded());
    assertThatThrownBy(() -> WebhookVerifier.builder(Fixtures.GOOGLE).publicKey(weak))
        .hasMessageContaining("2048");
  }

  @Test
  void aKeySourceIsOnlyForJwtSchemesAndAVerifierNeedsSomeKey() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STRIPE).keySource(kid -> "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.PLAID).build())
        .hasMessageContaining("public key or key source");
  }

  // ---- A fetched key set ----

  @Test
  void aCachedKeyIsNeverFetchedAgainPerRequest() throws Exception {
    TestClock clock = new TestClock();
    AtomicInteger fetches = new AtomicInteger();
    String jwk = plaidJwk(Fixtures.PLAID_KID);
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).clock(clock)
        .keySource(kid -> {
          fetches.incrementAndGet();
          return "{\"key\":" + jwk + ",\"request_id\":\"r\"}";
        }).build();

    for (int i = 0; i < 100; i++) {
      assertThat(verifier.verify(plaidRequest(plaidToken(now(clock)))).isVerified()).isTrue();
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void unknownKidsTriggerAtMostOneFetchPerInterval() throws Exception {
    TestClock clock = new TestClock();
    List<String> asked = new ArrayList<>();
    String jwk = plaidJwk(Fixtures.PLAID_KID);
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).clock(clock)
        .keySource(kid -> {
          synchronized (asked) {
            asked.add(kid);
          }
          return jwk;
        }).build();
    assertThat(verifier.verify(plaidRequest(plaidToken(now(clock)))).isVerified()).isTrue();

    for (int i = 0; i < 200; i++) {
      VerificationResult result = verifier.verify(plaidRequest(plaidToken("forged-" + i, now(clock))));
      assertThat(((Rejection) result).reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    assertThat(asked).as("the real kid's fetch; the forged ids come within the interval").hasSize(1);

    clock.advance(JwtKeys.REFETCH_INTERVAL.plusSeconds(1));
    verifier.verify(plaidRequest(plaidToken("forged-again", now(clock))));
    verifier.verify(plaidRequest(plaidToken("forged-once-more", now(clock))));
    assertThat(asked).containsExactly(Fixtures.PLAID_KID, "forged-again");
    assertThat(verifier.verify(plaidRequest(plaidToken(now(clock)))).isVerified())
        .as("the known key still serves").isTrue();
  }

  @Test
  void anUnreachableSourceIsA503WithRetryAfterAndIsAskedAgainAfterTheInterval() throws Exception {
    TestClock clock = new TestClock();
    AtomicReference<String> answer = new AtomicReference<>();
    AtomicInteger fetches = new AtomicInteger();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).clock(clock)
        .keySource(kid -> {
          fetches.incrementAndGet();
          String document = answer.get();
          if (document == null) {
            throw new IOException("Plaid is down");
          }
          return document;
        }).build();

    Rejection down = (Rejection) verifier.verify(plaidRequest(plaidToken(now(clock))));
    assertThat(down.reason()).isEqualTo(RejectionReason.KEY_UNAVAILABLE);
    assertThat(down.reason().httpStatus()).isEqualTo(503);
    assertThat(down.retryAfter()).contains(JwtKeys.REFETCH_INTERVAL);
    clock.advance(Duration.ofSeconds(45));
    assertThat(((Rejection) verifier.verify(plaidRequest(plaidToken(now(clock))))).retryAfter())
        .contains(Duration.ofSeconds(15));
    answer.set(plaidJwk(Fixtures.PLAID_KID));
    assertThat(verifier.verify(plaidRequest(plaidToken(now(clock)))).isVerified()).as("within the interval").isFalse();
    clock.advance(Duration.ofSeconds(16));
    assertThat(verifier.verify(plaidRequest(plaidToken(now(clock)))).isVerified()).isTrue();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aSourceThatSaysThereIsNoSuchKeyIsA401() {
    TestClock clock = new TestClock();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).clock(clock)
        .keySource(kid -> {
          throw new java.io.FileNotFoundException("Plaid answered 400 INVALID_KEY_ID");
        }).build();

    assertThat(((Rejection) verifier.verify(plaidRequest(plaidToken(now(clock))))).reason())
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  // ---- A JWK set at a pinned URL, through the shared fetcher's interface ----

  @Test
  void aJwksUrlIsFetchedWholeFromItsPinnedUrlOnlyWhenTheCacheAsks() throws Exception {
    TestClock clock = new TestClock();
    List<java.net.URI> fetched = new ArrayList<>();
    String set = googleJwks();
    DocumentFetcher fetcher = (url, maxBytes) -> {
      fetched.add(url);
      return set.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    };
    WebhookVerifier verifier = WebhookVerifier.builder(Fixtures.GOOGLE).clock(clock)
        .keySource(JwtKeySource.jwksUrl(Providers.GOOGLE_JWKS_URL, fetcher)).build();

    for (int i = 0; i < 50; i++) {
      long now = now(clock);
      String token = JwtSchemeTest.rs256(JwtSchemeTest.googleHeader(), JwtSchemeTest.googleClaims(
          "https://accounts.google.com", "\"" + Fixtures.GOOGLE_AUDIENCE + "\"", Fixtures.GOOGLE_EMAIL, "true", now, now + 3600));
      assertThat(verifier.verify(WebhookRequest.builder().header("Authorization", "Bearer " + token)
          .body(JwtSchemeTest.BODY).build()).isVerified()).isTrue();
    }
    assertThat(fetched).containsExactly(java.net.URI.create("https://www.googleapis.com/oauth2/v3/certs"));
  }

  @Test
  void aJwksUrlMustBePlainHttps() {
    for (String url : List.of("http://www.googleapis.com/oauth2/v3/certs", "https://www.googleapis.com:8443/oauth2/v3/certs",
        "https://user@www.googleapis.com/oauth2/v3/certs", "https://www.googleapis.com/oauth2/v3/certs?x=1",
        "https://www.googleapis.com/oauth2/v3/certs#k", "not a url", "https:///certs")) {
      assertThatThrownBy(() -> JwtKeySource.jwksUrl(url, (u, max) -> new byte[0])).as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(JwtKeySource.google()).hasToString("JwtKeySource[" + Providers.GOOGLE_JWKS_URL + "]");
  }

  @Test
  void aFetchedSetIsRefreshedAfterItsAgeAndARetiredKeyStopsVerifying() throws Exception {
    TestClock clock = new TestClock();
    AtomicReference<String> set = new AtomicReference<>(googleJwks());
    AtomicInteger fetches = new AtomicInteger();
    WebhookVerifier verifier = WebhookVerifier.builder(Fixtures.GOOGLE).clock(clock)
        .keySource(kid -> {
          fetches.incrementAndGet();
          return set.get();
        }).build();
    java.util.function.Supplier<Boolean> verifies = () -> {
      long now = now(clock);
      String token = JwtSchemeTest.rs256(JwtSchemeTest.googleHeader(), JwtSchemeTest.googleClaims(
          "https://accounts.google.com", "\"" + Fixtures.GOOGLE_AUDIENCE + "\"", Fixtures.GOOGLE_EMAIL, "true", now, now + 3600));
      return verifier.verify(WebhookRequest.builder().header("Authorization", "Bearer " + token)
          .body(JwtSchemeTest.BODY).build()).isVerified();
    };
    assertThat(verifies.get()).isTrue();

    set.set("{\"keys\":[]}"); // Google retired the key
    clock.advance(Duration.ofMinutes(59));
    assertThat(verifies.get()).as("the cached set serves for its age").isTrue();
    assertThat(fetches).hasValue(1);
    clock.advance(Duration.ofMinutes(2));
    assertThat(verifies.get()).as("refreshed: the retired key is gone").isFalse();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aPlaidKeyPastItsExpiredAtIsNotUsed() throws Exception {
    long expiredAt = Fixtures.NOW.minusSeconds(1).getEpochSecond();
    String jwk = plaidJwk(Fixtures.PLAID_KID).replace("}", ",\"expired_at\":" + expiredAt + ",\"created_at\":1560466143}");
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).publicKey(jwk).clock(Fixtures.CLOCK).build();

    VerificationResult result = verifier.verify(plaidRequest(plaidToken(Fixtures.NOW.getEpochSecond())));
    assertThat(((Rejection) result).reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);

    String current = plaidJwk(Fixtures.PLAID_KID).replace("}", ",\"expired_at\":null}");
    assertThat(WebhookVerifier.builder(Providers.PLAID).publicKey(current).clock(Fixtures.CLOCK).build()
        .verify(plaidRequest(plaidToken(Fixtures.NOW.getEpochSecond()))).isVerified()).isTrue();
  }

  @Test
  void aSourceAnsweringGarbageIsAFailedFetchNotAnException() {
    TestClock clock = new TestClock();
    for (String garbage : List.of("", "null", "[]", "{\"keys\":7}", "{\"key\":{\"kid\":\"x\"}}", "{".repeat(1000))) {
      WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).clock(clock).keySource(kid -> garbage).build();
      assertThat(((Rejection) verifier.verify(plaidRequest(plaidToken(now(clock))))).reason()).as(garbage)
          .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    WebhookVerifier nulls = WebhookVerifier.builder(Providers.PLAID).clock(clock).keySource(kid -> null).build();
    assertThat(nulls.verify(plaidRequest(plaidToken(now(clock)))).isVerified()).isFalse();
  }

  @Test
  void theTimeStampOfAVerifiedTokenIsItsIat() {
    Instant iat = Fixtures.NOW.minusSeconds(30);
    assertThat(JwtSchemeTest.plaid(plaidToken(iat.getEpochSecond())).orElseThrow().timestamp()).contains(iat);
  }
}
