package io.hookguard;

/**
 * The JWS algorithms a {@linkplain WebhookScheme#jwt(String) JWT scheme} verifies (RFC 7518).
 * A scheme accepts exactly one: a token naming any other ({@code none}, {@code HS256}, the other
 * one of these two) is refused before any key is looked up, and a key is only ever used for the
 * algorithm of its type, so a public key can never serve as an HMAC secret.
 */
public enum JwtAlgorithm {
  /** RSASSA-PKCS1-v1_5 with SHA-256 ({@code SHA256withRSA}); RSA keys of 2048 bits or more. */
  RS256("SHA256withRSA", "RSA"),
  /**
   * ECDSA on P-256 with SHA-256. The JOSE signature is the raw 64-byte {@code R || S} (RFC 7518
   * section 3.4), checked as exactly 64 bytes in the JDK's IEEE P1363 form; DER is refused.
   */
  ES256("SHA256withECDSAinP1363Format", "EC");

  private final String jcaName;
  private final String keyAlgorithm;

  JwtAlgorithm(String jcaName, String keyAlgorithm) {
    this.jcaName = jcaName;
    this.keyAlgorithm = keyAlgorithm;
  }

  String jcaName() {
    return jcaName;
  }

  String keyAlgorithm() {
    return keyAlgorithm;
  }
}
