package io.hookguard.dedup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What {@link DedupEngine#process} did with one delivery.
 *
 * @param <T> what the handler returns
 */
public sealed interface DedupOutcome<T> {

  /**
   * The handler ran under a claim.
   *
   * @param result the handler's result
   * @param succeeded whether the result counted as success (then the key was completed, else released)
   * @param recorded whether the store recorded that: {@code false} when completing or releasing
   *     failed or the lease had run out, so a retry may run the handler again
   * @param <T> what the handler returns
   */
  record Processed<T>(@Nullable T result, boolean succeeded, boolean recorded) implements DedupOutcome<T> {}

  /**
   * The handler ran without a claim: fail-open during a store outage, or no event id with the
   * run-without-dedup policy.
   *
   * @param result the handler's result
   * @param reason why no claim was taken
   * @param <T> what the handler returns
   */
  record ProcessedWithoutDedup<T>(@Nullable T result, Reason reason) implements DedupOutcome<T> {
    /**
     * Validates the reason.
     *
     * @param result the handler's result
     * @param reason why no claim was taken
     */
    public ProcessedWithoutDedup {
      requireNonNull(reason, "reason");
    }
  }

  /**
   * The same delivery was processed already; acknowledge it without running the handler.
   *
   * @param <T> what the handler returns
   */
  record Duplicate<T>() implements DedupOutcome<T> {}

  /**
   * The same delivery is being processed right now; the sender should retry later.
   *
   * @param retryAfter when a retry has a fair chance
   * @param <T> what the handler returns
   */
  record InProgress<T>(Duration retryAfter) implements DedupOutcome<T> {}

  /**
   * The event id was seen with a different body.
   *
   * @param <T> what the handler returns
   */
  record FingerprintMismatch<T>() implements DedupOutcome<T> {}

  /**
   * No event id and the policy rejects such deliveries.
   *
   * @param <T> what the handler returns
   */
  record MissingEventId<T>() implements DedupOutcome<T> {}

  /**
   * The store could not answer and the policy is fail-closed; the handler did not run.
   *
   * @param retryAfter when a retry has a fair chance
   * @param <T> what the handler returns
   */
  record StoreUnavailable<T>(Duration retryAfter) implements DedupOutcome<T> {}

  /** Why a handler ran without a claim. */
  enum Reason {
    /** The store could not answer and the policy is fail-open. */
    STORE_UNAVAILABLE,
    /** The delivery has no event id and the policy runs such deliveries anyway. */
    NO_EVENT_ID
  }
}
