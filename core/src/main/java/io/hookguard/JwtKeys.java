package io.hookguard;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The keys of a JWT scheme by key id: a fixed set from configuration, or a {@link JwtKeySource}
 * behind a cache. Not a signature checker itself ({@link #verify} is never true): the scheme looks
 * the token's {@code kid} up with {@link #find}.
 */
final class JwtKeys extends Keys.VerificationKey {
  /** The least time between two fetches for unknown key ids, whatever the ids. */
  static final Duration REFETCH_INTERVAL = Duration.ofMinutes(1);
  /** How long a fetched set is used before it is fetched again (on use, never in the background). */
  static final Duration REFRESH_AGE = Duration.ofHours(1);

  /** One verification key: what it is for, and until when (Plaid's {@code expired_at}). */
  record JwtKey(String kid, JwtAlgorithm algorithm, PublicKey key, @Nullable Instant expiredAt) {
    @Override
    public String toString() {
      return "JwtKey[" + kid + ", " + algorithm + "]";
    }
  }

  private final @Nullable JwtKeySource source;
  private final Clock clock;
  private final ReentrantLock fetching = new ReentrantLock();
  private volatile Map<String, JwtKey> keys;
  private volatile @Nullable Instant refreshedAt;
  private volatile @Nullable Instant lastFetch; // written only while holding fetching
  /** Whether the last fetch failed for a reason that may pass (not a definite "no such keys"). */
  private volatile boolean unavailable;

  private JwtKeys(Map<String, JwtKey> keys, @Nullable JwtKeySource source, Clock clock) {
    super("");
    this.keys = Map.copyOf(keys);
    this.source = source;
    this.clock = clock;
  }

  /** Keys given as configuration; never fetched. */
  static JwtKeys fixed(Map<String, JwtKey> keys) {
    return new JwtKeys(keys, null, Clock.systemUTC());
  }

  /** Keys fetched from a source, cached, against the verifier's clock. */
  static JwtKeys fetched(JwtKeySource source, Clock clock) {
    return new JwtKeys(Map.of(), source, clock);
  }

  @Override
  boolean verify(SignedContent content, List<byte[]> signatures) {
    return false;
  }

  /**
   * The key of that id, fetching at most once per {@link #REFETCH_INTERVAL} when it is unknown
   * or the cached set is older than {@link #REFRESH_AGE}; null when there is none.
   */
  @Nullable JwtKey find(String kid) {
    JwtKey key = keys.get(kid);
    if (source == null) {
      return key;
    }
    Instant now = clock.instant();
    Instant refreshed = refreshedAt;
    boolean stale = refreshed == null || now.isAfter(refreshed.plus(REFRESH_AGE));
    if (key != null && !stale) {
      return key;
    }
    if (key != null) {
      // Known but old: one thread refreshes, the others go on with the key they have.
      if (fetching.tryLock()) {
        try {
          fetchIfDue(kid, now);
        } finally {
          fetching.unlock();
        }
      }
      return keys.get(kid); // null when the refreshed set no longer has it: a retired key
    }
    fetching.lock();
    try {
      key = keys.get(kid);
      if (key == null) {
        fetchIfDue(kid, now);
        key = keys.get(kid);
      }
      return key;
    } finally {
      fetching.unlock();
    }
  }

  private void fetchIfDue(String kid, Instant now) {
    if (lastFetch != null && now.isBefore(lastFetch.plus(REFETCH_INTERVAL))) {
      return;
    }
    lastFetch = now;
    String document;
    try {
      document = source.fetch(kid);
    } catch (java.io.FileNotFoundException e) {
      unavailable = false; // a definite answer: there are no such keys
      return;
    } catch (IOException e) {
      unavailable = true; // down or slow: the sender may retry
      return;
    } catch (RuntimeException e) {
      unavailable = false; // the source failed; verification never throws for it
      return;
    }
    // Whatever the source answered, it answered: a document it cannot use is no key (401), not
    // an outage. The cached keys are kept.
    unavailable = false;
    try {
      Map<String, Object> json = Jwt.parseObject(document == null ? "" : document);
      if (json.get("keys") instanceof List) {
        keys = Map.copyOf(parseSet(json));
      } else {
        Object member = json.get("key");
        JwtKey key = parseKey(member instanceof Map<?, ?> inner ? cast(inner) : json);
        Map<String, JwtKey> merged = new HashMap<>(keys);
        merged.put(key.kid(), key);
        keys = Map.copyOf(merged);
      }
      refreshedAt = now;
    } catch (IOException | RuntimeException e) {
      // Unusable: keep what is cached; ask again after the interval.
    }
  }

  /**
   * When the source could not be reached at its last fetch: how long until it is asked again (at
   * least a second); null when it answered, or for configured keys.
   */
  @Nullable Duration retryAfter() {
    if (source == null || !unavailable) {
      return null;
    }
    Instant last = lastFetch;
    Duration left = last == null ? Duration.ZERO : Duration.between(clock.instant(), last.plus(REFETCH_INTERVAL));
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  // ---- Parsing keys: JWK (RFC 7517/7518) and "kid:PEM" text ----

  /**
   * Parses configured key text: a JWK set, one JWK, Plaid's {@code {"key": JWK}} answer, or
   * {@code <kid>:<PEM or base64 X.509 DER>}. Messages name the problem, never the key.
   */
  static Map<String, JwtKey> parseConfigured(String text, JwtAlgorithm algorithm) {
    String stripped = text.strip();
    Map<String, JwtKey> keys;
    if (stripped.startsWith("{")) {
      Map<String, Object> json;
      try {
        json = Jwt.parseObject(stripped);
      } catch (IOException e) {
        throw new IllegalArgumentException("public key is not a JWK or JWK set: " + e.getMessage());
      }
      if (json.get("keys") instanceof List) {
        keys = parseSet(json);
      } else {
        JwtKey key = parseKey(json.get("key") instanceof Map<?, ?> inner ? cast(inner) : json);
        keys = Map.of(key.kid(), key);
      }
    } else {
      int colon = stripped.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("public key must be a JWK, a JWK set, or <kid>:<PEM>");
      }
      String kid = stripped.substring(0, colon);
      byte[] der = pemOrBase64(stripped.substring(colon + 1), "public key");
      PublicKey key;
      try {
        key = KeyFactory.getInstance(algorithm.keyAlgorithm()).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("public key is not a valid " + algorithm.keyAlgorithm() + " X.509 key");
      }
      keys = Map.of(kid, checked(new JwtKey(kid, algorithm, key, null)));
    }
    for (JwtKey key : keys.values()) {
      if (key.algorithm() != algorithm) {
        throw new IllegalArgumentException("key " + key.kid() + " is a " + key.algorithm()
            + " key; this scheme's tokens are " + algorithm);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the JWK set holds no " + algorithm + " signature key");
    }
    return keys;
  }

  /** Base64 DER, with or without PEM armour. */
  static byte[] pemOrBase64(String text, String what) {
    String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    return PublicKeyEncoding.base64(body, what);
  }

  /** The signature keys of a set; keys of other types or uses (encryption) are skipped. */
  private static Map<String, JwtKey> parseSet(Map<String, Object> set) {
    Map<String, JwtKey> keys = new HashMap<>();
    for (Object entry : (List<?>) set.get("keys")) {
      if (!(entry instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("a JWK set's keys must be objects");
      }
      Map<String, Object> jwk = cast(map);
      Object kty = jwk.get("kty");
      if (!"EC".equals(kty) && !"RSA".equals(kty) || (jwk.containsKey("use") && !"sig".equals(jwk.get("use")))) {
        continue;
      }
      JwtKey key = parseKey(jwk);
      if (keys.putIfAbsent(key.kid(), key) != null) {
        // Which of two keys of one id is meant cannot be told: refuse the set.
        throw new IllegalArgumentException("the JWK set has two keys of kid " + key.kid());
      }
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** One public JWK: EC P-256 ({@code ES256}) or RSA of 2048 bits or more ({@code RS256}). */
  static JwtKey parseKey(Map<String, Object> jwk) {
    if (!(jwk.get("kid") instanceof String kid) || kid.isEmpty()) {
      throw new IllegalArgumentException("a JWK needs a kid");
    }
    if (jwk.containsKey("d") || jwk.containsKey("p")) {
      throw new IllegalArgumentException("JWK " + kid + " is a private key: configure the public key only");
    }
    if (jwk.containsKey("use") && !"sig".equals(jwk.get("use"))) {
      throw new IllegalArgumentException("JWK " + kid + " is not a signature key");
    }
    Object kty = jwk.get("kty");
    JwtAlgorithm algorithm;
    PublicKey key;
    try {
      if ("EC".equals(kty)) {
        algorithm = JwtAlgorithm.ES256;
        if (!"P-256".equals(jwk.get("crv"))) {
          throw new IllegalArgumentException("JWK " + kid + " is not on P-256");
        }
        byte[] x = coordinate(jwk, "x", kid);
        byte[] y = coordinate(jwk, "y", kid);
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
        key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
            new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), p256));
      } else if ("RSA".equals(kty)) {
        algorithm = JwtAlgorithm.RS256;
        key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
            new BigInteger(1, member(jwk, "n", kid)), new BigInteger(1, member(jwk, "e", kid))));
      } else {
        throw new IllegalArgumentException("JWK " + kid + " is neither EC nor RSA");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("JWK " + kid + " is not a valid public key");
    }
    if (jwk.containsKey("alg") && !algorithm.name().equals(jwk.get("alg"))) {
      throw new IllegalArgumentException("JWK " + kid + " names alg " + jwk.get("alg") + " for a "
          + kty + " key; only " + algorithm + " is accepted for it");
    }
    Instant expiredAt = jwk.get("expired_at") instanceof Long seconds ? Instant.ofEpochSecond(seconds) : null;
    return checked(new JwtKey(kid, algorithm, key, expiredAt));
  }

  private static JwtKey checked(JwtKey key) {
    if (key.key() instanceof RSAPublicKey && !Keys.isRsaOf2048BitsOrMore(key.key())) {
      throw new IllegalArgumentException("RSA key " + key.kid() + " is shorter than 2048 bits");
    }
    return key;
  }

  private static byte[] member(Map<String, Object> jwk, String name, String kid) {
    byte[] bytes = jwk.get(name) instanceof String text ? Jwt.decodeBase64Url(text) : null;
    if (bytes == null) {
      throw new IllegalArgumentException("JWK " + kid + " has no base64url " + name);
    }
    return bytes;
  }

  private static byte[] coordinate(Map<String, Object> jwk, String name, String kid) {
    byte[] bytes = member(jwk, name, kid);
    if (bytes.length != 32) {
      // RFC 7518 section 6.2.1.2: the full coordinate size, 32 bytes for P-256.
      throw new IllegalArgumentException("JWK " + kid + " has a " + name + " of " + bytes.length + " bytes, not 32");
    }
    return bytes;
  }
}
