package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;

/** How a configured shared secret turns into HMAC key bytes. */
public enum SecretEncoding {
  /** The secret's UTF-8 bytes, as most senders use it (Stripe: the whole {@code whsec_...} string). */
  UTF8 {
    @Override
    byte[] decode(String secret) {
      return secret.getBytes(UTF_8);
    }
  },
  /** Standard base64 of the key bytes. */
  BASE64 {
    @Override
    byte[] decode(String secret) {
      return base64(secret, "");
    }
  },
  /** Standard Webhooks and Svix: {@code whsec_} followed by base64 of the key; the prefix is optional. */
  STANDARD_WEBHOOKS {
    @Override
    byte[] decode(String secret) {
      String prefix = "whsec_";
      if (secret.startsWith("whpk_")) {
        throw new IllegalArgumentException("secret is a whpk_ public key, not a whsec_ secret:"
            + " a verifier takes it with publicKey()");
      }
      if (secret.startsWith("whsk_")) {
        throw new IllegalArgumentException("secret is a whsk_ private key, not a whsec_ secret:"
            + " sign with WebhookSigner.Builder.privateKey(), verify with its whpk_ public key"
            + " through publicKey()");
      }
      return secret.startsWith(prefix)
          ? base64(secret.substring(prefix.length()), " after the whsec_ prefix")
          : base64(secret, "");
    }
  },
  /** Hexadecimal key bytes, either case. */
  HEX {
    @Override
    byte[] decode(String secret) {
      try {
        return java.util.HexFormat.of().parseHex(secret);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("secret is not valid hexadecimal");
      }
    }
  };

  /**
   * Decodes the secret; throws {@link IllegalArgumentException} with a message that never
   * contains the secret.
   */
  abstract byte[] decode(String secret);

  private static byte[] base64(String text, String where) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("secret is not valid base64" + where);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("secret decodes to no bytes" + where);
    }
    return key;
  }
}
