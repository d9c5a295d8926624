package io.hookguard.inbox;

import static io.hookguard.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import io.hookguard.dedup.DedupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An inbox store in this process's memory, for tests and trials: nothing survives a restart, so
 * it keeps none of the inbox's promises across one. Unbounded (the inbox's backlog bound and the
 * purge of done deliveries keep it in check). Thread-safe: every operation takes one lock.
 */
public final class InMemoryInboxStore implements InboxStore {
  private final Clock clock;
  private final TreeMap<Long, Row> rows = new TreeMap<>();
  private final Map<String, Long> keys = new HashMap<>();
  private long nextId = 1;

  private InMemoryInboxStore(Clock clock) {
    this.clock = clock;
  }

  /** @return a store on the system clock */
  public static InMemoryInboxStore create() {
    return new InMemoryInboxStore(Clock.systemUTC());
  }

  /**
   * @param clock the store's clock: leases, due times, purge bounds
   * @return a store on that clock
   */
  public static InMemoryInboxStore create(Clock clock) {
    return new InMemoryInboxStore(requireNonNull(clock, "clock"));
  }

  private static final class Row {
    final ReceivedDelivery delivery;
    final long id;
    InboxState state = InboxState.READY;
    int attempts;
    @Nullable String token;
    Instant leaseUntil = Instant.MIN;
    Instant nextAttemptAt;
    Instant updatedAt;
    Instant retryingSince;
    @Nullable String lastError;

    Row(long id, ReceivedDelivery delivery, Instant now) {
      this.id = id;
      this.delivery = delivery;
      this.nextAttemptAt = now;
      this.updatedAt = now;
      this.retryingSince = delivery.receivedAt();
    }

    InboxEntry entry(boolean withBody) {
      ReceivedDelivery d = delivery;
      return new InboxEntry(id, d.endpoint(), d.provider(), d.eventId(), d.eventType(), d.contentType(),
          d.receivedAt(), d.source(), state, attempts, lastError, updatedAt,
          state == InboxState.READY ? nextAttemptAt : null, withBody ? d.body().clone() : null);
    }
  }

  @Override
  public synchronized Acceptance store(ReceivedDelivery delivery) {
    Optional<Acceptance> existing = stored(delivery);
    if (existing.isPresent()) {
      return existing.get();
    }
    long id = nextId++;
    ReceivedDelivery copy = new ReceivedDelivery(delivery.endpoint(), delivery.provider(), delivery.eventId(),
        delivery.eventType(), delivery.contentType(), delivery.body().clone(), delivery.receivedAt(),
        delivery.source(), delivery.key(), delivery.bodyKey(), delivery.fingerprint());
    rows.put(id, new Row(id, copy, clock.instant()));
    keys.put(delivery.key(), id);
    if (delivery.bodyKey() != null) {
      keys.put(delivery.bodyKey(), id);
    }
    return new Acceptance.Stored(id);
  }

  @Override
  public synchronized Optional<Acceptance> stored(ReceivedDelivery delivery) {
    Long existing = keys.get(delivery.key());
    if (existing != null) {
      Row row = rows.get(existing);
      // Only an event-id key can see another body; a body key has its content in the key.
      return Optional.of(delivery.eventId() == null || row.delivery.fingerprint().equals(delivery.fingerprint())
          ? new Acceptance.Duplicate(existing) : new Acceptance.FingerprintMismatch());
    }
    if (delivery.bodyKey() != null && keys.containsKey(delivery.bodyKey())) {
      return Optional.of(new Acceptance.Duplicate(keys.get(delivery.bodyKey())));
    }
    return Optional.empty();
  }

  @Override
  public synchronized List<InboxLease> take(Collection<String> endpoints, int max, Duration lease) {
    positive(max, "max");
    positive(lease, "lease");
    Instant now = clock.instant();
    List<Row> due = new ArrayList<>();
    for (Row row : rows.values()) {
      if (endpoints.contains(row.delivery.endpoint()) && due(row, now) != null) {
        due.add(row);
      }
    }
    due.sort((a, b) -> {
      int byTime = due(a, now).compareTo(due(b, now));
      return byTime != 0 ? byTime : Long.compare(a.id, b.id);
    });
    List<InboxLease> taken = new ArrayList<>();
    for (Row row : due.subList(0, Math.min(max, due.size()))) {
      row.state = InboxState.IN_FLIGHT;
      row.token = DedupStore.newClaimToken();
      row.leaseUntil = now.plus(lease);
      row.attempts++;
      row.updatedAt = now;
      ReceivedDelivery d = row.delivery;
      taken.add(new InboxLease(new InboxDelivery(row.id, d.endpoint(), d.provider(), d.eventId(), d.eventType(),
          d.contentType(), d.body().clone(), d.receivedAt(), d.source(), row.attempts), row.token, row.retryingSince));
    }
    return taken;
  }

  /** When a row became takeable, or null when it is not. */
  private static @Nullable Instant due(Row row, Instant now) {
    if (row.state == InboxState.READY && !row.nextAttemptAt.isAfter(now)) {
      return row.nextAttemptAt;
    }
    if (row.state == InboxState.IN_FLIGHT && row.leaseUntil.isBefore(now)) {
      return row.leaseUntil;
    }
    return null;
  }

  private @Nullable Row held(InboxLease lease) {
    Row row = rows.get(lease.id());
    return row != null && row.state == InboxState.IN_FLIGHT && lease.token().equals(row.token) ? row : null;
  }

  @Override
  public synchronized boolean extend(InboxLease lease, Duration duration) {
    positive(duration, "duration");
    Row row = held(lease);
    if (row == null) {
      return false;
    }
    row.leaseUntil = clock.instant().plus(duration);
    return true;
  }

  @Override
  public synchronized boolean markDone(InboxLease lease) {
    Row row = held(lease);
    if (row == null) {
      return false;
    }
    settle(row, InboxState.DONE);
    return true;
  }

  @Override
  public synchronized boolean retryLater(InboxLease lease, Duration delay, String error) {
    requireNonNull(delay, "delay");
    Row row = held(lease);
    if (row == null) {
      return false;
    }
    settle(row, InboxState.READY);
    row.nextAttemptAt = row.updatedAt.plus(delay.isNegative() ? Duration.ZERO : delay);
    row.lastError = requireNonNull(error, "error");
    return true;
  }

  @Override
  public synchronized boolean deadLetter(InboxLease lease, String error) {
    Row row = held(lease);
    if (row == null) {
      return false;
    }
    settle(row, InboxState.DEAD);
    row.lastError = requireNonNull(error, "error");
    return true;
  }

  @Override
  public synchronized boolean release(InboxLease lease) {
    Row row = held(lease);
    if (row == null) {
      return false;
    }
    settle(row, InboxState.READY);
    row.attempts--;
    row.nextAttemptAt = row.updatedAt;
    return true;
  }

  private void settle(Row row, InboxState state) {
    row.state = state;
    row.token = null;
    row.leaseUntil = Instant.MIN;
    row.updatedAt = clock.instant();
  }

  @Override
  public synchronized Optional<InboxEntry> find(long id, boolean withBody) {
    Row row = rows.get(id);
    return row == null ? Optional.empty() : Optional.of(row.entry(withBody));
  }

  @Override
  public synchronized List<InboxEntry> deadLetters(DeadLetterFilter filter, int limit) {
    positive(limit, "limit");
    List<InboxEntry> found = new ArrayList<>();
    for (Row row : rows.values()) {
      if (found.size() == limit) {
        break;
      }
      if (matches(row, filter)) {
        found.add(row.entry(false));
      }
    }
    return found;
  }

  private static boolean matches(Row row, DeadLetterFilter filter) {
    return row.state == InboxState.DEAD
        && (filter.endpoint() == null || filter.endpoint().equals(row.delivery.endpoint()))
        && (filter.eventType() == null || filter.eventType().equals(row.delivery.eventType()))
        && (filter.deadBefore() == null || row.updatedAt.isBefore(filter.deadBefore()));
  }

  @Override
  public synchronized boolean replay(long id) {
    Row row = rows.get(id);
    if (row == null || row.state != InboxState.DEAD) {
      return false;
    }
    revive(row);
    return true;
  }

  @Override
  public synchronized int replay(DeadLetterFilter filter) {
    int count = 0;
    for (Row row : rows.values()) {
      if (matches(row, filter)) {
        revive(row);
        count++;
      }
    }
    return count;
  }

  private void revive(Row row) {
    Instant now = clock.instant();
    row.state = InboxState.READY;
    row.attempts = 0;
    row.nextAttemptAt = now;
    row.updatedAt = now;
    row.retryingSince = now;
  }

  @Override
  public synchronized int purgeDeadLetters(DeadLetterFilter filter) {
    int count = 0;
    for (Iterator<Row> it = rows.values().iterator(); it.hasNext(); ) {
      Row row = it.next();
      if (matches(row, filter)) {
        forget(row);
        it.remove();
        count++;
      }
    }
    return count;
  }

  @Override
  public synchronized int purgeDone(Instant doneBefore, int limit) {
    positive(limit, "limit");
    List<Row> done = new ArrayList<>();
    for (Row row : rows.values()) {
      if (row.state == InboxState.DONE && row.updatedAt.isBefore(doneBefore)) {
        done.add(row);
      }
    }
    done.sort((a, b) -> a.updatedAt.compareTo(b.updatedAt));
    List<Row> batch = done.subList(0, Math.min(limit, done.size()));
    for (Row row : batch) {
      forget(row);
      rows.remove(row.id);
    }
    return batch.size();
  }

  private void forget(Row row) {
    keys.remove(row.delivery.key());
    if (row.delivery.bodyKey() != null) {
      keys.remove(row.delivery.bodyKey());
    }
  }

  @Override
  public synchronized Map<InboxState, Long> depth() {
    Map<InboxState, Long> depth = new EnumMap<>(InboxState.class);
    for (InboxState state : InboxState.values()) {
      depth.put(state, 0L);
    }
    for (Row row : rows.values()) {
      depth.merge(row.state, 1L, Long::sum);
    }
    return depth;
  }

  @Override
  public synchronized Optional<Instant> oldestReadySince() {
    Instant now = clock.instant();
    Instant oldest = null;
    for (Row row : rows.values()) {
      if (row.state == InboxState.READY && !row.nextAttemptAt.isAfter(now)
          && (oldest == null || row.nextAttemptAt.isBefore(oldest))) {
        oldest = row.nextAttemptAt;
      }
    }
    return Optional.ofNullable(oldest);
  }

  @Override
  public String toString() {
    return "InMemoryInboxStore";
  }
}
