package io.hookguard.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of whole byte arrays, for the body fingerprint, the dedup key parts and token digests.
 * Clones one prototype instead of a {@link MessageDigest#getInstance} provider lookup per call:
 * this runs once or twice on every delivery.
 */
public final class Sha256 {
  private static final MessageDigest PROTOTYPE;
  private static final HexFormat HEX = HexFormat.of();

  static {
    try {
      PROTOTYPE = MessageDigest.getInstance("SHA-256");
      PROTOTYPE.clone();
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Sha256() {}

  /**
   * @param bytes the input
   * @return its 32-byte SHA-256 digest
   */
  public static byte[] digest(byte[] bytes) {
    try {
      return ((MessageDigest) PROTOTYPE.clone()).digest(bytes);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("checked when the class loaded", e);
    }
  }

  /**
   * @param bytes the input
   * @return its SHA-256 digest in lower-case hex (64 characters)
   */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(digest(bytes));
  }
}
