package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A delivery that failed verification, with a typed reason. The detail never contains secrets,
 * expected signatures or the body.
 */
public final class Rejection implements VerificationResult {
  private final String provider;
  private final RejectionReason reason;
  private final String detail;
  private final @Nullable Duration retryAfter;

  /**
   * Creates a rejection.
   *
   * @param provider the scheme id, for example {@code stripe}
   * @param reason why the delivery was rejected
   * @param detail a human-readable explanation that is safe to return to the sender
   */
  public Rejection(String provider, RejectionReason reason, String detail) {
    this(provider, reason, detail, null);
  }

  /**
   * Creates a rejection that a retry may overcome later.
   *
   * @param provider the scheme id, for example {@code stripe}
   * @param reason why the delivery was rejected
   * @param detail a human-readable explanation that is safe to return to the sender
   * @param retryAfter when a retry may succeed (the answer's {@code Retry-After}), or null
   */
  public Rejection(String provider, RejectionReason reason, String detail, @Nullable Duration retryAfter) {
    this.provider = requireNonNull(provider, "provider");
    this.reason = requireNonNull(reason, "reason");
    this.detail = requireNonNull(detail, "detail");
    this.retryAfter = retryAfter;
  }

  /**
   * The id of the scheme that rejected the delivery.
   *
   * @return the scheme id
   */
  public String provider() {
    return provider;
  }

  /**
   * Why the delivery was rejected.
   *
   * @return the reason
   */
  public RejectionReason reason() {
    return reason;
  }

  /**
   * A human-readable explanation, safe to return to the sender.
   *
   * @return the detail message
   */
  public String detail() {
    return detail;
  }

  /**
   * When a retry of the same delivery may succeed, for {@linkplain RejectionReason#retryable()
   * retryable} reasons such as {@link RejectionReason#KEY_UNAVAILABLE}.
   *
   * @return the delay, empty when a retry cannot help or none was given
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isVerified() {
    return false;
  }

  @Override
  public VerifiedWebhook orElseThrow() {
    throw new WebhookVerificationException(this);
  }

  @Override
  public String toString() {
    return "Rejection[" + provider + ", " + reason + ": " + detail + "]";
  }
}
