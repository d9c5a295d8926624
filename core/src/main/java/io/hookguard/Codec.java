package io.hookguard;

import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Strict decoders for received signatures. Strict means one accepted spelling per byte string
 * (lower-case hex; padded base64 with zero unused bits), so that flipping any bit of a received
 * signature can never leave it valid.
 */
final class Codec {
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder BASE64_ENCODER = Base64.getEncoder();
  private static final String BASE64_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private Codec() {}

  static byte @Nullable [] decodeHex(String text) {
    return decodeHex(text, 0, text.length());
  }

  /** Decodes {@code text[start, end)}: a signature inside a header value, without cutting it out first. */
  static byte @Nullable [] decodeHex(String text, int start, int end) {
    int length = end - start;
    if (length == 0 || (length & 1) != 0) {
      return null;
    }
    // One pass over a table: this runs on every delivery, and HexFormat would validate through
    // exceptions and copy the range out first.
    byte[] bytes = new byte[length / 2];
    for (int i = 0, at = start; i < bytes.length; i++, at += 2) {
      int high = hexValue(text.charAt(at));
      int low = hexValue(text.charAt(at + 1));
      if ((high | low) < 0) {
        return null;
      }
      bytes[i] = (byte) (high << 4 | low);
    }
    return bytes;
  }

  /** The value of a lower-case hex digit; -1 for any other char. */
  private static int hexValue(char c) {
    return c < HEX_VALUES.length ? HEX_VALUES[c] : -1;
  }

  private static final byte[] HEX_VALUES = new byte['f' + 1];

  static {
    java.util.Arrays.fill(HEX_VALUES, (byte) -1);
    for (char c = '0'; c <= '9'; c++) {
      HEX_VALUES[c] = (byte) (c - '0');
    }
    for (char c = 'a'; c <= 'f'; c++) {
      HEX_VALUES[c] = (byte) (c - 'a' + 10);
    }
  }

  static String encodeHex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static byte @Nullable [] decodeBase64(String text) {
    return decodeBase64(text, 0, text.length());
  }

  /** Decodes {@code text[start, end)}: a signature inside a header value, without cutting it out first. */
  static byte @Nullable [] decodeBase64(String text, int start, int end) {
    int length = end - start;
    if (length == 0 || (length & 3) != 0) {
      return null;
    }
    // One pass over a table, checking canonical form as it goes: java.util.Base64 would need the
    // range copied out as bytes, and does not tell canonical padding from lax.
    char[] chars = new char[length];
    text.getChars(start, end, chars, 0); // array reads below, not charAt's checks per char
    int padding = chars[length - 1] != '=' ? 0 : chars[length - 2] == '=' ? 2 : 1;
    byte[] bytes = new byte[length / 4 * 3 - padding];
    int out = 0;
    int lastQuad = length - 4;
    for (int at = 0; at < lastQuad; at += 4) {
      int quad = quad(base64Value(chars[at]), base64Value(chars[at + 1]),
          base64Value(chars[at + 2]), base64Value(chars[at + 3]));
      if (quad < 0) {
        return null;
      }
      bytes[out++] = (byte) (quad >> 16);
      bytes[out++] = (byte) (quad >> 8);
      bytes[out++] = (byte) quad;
    }
    int first = base64Value(chars[lastQuad]);
    int second = base64Value(chars[lastQuad + 1]);
    int third = padding == 2 ? 0 : base64Value(chars[lastQuad + 2]);
    int fourth = padding >= 1 ? 0 : base64Value(chars[lastQuad + 3]);
    int quad = quad(first, second, third, fourth);
    // Padded input must leave the bits it does not use at zero, else two texts decode alike.
    if (quad < 0 || (padding == 2 && (second & 0x0F) != 0) || (padding == 1 && (third & 0x03) != 0)) {
      return null;
    }
    bytes[out++] = (byte) (quad >> 16);
    if (padding < 2) {
      bytes[out++] = (byte) (quad >> 8);
    }
    if (padding < 1) {
      bytes[out] = (byte) quad;
    }
    return bytes;
  }

  /** Four 6-bit values as 24 bits; negative when any is not a base64 digit. */
  private static int quad(int a, int b, int c, int d) {
    return (a | b | c | d) < 0 ? -1 : a << 18 | b << 12 | c << 6 | d;
  }

  /** The value of a standard-alphabet base64 digit; -1 for any other char, '=' included. */
  private static int base64Value(char c) {
    return c < BASE64_VALUES.length ? BASE64_VALUES[c] : -1;
  }

  private static final byte[] BASE64_VALUES = new byte['z' + 1];

  static {
    java.util.Arrays.fill(BASE64_VALUES, (byte) -1);
    for (int i = 0; i < BASE64_ALPHABET.length(); i++) {
      BASE64_VALUES[BASE64_ALPHABET.charAt(i)] = (byte) i;
    }
  }

  static String encodeBase64(byte[] bytes) {
    return BASE64_ENCODER.encodeToString(bytes);
  }
}
