package io.hookguard;

import java.nio.charset.StandardCharsets;

/** Receives the signed content piece by piece, so the body is never copied to be signed. */
@FunctionalInterface
interface ByteSink {
  void update(byte[] bytes, int offset, int length);

  default void update(byte[] bytes) {
    update(bytes, 0, bytes.length);
  }

  /** Writes text as UTF-8, the encoding every sender signs its header values and URLs in. */
  default void update(String text) {
    update(text.getBytes(StandardCharsets.UTF_8));
  }
}
