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
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
  private static final Base64.Encoder BASE64_ENCODER = Base64.getEncoder();
  private static final String BASE64_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private Codec() {}

  static byte @Nullable [] decodeHex(String text) {
    int length = text.length();
    if (length == 0 || (length & 1) != 0) {
      return null;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
    }
    return HEX.parseHex(text);
  }

  static String encodeHex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static byte @Nullable [] decodeBase64(String text) {
    int length = text.length();
    if (length == 0 || (length & 3) != 0) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = BASE64_DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int padding = text.charAt(length - 1) != '=' ? 0 : text.charAt(length - 2) == '=' ? 2 : 1;
    if (padding > 0) {
      int last = BASE64_ALPHABET.indexOf(text.charAt(length - 1 - padding));
      int unusedBitsMask = padding == 2 ? 0x0F : 0x03;
      if (last < 0 || (last & unusedBitsMask) != 0) {
        return null;
      }
    }
    return decoded;
  }

  static String encodeBase64(byte[] bytes) {
    return BASE64_ENCODER.encodeToString(bytes);
  }
}
