package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A delivery whose signature matched a configured key and whose timestamp, where the scheme has
 * one, lies inside the configured window. Thread-safe.
 *
 * <p>Where a scheme reads the event id or type from the body, it does so on the first call to
 * {@link #eventId()}, {@link #eventType()}, {@code equals}, {@code hashCode} or {@code toString}
 * — not during verification — so callers who need neither never parse the body. The body is
 * not copied: do not change its bytes while the result is in use.
 */
public final class VerifiedWebhook implements VerificationResult {
  private final String provider;
  private final @Nullable Instant timestamp;
  private volatile @Nullable Supplier<@Nullable String[]> pendingFields;
  private @Nullable String eventId;
  private @Nullable String eventType;
  private volatile @Nullable HandshakeReply handshake;

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

  /** A verified delivery whose id and type ({@code [id, type]}) are read when first asked for. */
  VerifiedWebhook(String provider, @Nullable Instant timestamp, Supplier<@Nullable String[]> fields) {
    this.provider = requireNonNull(provider, "provider");
    this.timestamp = timestamp;
    this.pendingFields = requireNonNull(fields, "fields");
  }

  /** Reads the lazily supplied fields once; the volatile write publishes them to every thread. */
  private void resolve() {
    if (pendingFields == null) {
      return;
    }
    synchronized (this) {
      Supplier<@Nullable String[]> fields = pendingFields;
      if (fields != null) {
        @Nullable String[] values = fields.get();
        eventId = values[0];
        eventType = values[1];
        pendingFields = null;
      }
    }
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
    resolve();
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
    resolve();
    return Optional.ofNullable(eventType);
  }

  /**
   * The answer to the sender's signed {@linkplain Handshake handshake} (Slack's
   * {@code url_verification}, Zoom's {@code endpoint.url_validation}) when this verified delivery
   * is one: send it instead of running the application, which must never see the handshake.
   *
   * @return the reply, or empty for an ordinary delivery
   */
  public Optional<HandshakeReply> handshake() {
    return Optional.ofNullable(handshake);
  }

  /** Set by the verifier before it returns this result, when the delivery is a signed handshake. */
  void answer(HandshakeReply reply) {
    this.handshake = reply;
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
    resolve();
    if (o instanceof VerifiedWebhook other) {
      other.resolve();
    }
    return o instanceof VerifiedWebhook other
        && provider.equals(other.provider)
        && Objects.equals(eventId, other.eventId)
        && Objects.equals(timestamp, other.timestamp)
        && Objects.equals(eventType, other.eventType);
  }

  @Override
  public int hashCode() {
    resolve();
    return Objects.hash(provider, eventId, timestamp, eventType);
  }

  @Override
  public String toString() {
    resolve();
    return "VerifiedWebhook[provider=" + provider + ", eventId=" + eventId + ", timestamp="
        + timestamp + ", eventType=" + eventType + "]";
  }
}
