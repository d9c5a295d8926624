package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.VerifiedWebhook;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What became of one delivery, for an audit trail: emitted once per delivery to every
 * {@link DeliveryAuditListener}. Carries no body, secret or signature; event id and type are the
 * sender's (verified, where verification got that far) and are cleaned of control characters.
 *
 * @param receivedAt when the delivery arrived
 * @param endpoint the endpoint path or name
 * @param provider the scheme id
 * @param eventId the event id, if known
 * @param eventType the event type, if known
 * @param sourceAddress the client address (per the trusted proxies), if known
 * @param outcome what happened
 * @param reason the problem slug of a rejection ({@code no-matching-signature}, {@code in-progress}, ...) or of an ignored type
 * @param status the HTTP status answered
 * @param dedup the dedup step's result: {@code claimed}, {@code duplicate}, {@code off}, {@code unclaimed},
 *     {@code unrecorded} (the store lost the completion or release: a retry may run the handler
 *     again), or absent when it was not reached
 * @param handlerDuration how long the application's handler ran, when it ran
 */
public record DeliveryAudit(Instant receivedAt, String endpoint, String provider, @Nullable String eventId,
    @Nullable String eventType, @Nullable String sourceAddress, Outcome outcome, @Nullable String reason,
    int status, @Nullable String dedup, @Nullable Duration handlerDuration) {

  /** What happened to a delivery. */
  public enum Outcome {
    /** Verified, handed to the application, which answered 2xx. */
    PROCESSED,
    /** Verified, handed to the application, which failed (non-2xx or exception); the claim was released. */
    FAILED,
    /** A duplicate of a processed event, acknowledged without running the application. */
    DUPLICATE,
    /** Verified but of an event type the endpoint does not expect; acknowledged, not handled. */
    IGNORED,
    /** Refused before the application: source, size, signature, time, dedup state. */
    REJECTED
  }

  /**
   * Validates and cleans the fields.
   *
   * @param receivedAt when the delivery arrived
   * @param endpoint the endpoint
   * @param provider the scheme id
   * @param eventId the event id
   * @param eventType the event type
   * @param sourceAddress the client address
   * @param outcome what happened
   * @param reason the rejection's slug
   * @param status the status
   * @param dedup the dedup result
   * @param handlerDuration the handler's duration
   */
  public DeliveryAudit {
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(provider, "provider");
    requireNonNull(outcome, "outcome");
    eventId = clean(eventId);
    eventType = clean(eventType);
  }

  /** @return whether the delivery was accepted (processed, duplicate or ignored) */
  public boolean accepted() {
    return outcome != Outcome.REJECTED && outcome != Outcome.FAILED;
  }

  /** @return the handler's duration, when it ran */
  public Optional<Duration> handlerTime() {
    return Optional.ofNullable(handlerDuration);
  }

  /** Sender text in logs: no control characters (no forged log lines), at most 200 characters. */
  private static @Nullable String clean(@Nullable String text) {
    if (text == null) {
      return null;
    }
    StringBuilder clean = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && clean.length() < 200; i++) {
      char c = text.charAt(i);
      clean.append(Character.isISOControl(c) ? '?' : c);
    }
    return clean.toString();
  }

  /**
   * An audit record for a request the gate saw, from what it left on the request.
   *
   * @param endpoint the endpoint
   * @param request the request
   * @param outcome what happened
   * @param reason the rejection's slug, if any
   * @param status the status answered
   * @param dedup the dedup result, if reached
   * @param handlerDuration the handler's duration, if it ran
   * @return the record
   */
  public static DeliveryAudit of(WebhookEndpoint endpoint, HttpServletRequest request, Outcome outcome,
      @Nullable String reason, int status, @Nullable String dedup, @Nullable Duration handlerDuration) {
    VerifiedWebhook verified = WebhookFilter.verifiedWebhook(request).orElse(null);
    Object received = request.getAttribute(WebhookGate.RECEIVED_AT_ATTRIBUTE);
    Object source = request.getAttribute(WebhookGate.SOURCE_ATTRIBUTE);
    return new DeliveryAudit(received instanceof Instant at ? at : Instant.now(), endpoint.path(),
        endpoint.verifier().scheme().id(),
        verified == null ? null : verified.eventId().orElse(null),
        verified == null ? null : verified.eventType().orElse(null),
        source instanceof String address ? address : request.getRemoteAddr(),
        outcome, reason, status, dedup, handlerDuration);
  }
}
