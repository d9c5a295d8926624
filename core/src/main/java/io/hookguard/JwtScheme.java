package io.hookguard;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.hookguard.internal.Sha256;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A signed JWT in a header (RFC 7515 compact JWS, RFC 7519 claims): Plaid's
 * {@code Plaid-Verification}, Google-issued ID tokens in {@code Authorization: Bearer}. Described
 * with {@link JwtSchemeBuilder}.
 *
 * <p>Order of checks: the token's form (three canonical base64url parts, bounded), its header
 * ({@code alg} exactly the scheme's, no {@code crit}, a {@code kid}), the key of that id, the
 * signature; only then the claims (issuer, audience, email, times) and, where the scheme has
 * one, the body hash claim against the SHA-256 of the exact body. Without a body hash claim the
 * token proves who sent the request, not what was sent.
 */
final class JwtScheme extends WebhookScheme {
  private static final String BEARER = "Bearer ";

  private final String header;
  private final boolean bearer;
  private final JwtAlgorithm algorithm;
  private final List<String> issuers;
  private final @Nullable String audience;
  private final @Nullable String email;
  private final @Nullable String bodyHashClaim;
  private final boolean requireExpiry;
  private final Duration leeway;
  private final EventFields fields;
  /** The fields new on every attempt, cut from the fingerprint; null without any. */
  private final @Nullable JsonFields perAttempt;

  JwtScheme(JwtSchemeBuilder b) {
    super(b.id, b.maxAge);
    this.header = b.header;
    this.bearer = b.bearer;
    this.algorithm = b.algorithm;
    this.issuers = List.copyOf(b.issuers);
    this.audience = b.audience;
    this.email = b.email;
    this.bodyHashClaim = b.bodyHashClaim;
    this.requireExpiry = b.requireExpiry;
    this.leeway = b.leeway;
    this.fields = b.eventFields();
    this.perAttempt = b.perAttempt.isEmpty() ? null : new JsonFields(b.perAttempt);
  }

  @Override
  public byte[] fingerprintContent(WebhookRequest request) {
    return perAttempt == null ? request.body() : perAttempt.without(request.body());
  }

  @Override
  public boolean hasTimestamp() {
    return true;
  }

  /** The id comes from the body: signed exactly when the body is (through its hash claim). */
  @Override
  public boolean signsEventId() {
    return bodyHashClaim != null && !fields.idSources().isEmpty();
  }

  @Override
  public boolean usesPublicKeys() {
    return true;
  }

  /** Whether the token covers the body (Plaid) or only proves the sender (Google ID tokens). */
  boolean signsBody() {
    return bodyHashClaim != null;
  }

  JwtAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  @Nullable Duration defaultLeeway() {
    return leeway;
  }

  @Override
  EventFields eventFields() {
    return fields;
  }

  @Override
  Keys.VerificationKey publicKey(String publicKey) {
    return JwtKeys.fixed(JwtKeys.parseConfigured(publicKey, algorithm));
  }

  /** {@code <kid>:<PEM or base64 PKCS#8 DER>}: the key id goes into the tokens' header. */
  @Override
  Keys.SigningKey privateKey(String privateKey) {
    String text = privateKey.strip();
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(id() + " private key must be <kid>:<PEM or base64 PKCS#8>");
    }
    String kid = text.substring(0, colon);
    byte[] der = JwtKeys.pemOrBase64(text.substring(colon + 1), "private key");
    try {
      PrivateKey key = KeyFactory.getInstance(algorithm.keyAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
      return new TokenSigner(kid, key);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(id() + " private key is not a valid PKCS#8 "
          + algorithm.keyAlgorithm() + " key");
    }
  }

  @Override
  VerificationResult doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    String value = requiredHeader(request, header);
    String token = value;
    if (bearer) {
      // Auth-scheme names are case-insensitive (RFC 9110 section 11.1).
      if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        throw new Reject(RejectionReason.MALFORMED_HEADER, header + " is not a Bearer token");
      }
      token = value.substring(BEARER.length());
    }
    Jwt.Compact compact = Jwt.parseCompact(token);
    if (compact == null) {
      throw new Reject(RejectionReason.MALFORMED_HEADER, header + " is not a compact JWT of at most "
          + Jwt.MAX_TOKEN_LENGTH + " characters: three unpadded base64url parts");
    }
    Map<String, Object> joseHeader = json(compact.header(), "header");
    Object alg = joseHeader.get("alg");
    if (!algorithm.name().equals(alg)) {
      // "none", HS256 and the other asymmetric algorithm alike: only the scheme's is ever tried.
      throw new Reject(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION, "the token's alg is "
          + (alg instanceof String text ? shorten(text) : "not a string") + "; only " + algorithm + " is accepted");
    }
    if (joseHeader.containsKey("crit")) {
      throw new Reject(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION,
          "the token has critical header parameters (crit), which this verifier does not process");
    }
    if (!(joseHeader.get("kid") instanceof String kid) || kid.isEmpty()) {
      throw new Reject(RejectionReason.MALFORMED_HEADER, "the token's header has no kid");
    }
    Instant now = window.clock().instant();
    // Every configured set is asked for the kid (rotation: an old and a new set may share ids);
    // any current key of the scheme's algorithm whose signature matches will do.
    boolean known = false;
    boolean match = false;
    for (Keys.VerificationKey candidate : keys) {
      JwtKeys.JwtKey key = candidate instanceof JwtKeys jwtKeys ? jwtKeys.find(kid) : null;
      if (key == null || key.algorithm() != algorithm
          || (key.expiredAt() != null && !now.isBefore(key.expiredAt()))) {
        continue;
      }
      known = true;
      if (signatureMatches(key, compact)) {
        match = true;
        break;
      }
    }
    if (!known) {
      for (Keys.VerificationKey candidate : keys) {
        Duration retryAfter = candidate instanceof JwtKeys jwtKeys ? jwtKeys.retryAfter() : null;
        if (retryAfter != null) {
          // The key server could not be reached: not the sender's fault, and a retry may pass.
          throw new Reject(RejectionReason.KEY_UNAVAILABLE, "the keys for the token's kid cannot be fetched now",
              retryAfter);
        }
      }
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, "no current key has the token's kid " + shorten(kid));
    }
    if (!match) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
          "the token's signature does not match the key " + shorten(kid));
    }
    Map<String, Object> claims = json(compact.payload(), "claims set");
    checkClaims(claims);
    Instant issuedAt = checkTimes(claims, window, now);
    if (bodyHashClaim != null) {
      checkBodyHash(claims, request.body());
    }
    return new VerifiedWebhook(id(), issuedAt, () -> {
      EventFields.Values values = fields.read(request);
      return new String[] {values.id(), values.type()};
    });
  }

  private boolean signatureMatches(JwtKeys.JwtKey key, Jwt.Compact compact) {
    byte[] signature = compact.signature();
    if (algorithm == JwtAlgorithm.ES256) {
      // Exactly R || S, 32 bytes each; a zero half is never a valid signature (CVE-2022-21449).
      if (signature.length != 64 || isZero(signature, 0) || isZero(signature, 32)) {
        return false;
      }
    } else if (signature.length != (((RSAPublicKey) key.key()).getModulus().bitLength() + 7) / 8) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(algorithm.jcaName());
      verifier.initVerify(key.key());
      verifier.update(compact.signingInput());
      return verifier.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot verify " + algorithm, e);
    }
  }

  private static boolean isZero(byte[] bytes, int from) {
    int bits = 0;
    for (int i = from; i < from + 32; i++) {
      bits |= bytes[i];
    }
    return bits == 0;
  }

  private void checkClaims(Map<String, Object> claims) {
    if (!issuers.isEmpty() && !(claims.get("iss") instanceof String iss && issuers.contains(iss))) {
      throw new Reject(RejectionReason.TOKEN_CLAIMS_REJECTED, "the token's issuer is not " + String.join(" or ", issuers));
    }
    if (audience != null && !containsAudience(claims.get("aud"))) {
      throw new Reject(RejectionReason.TOKEN_CLAIMS_REJECTED, "the token's audience does not include this endpoint's");
    }
    if (email != null && !(email.equals(claims.get("email")) && Boolean.TRUE.equals(claims.get("email_verified")))) {
      throw new Reject(RejectionReason.TOKEN_CLAIMS_REJECTED,
          "the token is not for the configured service account with a verified email");
    }
  }

  private boolean containsAudience(@Nullable Object aud) {
    if (aud instanceof String text) {
      return text.equals(audience);
    }
    if (aud instanceof List<?> list) {
      return list.contains(audience);
    }
    return false;
  }

  /** {@code iat} in the window; {@code exp} and {@code nbf} with the leeway; returns {@code iat}. */
  private Instant checkTimes(Map<String, Object> claims, Window window, Instant now) {
    Instant issuedAt = numericDate(claims, "iat");
    if (issuedAt == null) {
      throw new Reject(RejectionReason.MALFORMED_TIMESTAMP, "the token has no iat claim");
    }
    window.check(issuedAt);
    Duration slack = window.future() != null ? window.future() : leeway;
    Instant expiresAt = numericDate(claims, "exp");
    if (expiresAt == null && requireExpiry) {
      throw new Reject(RejectionReason.MALFORMED_TIMESTAMP, "the token has no exp claim");
    }
    if (expiresAt != null && Window.longerThan(expiresAt, now, slack)) {
      throw new Reject(RejectionReason.TIMESTAMP_TOO_OLD, "the token expired");
    }
    Instant notBefore = numericDate(claims, "nbf");
    if (notBefore != null && Window.longerThan(now, notBefore, slack)) {
      throw new Reject(RejectionReason.TIMESTAMP_TOO_NEW, "the token is not valid yet (nbf)");
    }
    return issuedAt;
  }

  /** An integer NumericDate within Instant's range; absent is null; anything else is malformed. */
  private static @Nullable Instant numericDate(Map<String, Object> claims, String name) {
    Object value = claims.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof Long seconds && seconds >= 0 && seconds <= Instant.MAX.getEpochSecond()) {
      return Instant.ofEpochSecond(seconds);
    }
    throw new Reject(RejectionReason.MALFORMED_TIMESTAMP, "the token's " + name + " is not a whole number of seconds");
  }

  private void checkBodyHash(Map<String, Object> claims, byte[] body) {
    Object claimed = claims.get(bodyHashClaim);
    byte[] hash = claimed instanceof String text && text.length() == 64 ? Codec.decodeHex(text) : null;
    if (hash == null) {
      throw new Reject(RejectionReason.MALFORMED_HEADER,
          "the token's " + bodyHashClaim + " claim is not 64 lower-case hex digits");
    }
    if (!MessageDigest.isEqual(hash, Sha256.digest(body))) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
          "the body is not the one the token signed (" + bodyHashClaim + ")");
    }
  }

  private static Map<String, Object> json(byte[] bytes, String what) {
    try {
      return Jwt.parseObject(bytes);
    } catch (IOException e) {
      throw new Reject(RejectionReason.MALFORMED_HEADER, "the token's " + what
          + " is not one JSON object without repeated members");
    }
  }

  /** Token text in a detail: bounded, printable ASCII only. */
  private static String shorten(String text) {
    String cut = text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return cut.replaceAll("[^\\x20-\\x7e…]", "?");
  }

  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    if (!(key instanceof TokenSigner signer)) {
      throw new IllegalArgumentException(id() + " tokens are signed with a private key");
    }
    Map<String, Object> joseHeader = new LinkedHashMap<>();
    joseHeader.put("alg", algorithm.name());
    joseHeader.put("kid", signer.kid);
    joseHeader.put("typ", "JWT");
    Map<String, Object> claims = new LinkedHashMap<>();
    if (!issuers.isEmpty()) {
      claims.put("iss", issuers.get(0));
    }
    if (audience != null) {
      claims.put("aud", audience);
    }
    if (email != null) {
      claims.put("email", email);
      claims.put("email_verified", Boolean.TRUE);
    }
    claims.put("iat", now.getEpochSecond());
    if (requireExpiry) {
      claims.put("exp", now.getEpochSecond() + 3600);
    }
    if (bodyHashClaim != null) {
      claims.put(bodyHashClaim, Sha256.hex(request.body()));
    }
    String input = Jwt.encodeBase64Url(Jwt.writeObject(joseHeader).getBytes(UTF_8)) + "."
        + Jwt.encodeBase64Url(Jwt.writeObject(claims).getBytes(UTF_8));
    byte[] inputBytes = input.getBytes(US_ASCII);
    String token = input + "." + Jwt.encodeBase64Url(signer.sign(sink -> sink.update(inputBytes, 0, inputBytes.length)));
    return request.toBuilder().setHeader(header, bearer ? BEARER + token : token).build();
  }

  /** A private key with the kid its tokens name. */
  private final class TokenSigner implements Keys.SigningKey {
    private final String kid;
    private final Keys.PrivateSignatureKey key;

    TokenSigner(String kid, PrivateKey key) {
      this.kid = kid;
      this.key = new Keys.PrivateSignatureKey("", algorithm.jcaName(), key);
    }

    @Override
    public String version() {
      return "";
    }

    @Override
    public byte[] sign(SignedContent content) {
      return key.sign(content);
    }

    @Override
    public String toString() {
      return "JwtSigningKey[" + kid + ", ****]";
    }
  }
}
