package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A delivery whose signature matched a configured key and whose timestamp, where the scheme has
 * one, lies inside the configured window.
 */
public final class VerifiedWebhook implements VerificationResult {
  private final String provider;
  private final @Nullable String eventId;
  private final @Nullable Instant timestamp;
  private final @Nullable String eventType;

  /**
   * Creates a verified delivery.
   *
   * @param provider the scheme id, for example {@code stripe}
   * @param eventId the sender's id for the event or delivery, if the scheme has one
   * @param timestamp the signed timestamp, if the scheme has one
   * @param eventType the event type, if the scheme exposes one cheaply
   */
  public VerifiedWebhook(
      String provider,
      @Nullable String eventId,
      @Nullable Instant timestamp,
      @Nullable String eventType) {
    this.provider = requireNonNull(provider, "provider");
    this.eventId = eventId;
    this.timestamp = timestamp;
    this.eventType = eventType;
  }

  /**
   * The id of the scheme that verified the delivery.
   *
   * @return the scheme id
   */
  public String provider() {
    return provider;
  }

  /**
   * The sender's id for this event, stable across retries; what deduplication keys on.
   *
   * @return the event id, or empty when the scheme has none or the delivery did not carry one
   */
  public Optional<String> eventId() {
    return Optional.ofNullable(eventId);
  }

  /**
   * The signed timestamp.
   *
   * @return the timestamp, or empty for schemes without one
   */
  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /**
   * The event type, for example {@code invoice.paid}.
   *
   * @return the type, or empty when the scheme or delivery does not name one
   */
  public Optional<String> eventType() {
    return Optional.ofNullable(eventType);
  }

  @Override
  public boolean isVerified() {
    return true;
  }

  @Override
  public VerifiedWebhook orElseThrow() {
    return this;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VerifiedWebhook other
        && provider.equals(other.provider)
        && Objects.equals(eventId, other.eventId)
        && Objects.equals(timestamp, other.timestamp)
        && Objects.equals(eventType, other.eventType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, eventId, timestamp, eventType);
  }

  @Override
  public String toString() {
    return "VerifiedWebhook[provider=" + provider + ", eventId=" + eventId + ", timestamp="
        + timestamp + ", eventType=" + eventType + "]";
  }
}
