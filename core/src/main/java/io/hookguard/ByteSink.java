package io.hookguard;

/** Receives the signed content piece by piece, so the body is never copied to be signed. */
@FunctionalInterface
interface ByteSink {
  void update(byte[] bytes, int offset, int length);

  default void update(byte[] bytes) {
    update(bytes, 0, bytes.length);
  }
}
