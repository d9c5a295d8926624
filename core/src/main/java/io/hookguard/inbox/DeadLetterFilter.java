package io.hookguard.inbox;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which dead letters to list, replay or purge: every given field must match; {@link #all()}
 * matches every dead letter.
 *
 * @param endpoint the endpoint's name, or {@code null} for any
 * @param eventType the exact event type, or {@code null} for any
 * @param deadBefore only those that became dead letters before this instant, or {@code null} for any
 */
public record DeadLetterFilter(@Nullable String endpoint, @Nullable String eventType, @Nullable Instant deadBefore) {
  private static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null);

  /** @return a filter that matches every dead letter */
  public static DeadLetterFilter all() {
    return ALL;
  }

  /**
   * @param endpoint the endpoint's name
   * @return a filter that matches the dead letters of one endpoint
   */
  public static DeadLetterFilter endpoint(String endpoint) {
    return new DeadLetterFilter(java.util.Objects.requireNonNull(endpoint, "endpoint"), null, null);
  }

  /**
   * @param eventType the exact event type
   * @return this filter, also requiring the event type
   */
  public DeadLetterFilter withEventType(String eventType) {
    return new DeadLetterFilter(endpoint, java.util.Objects.requireNonNull(eventType, "eventType"), deadBefore);
  }

  /**
   * @param instant the bound
   * @return this filter, also requiring that the delivery became a dead letter before the bound
   */
  public DeadLetterFilter withDeadBefore(Instant instant) {
    return new DeadLetterFilter(endpoint, eventType, java.util.Objects.requireNonNull(instant, "instant"));
  }
}
