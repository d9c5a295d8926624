package io.hookguard;

import static java.util.Objects.requireNonNull;

/** Thrown by {@link VerificationResult#orElseThrow()} when a delivery was rejected. */
public class WebhookVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Rejection rejection;

  /**
   * Creates an exception for a rejection.
   *
   * @param rejection the rejection
   */
  public WebhookVerificationException(Rejection rejection) {
    super(requireNonNull(rejection, "rejection").provider() + ": " + rejection.detail());
    this.rejection = rejection;
  }

  /**
   * The rejection that caused this exception.
   *
   * @return the rejection
   */
  public Rejection rejection() {
    return rejection;
  }

  /**
   * Shortcut for {@code rejection().reason()}.
   *
   * @return the reason
   */
  public RejectionReason reason() {
    return rejection.reason();
  }
}
