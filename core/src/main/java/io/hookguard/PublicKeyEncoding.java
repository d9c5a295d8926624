package io.hookguard;

import java.util.Base64;
import java.util.HexFormat;

/**
 * How a sender writes the Ed25519 public key it hands out (and the private key that signs, for
 * {@link WebhookSigner}); see {@link SchemeBuilder#ed25519PublicKeys(PublicKeyEncoding)}.
 * Surrounding whitespace is ignored. Malformed keys fail when the verifier or signer is built,
 * with a message that never contains the key.
 */
public enum PublicKeyEncoding {
  /**
   * Hexadecimal (either case) of the raw 32-byte public key, as Discord shows it. Private keys:
   * hexadecimal of the 32-byte seed or of the 64-byte seed-and-public-key form libsodium writes.
   */
  HEX {
    @Override
    byte[] decode(String key, boolean isPublic) {
      try {
        return HexFormat.of().parseHex(key.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what(isPublic) + " is not valid hexadecimal");
      }
    }

    @Override
    boolean acceptsSubjectPublicKeyInfo() {
      return false;
    }
  },
  /**
   * Standard base64 of the raw 32-byte public key or of its 44-byte X.509
   * SubjectPublicKeyInfo (what {@code PublicKey.getEncoded()} returns). Private keys: base64 of
   * the 32-byte seed or of the 64-byte libsodium form.
   */
  BASE64 {
    @Override
    byte[] decode(String key, boolean isPublic) {
      return base64(key, what(isPublic));
    }
  },
  /**
   * Standard Webhooks: {@link #BASE64} after an optional {@code whpk_} prefix ({@code whsk_} for
   * private keys). A {@code whsec_} secret, or a key of the other kind, is refused with a message
   * that says which one it is.
   */
  STANDARD_WEBHOOKS {
    @Override
    byte[] decode(String key, boolean isPublic) {
      String text = key.strip();
      if (text.startsWith("whsec_")) {
        throw new IllegalArgumentException(isPublic
            ? "public key is a whsec_ secret, not a whpk_ public key: configure it with secret()"
            : "private key is a whsec_ secret, not a whsk_ private key: sign with secret()");
      }
      if (isPublic && text.startsWith("whsk_")) {
        throw new IllegalArgumentException("public key is a whsk_ private key, which signs: verify"
            + " with its whpk_ public key");
      }
      if (!isPublic && text.startsWith("whpk_")) {
        throw new IllegalArgumentException("private key is a whpk_ public key, which only verifies:"
            + " sign with the whsk_ private key");
      }
      String prefix = isPublic ? "whpk_" : "whsk_";
      return base64(text.startsWith(prefix) ? text.substring(prefix.length()) : text, what(isPublic));
    }
  };

  /** Decodes key text (not yet stripped) to bytes; the message names the kind of key, not the key. */
  abstract byte[] decode(String key, boolean isPublic);

  /** Whether a public key may also be given as its X.509 SubjectPublicKeyInfo. */
  boolean acceptsSubjectPublicKeyInfo() {
    return true;
  }

  /** Standard base64, surrounding whitespace ignored. */
  static byte[] base64(String text, String what) {
    try {
      return Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64");
    }
  }

  private static String what(boolean isPublic) {
    return isPublic ? "public key" : "private key";
  }
}
