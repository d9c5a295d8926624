package io.hookguard.inbox;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stored delivery as an operator inspects it: metadata, state, attempts and the last error; the
 * body only when the caller asked for it.
 *
 * @param id the store's id
 * @param endpoint the endpoint's name
 * @param provider the scheme id
 * @param eventId the event id, if any
 * @param eventType the event type, if any
 * @param contentType the content type, if any
 * @param receivedAt when it arrived
 * @param source the client address, if known
 * @param state where it is
 * @param attempts how many attempts were started
 * @param lastError the last failure as {@code class: message} (truncated), if any
 * @param updatedAt when its state last changed (for a dead letter: when it became one)
 * @param nextAttemptAt when a ready delivery may next be taken; {@code null} in other states
 * @param body the body, only when asked for
 */
public record InboxEntry(long id, String endpoint, String provider, @Nullable String eventId,
    @Nullable String eventType, @Nullable String contentType, Instant receivedAt, @Nullable String source,
    InboxState state, int attempts, @Nullable String lastError, Instant updatedAt, @Nullable Instant nextAttemptAt,
    byte @Nullable [] body) {

  /**
   * Validates the fields.
   *
   * @param id the id
   * @param endpoint the endpoint
   * @param provider the provider
   * @param eventId the event id
   * @param eventType the event type
   * @param contentType the content type
   * @param receivedAt the arrival time
   * @param source the client address
   * @param state the state
   * @param attempts the attempts
   * @param lastError the last error
   * @param updatedAt the last change's time
   * @param nextAttemptAt the next attempt's time
   * @param body the body, if asked for
   */
  public InboxEntry {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(provider, "provider");
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(state, "state");
    requireNonNull(updatedAt, "updatedAt");
  }

  /** @return the body, when it was asked for */
  public Optional<byte[]> optionalBody() {
    return Optional.ofNullable(body);
  }

  @Override
  public String toString() {
    return "InboxEntry[" + id + " " + endpoint + " " + provider + " event=" + eventId + " " + state
        + " attempts=" + attempts + " lastError=" + lastError + "]";
  }
}
