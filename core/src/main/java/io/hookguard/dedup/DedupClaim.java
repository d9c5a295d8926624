package io.hookguard.dedup;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A delivery admitted to run: finish it exactly once with the handler's outcome. Finishing
 * completes the event (success) or releases it so the sender's retry runs (failure), and stops
 * the lease heartbeat. Thread-safe; finishing again does nothing.
 */
public final class DedupClaim {

  @FunctionalInterface
  interface Finisher {
    boolean finish(boolean succeeded);
  }

  private final DedupOutcome.@Nullable Reason withoutDedup;
  private final @Nullable Finisher finisher;
  private final AtomicBoolean finished = new AtomicBoolean();

  private DedupClaim(DedupOutcome.@Nullable Reason withoutDedup, @Nullable Finisher finisher) {
    this.withoutDedup = withoutDedup;
    this.finisher = finisher;
  }

  static DedupClaim held(Finisher finisher) {
    return new DedupClaim(null, finisher);
  }

  static DedupClaim unclaimed(DedupOutcome.Reason reason) {
    return new DedupClaim(reason, null);
  }

  /**
   * Why this delivery runs without a claim (no event id, or the store is down and the engine
   * fails open); empty when it holds one.
   *
   * @return the reason, if unclaimed
   */
  public Optional<DedupOutcome.Reason> withoutDedup() {
    return Optional.ofNullable(withoutDedup);
  }

  /**
   * Records the handler's outcome: complete on success, release on failure.
   *
   * @param succeeded whether the handler succeeded (e.g. answered 2xx)
   * @return whether the store recorded it; {@code false} when already finished, unclaimed, or
   *     the store could not record it (counted by {@link DedupEngine#unrecordedOutcomes()})
   */
  public boolean finish(boolean succeeded) {
    if (finisher == null || !finished.compareAndSet(false, true)) {
      return false;
    }
    return finisher.finish(succeeded);
  }
}
