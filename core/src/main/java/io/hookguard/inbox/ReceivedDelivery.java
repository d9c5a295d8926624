package io.hookguard.inbox;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A verified delivery to store: what its handler will see, plus its dedup keys. The store keeps
 * it unique on {@code key} and, when present, on {@code bodyKey}: a second delivery with either
 * key is a duplicate (or, under {@code key} with another {@code fingerprint}, a mismatch).
 *
 * @param endpoint the endpoint's name
 * @param provider the scheme id
 * @param eventId the verified event id, if any
 * @param eventType the event type, if any
 * @param contentType the request's {@code Content-Type}, if any
 * @param body the exact bytes that verified
 * @param receivedAt when it arrived
 * @param source the client address, if known
 * @param key the dedup key: of the event id, or of the body where there is no id
 * @param bodyKey a second dedup key of the signed content, for schemes that do not sign their id
 * @param fingerprint SHA-256 hex of what the scheme fingerprints ({@code WebhookScheme.fingerprintContent}:
 *     the body, less a re-stamped time of sending), to tell a retry from other content under one id
 */
public record ReceivedDelivery(String endpoint, String provider, @Nullable String eventId,
    @Nullable String eventType, @Nullable String contentType, byte[] body, Instant receivedAt,
    @Nullable String source, String key, @Nullable String bodyKey, String fingerprint) {

  /**
   * Validates the fields.
   *
   * @param endpoint the endpoint
   * @param provider the provider
   * @param eventId the event id
   * @param eventType the event type
   * @param contentType the content type
   * @param body the body
   * @param receivedAt the arrival time
   * @param source the client address
   * @param key the dedup key
   * @param bodyKey the second key
   * @param fingerprint the body's fingerprint
   */
  public ReceivedDelivery {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(provider, "provider");
    requireNonNull(body, "body");
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(key, "key");
    requireNonNull(fingerprint, "fingerprint");
  }

  @Override
  public String toString() {
    return "ReceivedDelivery[" + endpoint + " " + provider + " event=" + eventId + " " + body.length + " bytes]";
  }
}
