package io.hookguard.inbox;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A delivery taken by a worker: the delivery and the lease token that every later change checks,
 * so that a worker whose lease ran out (and whose delivery another worker took over) can never
 * mark it done, failed or released.
 *
 * @param delivery the delivery, its attempt number already counted
 * @param token the lease token
 * @param retryingSince what the retry policy's maximum age counts from: arrival, or the last replay
 */
public record InboxLease(InboxDelivery delivery, String token, Instant retryingSince) {
  /**
   * Validates the fields.
   *
   * @param delivery the delivery
   * @param token the token
   * @param retryingSince the start of the retry policy's age
   */
  public InboxLease {
    requireNonNull(delivery, "delivery");
    requireNonNull(token, "token");
    requireNonNull(retryingSince, "retryingSince");
  }

  /** @return the delivery's id */
  public long id() {
    return delivery.id();
  }
}
