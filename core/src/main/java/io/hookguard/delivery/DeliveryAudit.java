package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import io.hookguard.RejectionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What became of one delivery: the one event the lifecycle emits, once per delivery, to every
 * {@link DeliveryAuditListener} (the audit logger, metrics, application events). At an endpoint in
 * inbox mode this records the receipt ({@link Outcome#STORED}, or a refusal); each later attempt
 * of a worker is an {@link AttemptAudit} with the same outcomes. Carries no body,
 * secret or signature; event id and type are the sender's (verified, where verification got that
 * far) and are cleaned of control characters.
 *
 * @param receivedAt when the delivery arrived
 * @param endpoint the endpoint's name
 * @param provider the scheme id
 * @param eventId the event id, if known
 * @param eventType the event type, if known
 * @param sourceAddress the client address (per the trusted proxies), if known
 * @param outcome what happened
 * @param reason why it was refused or ignored, from the one refusal catalogue
 * @param status the HTTP status answered
 * @param dedup the dedup step's result, or {@code null} when it was not reached
 * @param checkDuration how long reading, verifying and claiming took
 * @param handlerDuration how long the application's handler ran, when it ran
 */
public record DeliveryAudit(Instant receivedAt, String endpoint, String provider, @Nullable String eventId,
    @Nullable String eventType, @Nullable String sourceAddress, Outcome outcome, @Nullable RejectionReason reason,
    int status, @Nullable Dedup dedup, Duration checkDuration, @Nullable Duration handlerDuration) {

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
    /** Refused before the application: source, size, signature, time, dedup state, inbox state. */
    REJECTED,
    /** Verified and stored in the inbox (committed), acknowledged; its workers run the handler. */
    STORED,
    /** An inbox attempt failed and no attempt is left: the delivery is a dead letter. */
    DEAD_LETTERED,
    /**
     * A sender's handshake (Slack {@code url_verification}, Zoom {@code endpoint.url_validation},
     * Meta's subscription check, …) answered by Hookguard: no claim, no inbox, no handler.
     */
    HANDSHAKE
  }

  /** What the dedup step did. */
  public enum Dedup {
    /** The event was claimed, and its completion or release recorded. */
    CLAIMED,
    /** The event was processed before: acknowledged. */
    DUPLICATE,
    /** The endpoint does not deduplicate. */
    OFF,
    /** Ran without a claim: no event id (by policy), or the store was down (fail-open). */
    UNCLAIMED,
    /** Claimed, but the store lost the completion or release: a retry may run the handler again. */
    UNRECORDED
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
   * @param reason why it was refused or ignored
   * @param status the status
   * @param dedup the dedup result
   * @param checkDuration the time the checks took
   * @param handlerDuration the handler's duration
   */
  public DeliveryAudit {
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(provider, "provider");
    requireNonNull(outcome, "outcome");
    requireNonNull(checkDuration, "checkDuration");
    eventId = clean(eventId);
    eventType = clean(eventType);
  }

  /** @return whether the delivery was accepted (processed, duplicate, ignored, stored or an answered handshake) */
  public boolean accepted() {
    return outcome != Outcome.REJECTED && outcome != Outcome.FAILED && outcome != Outcome.DEAD_LETTERED;
  }

  /** @return the handler's duration, when it ran */
  public Optional<Duration> handlerTime() {
    return Optional.ofNullable(handlerDuration);
  }

  /** Sender text in logs: no control characters (no forged log lines), at most 200 characters. */
  static @Nullable String clean(@Nullable String text) {
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
}
