package io.hookguard;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Internal control flow for a rejection found deep in parsing; caught by the scheme and turned
 * into a {@link Rejection}. Stackless, because bad input is expected and must stay cheap.
 */
final class Reject extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final RejectionReason reason;
  /** When a retry may succeed, for retryable reasons ({@link RejectionReason#KEY_UNAVAILABLE}). */
  final @Nullable Duration retryAfter;

  Reject(RejectionReason reason, String detail) {
    this(reason, detail, null);
  }

  Reject(RejectionReason reason, String detail, @Nullable Duration retryAfter) {
    super(detail, null, false, false);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  Rejection toRejection(String provider) {
    return new Rejection(provider, reason, getMessage(), retryAfter);
  }
}
