package io.hookguard.benchmarks;

import io.hookguard.VerificationResult;
import io.hookguard.VerifiedWebhook;

/** Verification plus what dedup and routing need next: the event id and type. */
final class Fields {
  private Fields() {}

  /** @return whether the result is verified; its id and type are read either way a verified one is returned */
  static boolean read(VerificationResult result) {
    if (result instanceof VerifiedWebhook verified) {
      // Both must be computed; the length sum keeps the JIT from dropping either read.
      return verified.eventId().orElse("").length() + verified.eventType().orElse("").length() >= 0;
    }
    return false;
  }
}
