package io.hookguard.dedup;

import static java.util.Objects.requireNonNull;

/** What {@link DedupEngine#admit} decided for one delivery. */
public sealed interface Admission {

  /**
   * Run the handler, then {@link DedupClaim#finish finish} the claim with its outcome.
   *
   * @param claim the claim to finish
   */
  record Run(DedupClaim claim) implements Admission {
    /**
     * Validates the claim.
     *
     * @param claim the claim
     */
    public Run {
      requireNonNull(claim, "claim");
    }
  }

  /**
   * Do not run the handler; answer the sender with this outcome: {@link DedupOutcome.Duplicate},
   * {@link DedupOutcome.InProgress}, {@link DedupOutcome.FingerprintMismatch},
   * {@link DedupOutcome.MissingEventId} or {@link DedupOutcome.StoreUnavailable}.
   *
   * @param outcome the answer
   */
  record Refuse(DedupOutcome<Void> outcome) implements Admission {
    /**
     * Validates the outcome.
     *
     * @param outcome the answer
     */
    public Refuse {
      requireNonNull(outcome, "outcome");
    }
  }
}
