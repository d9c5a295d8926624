package io.hookguard.spring;

import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The inbox as health and metrics see it: depth by state, the oldest ready delivery's age, and
 * this instance's counts. {@link #get()} asks the store and throws when it cannot answer
 * (health: DOWN); a snapshot is reused for a second, so that a scrape of every gauge costs two
 * queries, not one per gauge.
 */
final class InboxStatus implements Supplier<Map<String, Object>> {
  private static final long FRESH_NANOS = Duration.ofSeconds(1).toNanos();

  private final Inbox inbox;
  private volatile @Nullable Snapshot snapshot;

  InboxStatus(Inbox inbox) {
    this.inbox = inbox;
  }

  /** Depth, ages and counts fresh from the store; throws {@code InboxStoreException} when it cannot answer. */
  @Override
  public Map<String, Object> get() {
    Snapshot current = take();
    Map<String, Object> details = new LinkedHashMap<>();
    current.depth.forEach((state, count) -> details.put(jsonName(state), count));
    details.put("oldestReadyAge", current.oldestReadyAge.map(Duration::toString).orElse("none"));
    details.put("running", inbox.inFlight());
    details.put("replayed", inbox.replayed());
    details.put("lostLeases", inbox.lostLeases());
    details.put("storeErrors", inbox.storeErrors());
    return details;
  }

  /** The name of a state in JSON answers: ready, inFlight, done, dead. */
  static String jsonName(InboxState state) {
    return state == InboxState.IN_FLIGHT ? "inFlight" : state.name().toLowerCase(Locale.ROOT);
  }

  /** @return the count of a state, or NaN when the store cannot answer */
  double depth(InboxState state) {
    Snapshot current = cached();
    return current == null ? Double.NaN : current.depth.getOrDefault(state, 0L);
  }

  /** @return the oldest ready delivery's age in seconds (0 when none waits), or NaN when the store cannot answer */
  double oldestReadySeconds() {
    Snapshot current = cached();
    return current == null ? Double.NaN
        : current.oldestReadyAge.map(age -> age.toNanos() / 1e9).orElse(0.0);
  }

  private @Nullable Snapshot cached() {
    Snapshot current = snapshot;
    if (current != null && System.nanoTime() - current.at < FRESH_NANOS) {
      return current;
    }
    try {
      return take();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Snapshot take() {
    Snapshot fresh = new Snapshot(inbox.depth(), inbox.oldestReadyAge(), System.nanoTime());
    snapshot = fresh;
    return fresh;
  }

  private record Snapshot(Map<InboxState, Long> depth, Optional<Duration> oldestReadyAge, long at) {}
}
