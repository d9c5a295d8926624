package io.hookguard.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the inbox's deliveries live. A store keeps each delivery unique on its dedup keys, hands
 * ready deliveries to workers under a lease with a fresh token, and checks that token atomically
 * in every change a worker makes ({@link #markDone}, {@link #retryLater}, {@link #deadLetter},
 * {@link #release}, {@link #extend}), so that a worker whose lease ran out — and whose delivery
 * another worker took over — can never change it. Times (leases, next attempts, retention) are
 * the store's own clock.
 *
 * <p>A store that cannot answer throws {@link InboxStoreException}; it never guesses. Run
 * {@code InboxStoreContract} from {@code hookguard-test} against an implementation.
 */
public interface InboxStore {

  /**
   * Stores a delivery, durably, before it returns {@link Acceptance.Stored}.
   *
   * @param delivery the verified delivery
   * @return {@link Acceptance.Stored} with its new id; {@link Acceptance.Duplicate} when a
   *     delivery with the same {@code key} and fingerprint, or the same {@code bodyKey}, is
   *     stored (in any state); {@link Acceptance.FingerprintMismatch} when the {@code key} is
   *     stored with another fingerprint
   * @throws InboxStoreException when the store cannot answer or did not commit
   */
  Acceptance store(ReceivedDelivery delivery);

  /**
   * What {@link #store} would answer for a delivery already stored, without storing anything:
   * the inbox asks when its backlog is full, so that a sender's retry of a delivery it holds is
   * still acknowledged as a duplicate rather than refused. By default empty (the retry is refused
   * as full, and acknowledged once there is room).
   *
   * @param delivery the verified delivery
   * @return {@link Acceptance.Duplicate} or {@link Acceptance.FingerprintMismatch} on the same
   *     terms as {@link #store}; empty when the delivery is not stored
   * @throws InboxStoreException when the store cannot answer
   */
  default Optional<Acceptance> stored(ReceivedDelivery delivery) {
    return Optional.empty();
  }

  /**
   * Takes up to {@code max} deliveries of these endpoints that are due — ready with their next
   * attempt time passed, or in flight with an expired lease (a crashed worker's) — oldest due
   * first, skipping those another worker is taking at the same moment. Each taken delivery is in
   * flight under a fresh token until {@code lease} from now, its attempt number counted.
   *
   * @param endpoints the endpoints whose deliveries the caller can handle
   * @param max the most to take, positive
   * @param lease how long the caller holds each
   * @return the leases, possibly none
   * @throws InboxStoreException when the store cannot answer
   */
  List<InboxLease> take(Collection<String> endpoints, int max, Duration lease);

  /**
   * Extends a held lease, for handlers that run long.
   *
   * @param lease the lease
   * @param duration the new lease, counted from now
   * @return {@code false} when the lease is no longer the caller's
   * @throws InboxStoreException when the store cannot answer
   */
  boolean extend(InboxLease lease, Duration duration);

  /**
   * Marks a delivery done; it is kept (so a sender's retry is a duplicate) until
   * {@link #purgeDone} removes it.
   *
   * @param lease the lease
   * @return {@code false} when the lease is no longer the caller's
   * @throws InboxStoreException when the store cannot answer
   */
  boolean markDone(InboxLease lease);

  /**
   * Runs the handler and marks the delivery done. By default the handler runs, then
   * {@link #markDone}: at-least-once, since a crash or a lost lease between the two runs the
   * handler again. A store that can make both one transaction overrides this, so that the
   * handler's writes to that store and the mark commit together or not at all.
   *
   * @param lease the lease
   * @param handler the endpoint's handler
   * @return whether the mark was recorded ({@code false}: the lease was lost; for a transactional
   *     store the handler's writes were rolled back)
   * @throws Exception what the handler threw (nothing is marked)
   */
  default boolean handleAndMarkDone(InboxLease lease, InboxHandler handler) throws Exception {
    handler.handle(lease.delivery());
    return markDone(lease);
  }

  /**
   * Records a failed attempt and makes the delivery ready again after {@code delay}.
   *
   * @param lease the lease
   * @param delay how long until the next attempt may start
   * @param error the failure, as {@code class: message}, truncated; never the body
   * @return {@code false} when the lease is no longer the caller's
   * @throws InboxStoreException when the store cannot answer
   */
  boolean retryLater(InboxLease lease, Duration delay, String error);

  /**
   * Records the last failed attempt and makes the delivery a dead letter.
   *
   * @param lease the lease
   * @param error the failure, as {@code class: message}, truncated; never the body
   * @return {@code false} when the lease is no longer the caller's
   * @throws InboxStoreException when the store cannot answer
   */
  boolean deadLetter(InboxLease lease, String error);

  /**
   * Gives a lease up without counting the attempt (a worker shutting down): the delivery is
   * ready again at once.
   *
   * @param lease the lease
   * @return {@code false} when the lease is no longer the caller's
   * @throws InboxStoreException when the store cannot answer
   */
  boolean release(InboxLease lease);

  /**
   * Looks a delivery up in any state.
   *
   * @param id the id
   * @param withBody whether to include the body
   * @return the delivery, if stored
   * @throws InboxStoreException when the store cannot answer
   */
  Optional<InboxEntry> find(long id, boolean withBody);

  /**
   * Lists dead letters, without bodies, in the order they were stored.
   *
   * @param filter which
   * @param limit the most to list, positive
   * @return the dead letters
   * @throws InboxStoreException when the store cannot answer
   */
  List<InboxEntry> deadLetters(DeadLetterFilter filter, int limit);

  /**
   * Puts a dead letter back to be processed at once, with a fresh count of attempts and a fresh
   * maximum age.
   *
   * @param id the id
   * @return {@code false} when there is no dead letter with this id
   * @throws InboxStoreException when the store cannot answer
   */
  boolean replay(long id);

  /**
   * Puts every matching dead letter back, as {@link #replay(long)} does one.
   *
   * @param filter which
   * @return how many were put back
   * @throws InboxStoreException when the store cannot answer
   */
  int replay(DeadLetterFilter filter);

  /**
   * Deletes matching dead letters (their keys go with them: a later copy is stored anew).
   *
   * @param filter which
   * @return how many were deleted
   * @throws InboxStoreException when the store cannot answer
   */
  int purgeDeadLetters(DeadLetterFilter filter);

  /**
   * Deletes at most {@code limit} deliveries done before {@code doneBefore}, oldest first: one
   * bounded batch, so that a large purge never holds the store for long.
   *
   * @param doneBefore the bound
   * @param limit the most to delete, positive
   * @return how many were deleted (fewer than {@code limit}: nothing older is left)
   * @throws InboxStoreException when the store cannot answer
   */
  int purgeDone(Instant doneBefore, int limit);

  /**
   * Counts deliveries by state.
   *
   * @return a count for every state, zero included
   * @throws InboxStoreException when the store cannot answer
   */
  Map<InboxState, Long> depth();

  /**
   * Counts the ready and in-flight deliveries: the backlog the inbox bounds. By default from
   * {@link #depth()}; a store with a cheaper count (an index on the pending states) overrides it.
   *
   * @return the count
   * @throws InboxStoreException when the store cannot answer
   */
  default long backlog() {
    Map<InboxState, Long> depth = depth();
    return depth.getOrDefault(InboxState.READY, 0L) + depth.getOrDefault(InboxState.IN_FLIGHT, 0L);
  }

  /**
   * When the longest-waiting due delivery became due: the earliest next-attempt time among ready
   * deliveries whose time has come.
   *
   * @return the instant, or empty when nothing is waiting
   * @throws InboxStoreException when the store cannot answer
   */
  Optional<Instant> oldestReadySince();
}
