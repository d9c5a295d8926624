package io.hookguard;

/**
 * Internal control flow for a rejection found deep in parsing; caught by the scheme and turned
 * into a {@link Rejection}. Stackless, because bad input is expected and must stay cheap.
 */
final class Reject extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final RejectionReason reason;

  Reject(RejectionReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  Rejection toRejection(String provider) {
    return new Rejection(provider, reason, getMessage());
  }
}
