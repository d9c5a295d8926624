package io.hookguard.inbox;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What became of a delivery offered to the inbox. Only {@link Stored} and {@link Duplicate} may
 * be acknowledged to the sender: both mean the delivery is durably in the store.
 */
public sealed interface Acceptance {

  /**
   * Stored and committed: acknowledge it.
   *
   * @param id the store's id
   */
  record Stored(long id) implements Acceptance {}

  /**
   * Stored before (a sender's retry, or a replay of the same signed bytes): acknowledge it as a replay.
   *
   * @param id the id of the delivery stored first
   */
  record Duplicate(long id) implements Acceptance {}

  /** The event id is stored with another body: not a retry of the same delivery (422). */
  record FingerprintMismatch() implements Acceptance {}

  /**
   * The backlog (ready and in-flight deliveries) is at its bound: not stored (503).
   *
   * @param retryAfter when to retry
   */
  record Full(Duration retryAfter) implements Acceptance {
    /**
     * Validates the hint.
     *
     * @param retryAfter when to retry
     */
    public Full {
      requireNonNull(retryAfter, "retryAfter");
    }
  }

  /**
   * The store could not be reached or did not commit: not stored (503).
   *
   * @param retryAfter when to retry
   */
  record Unavailable(Duration retryAfter) implements Acceptance {
    /**
     * Validates the hint.
     *
     * @param retryAfter when to retry
     */
    public Unavailable {
      requireNonNull(retryAfter, "retryAfter");
    }
  }
}
