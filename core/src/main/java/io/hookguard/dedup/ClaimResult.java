package io.hookguard.dedup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** What a {@link DedupStore#claim claim} found: the caller owns the event now, or it does not. */
public sealed interface ClaimResult {

  /**
   * The key was absent: the caller holds the claim until its lease runs out.
   *
   * @param token the claim token that {@code complete}, {@code release} and {@code extend} check
   */
  record Acquired(String token) implements ClaimResult {
    /**
     * Validates the token.
     *
     * @param token the claim token
     */
    public Acquired {
      requireNonNull(token, "token");
    }
  }

  /**
   * Another holder is processing the same event with the same body.
   *
   * @param remainingLease how long its lease still runs: a fair {@code Retry-After}
   */
  record InProgress(Duration remainingLease) implements ClaimResult {
    /**
     * Validates the lease.
     *
     * @param remainingLease the remaining lease, not negative
     */
    public InProgress {
      requireNonNull(remainingLease, "remainingLease");
    }
  }

  /** The same event with the same body was processed already. */
  record Completed() implements ClaimResult {}

  /** The event id is known with a different body fingerprint: not a retry of the same delivery. */
  record FingerprintMismatch() implements ClaimResult {}
}
