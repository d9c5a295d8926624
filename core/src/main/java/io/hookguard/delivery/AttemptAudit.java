package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What became of one attempt of an inbox worker to handle a stored delivery: the sibling of
 * {@link DeliveryAudit} (which records the receipt), in the same vocabulary. Carries no body and
 * no error message (only the exception's class: a message may quote the payload).
 *
 * @param receivedAt when the delivery arrived
 * @param endpoint the endpoint's name
 * @param provider the scheme id
 * @param eventId the event id, if any
 * @param eventType the event type, if any
 * @param deliveryId the inbox's id of the delivery
 * @param attempt which attempt, from 1
 * @param outcome {@link DeliveryAudit.Outcome#PROCESSED}, {@link DeliveryAudit.Outcome#FAILED}
 *     (another attempt is scheduled, or the lease was given up at shutdown) or
 *     {@link DeliveryAudit.Outcome#DEAD_LETTERED}
 * @param errorClass the class of what the handler threw, when it failed
 * @param nextAttemptIn the delay before the next attempt, when one is scheduled
 * @param handlerDuration how long the handler ran (zero when it did not run)
 * @param recorded whether the store recorded the outcome; {@code false}: the lease was lost or
 *     the store was down, so the delivery will be taken again after its lease runs out
 */
public record AttemptAudit(Instant receivedAt, String endpoint, String provider, @Nullable String eventId,
    @Nullable String eventType, long deliveryId, int attempt, DeliveryAudit.Outcome outcome,
    @Nullable String errorClass, @Nullable Duration nextAttemptIn, Duration handlerDuration, boolean recorded) {

  /**
   * Validates and cleans the fields.
   *
   * @param receivedAt when the delivery arrived
   * @param endpoint the endpoint
   * @param provider the scheme id
   * @param eventId the event id
   * @param eventType the event type
   * @param deliveryId the inbox id
   * @param attempt the attempt number
   * @param outcome what happened
   * @param errorClass the failure's class
   * @param nextAttemptIn the delay before the next attempt
   * @param handlerDuration the handler's duration
   * @param recorded whether the store recorded it
   */
  public AttemptAudit {
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(provider, "provider");
    requireNonNull(outcome, "outcome");
    requireNonNull(handlerDuration, "handlerDuration");
    eventId = DeliveryAudit.clean(eventId);
    eventType = DeliveryAudit.clean(eventType);
  }

  /** @return the delay before the next attempt, when one is scheduled */
  public Optional<Duration> nextAttempt() {
    return Optional.ofNullable(nextAttemptIn);
  }
}
