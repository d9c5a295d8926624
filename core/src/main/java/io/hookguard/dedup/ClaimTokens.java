package io.hookguard.dedup;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Behind {@link DedupStore#newClaimToken()}: a per-process random prefix and a counter. */
final class ClaimTokens {
  private static final String PREFIX = Long.toHexString(new SecureRandom().nextLong()) + "-";
  private static final AtomicLong COUNTER = new AtomicLong();

  private ClaimTokens() {}

  static String next() {
    return PREFIX + Long.toHexString(COUNTER.incrementAndGet());
  }
}
