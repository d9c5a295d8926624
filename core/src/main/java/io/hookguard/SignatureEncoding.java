package io.hookguard;

import org.jspecify.annotations.Nullable;

/** How a signature is written as text in a header or field. */
public enum SignatureEncoding {
  /** Lower-case hexadecimal, as GitHub, Stripe and Slack send it. Upper case does not match. */
  HEX {
    @Override
    byte @Nullable [] decode(String text, int start, int end) {
      return Codec.decodeHex(text, start, end);
    }

    @Override
    String encode(byte[] signature) {
      return Codec.encodeHex(signature);
    }
  },
  /** Standard base64 with padding, as Shopify, Twilio and Standard Webhooks send it. */
  BASE64 {
    @Override
    byte @Nullable [] decode(String text, int start, int end) {
      return Codec.decodeBase64(text, start, end);
    }

    @Override
    String encode(byte[] signature) {
      return Codec.encodeBase64(signature);
    }
  };

  /**
   * Decodes the canonical text in {@code text[start, end)}; {@code null} for anything else, so
   * that it matches nothing.
   */
  abstract byte @Nullable [] decode(String text, int start, int end);

  abstract String encode(byte[] signature);
}
