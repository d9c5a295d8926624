package io.hookguard.inbox;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stored delivery as its handler sees it: the exact bytes that verified and what verified
 * about them. Event id and type are the ones the scheme verified (the id only where the sender
 * sent one). The body array is not copied: do not change it.
 *
 * @param id the store's id of the delivery
 * @param endpoint the endpoint's name
 * @param provider the scheme id
 * @param eventId the sender's event id, if any: the key for the handler's own idempotency
 * @param eventType the event type, if the scheme reads one
 * @param contentType the request's {@code Content-Type}, if any
 * @param body the exact bytes that verified
 * @param receivedAt when the delivery arrived
 * @param source the client address per the trusted proxies, if known
 * @param attempt which attempt this is, from 1
 */
public record InboxDelivery(long id, String endpoint, String provider, @Nullable String eventId,
    @Nullable String eventType, @Nullable String contentType, byte[] body, Instant receivedAt,
    @Nullable String source, int attempt) {

  /**
   * Validates the fields.
   *
   * @param id the id
   * @param endpoint the endpoint
   * @param provider the provider
   * @param eventId the event id
   * @param eventType the event type
   * @param contentType the content type
   * @param body the body
   * @param receivedAt the arrival time
   * @param source the client address
   * @param attempt the attempt number
   */
  public InboxDelivery {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(provider, "provider");
    requireNonNull(body, "body");
    requireNonNull(receivedAt, "receivedAt");
  }

  /** @return the event id, if the sender sent one */
  public Optional<String> optionalEventId() {
    return Optional.ofNullable(eventId);
  }

  @Override
  public String toString() {
    // Never the body.
    return "InboxDelivery[" + id + " " + endpoint + " " + provider + " event=" + eventId + " type=" + eventType
        + " attempt=" + attempt + " " + body.length + " bytes]";
  }
}
