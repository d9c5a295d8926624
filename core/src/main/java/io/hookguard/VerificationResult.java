package io.hookguard;

/**
 * The outcome of verifying one delivery: either a {@link VerifiedWebhook} or a {@link Rejection}.
 *
 * <pre>{@code
 * if (verifier.verify(request) instanceof Rejection rejection) {
 *   return rejection.reason().httpStatus();
 * }
 * }</pre>
 */
public sealed interface VerificationResult permits VerifiedWebhook, Rejection {

  /**
   * Whether the delivery was verified.
   *
   * @return {@code true} for a {@link VerifiedWebhook}
   */
  boolean isVerified();

  /**
   * The verified delivery, or an exception carrying the rejection.
   *
   * @return the verified delivery
   * @throws WebhookVerificationException if this result is a rejection
   */
  VerifiedWebhook orElseThrow();
}
