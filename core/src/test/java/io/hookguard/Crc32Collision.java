package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

/** Makes a body with a chosen prefix and a given body's CRC32 (four trailing bytes): why CRC32 proves nothing. */
final class Crc32Collision {
  private static final int[] TABLE = new int[256];
  private static final int[] BY_TOP_BYTE = new int[256];

  static {
    for (int n = 0; n < 256; n++) {
      int c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      TABLE[n] = c;
      BY_TOP_BYTE[c >>> 24] = n;
    }
  }

  private Crc32Collision() {}

  static byte[] sameCrcWithSuffix(byte[] original, String prefix) {
    byte[] start = prefix.getBytes(UTF_8);
    int register = ~(int) PayPalScheme.crc32(start);
    int target = ~(int) PayPalScheme.crc32(original);
    int[] indexes = new int[4];
    for (int i = 3; i >= 0; i--) {
      indexes[i] = BY_TOP_BYTE[target >>> 24];
      target = (target ^ TABLE[indexes[i]]) << 8;
    }
    byte[] forged = Arrays.copyOf(start, start.length + 4);
    for (int i = 0; i < 4; i++) {
      forged[start.length + i] = (byte) (register ^ indexes[i]);
      register = (register >>> 8) ^ TABLE[indexes[i]];
    }
    return forged;
  }
}
