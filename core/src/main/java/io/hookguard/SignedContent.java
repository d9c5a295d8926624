package io.hookguard;

/** The exact bytes a sender signed, written into a MAC or signature without being assembled. */
@FunctionalInterface
interface SignedContent {
  void writeTo(ByteSink sink);
}
