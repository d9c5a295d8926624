package io.hookguard.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default audit trail: one line per delivery (and per inbox attempt) on the
 * {@code io.hookguard.audit} logger, INFO for accepted deliveries and successful attempts and WARN
 * for rejected or failed ones, as {@code key=value} pairs. Never
 * a body, secret or signature. Needs {@code slf4j-api} on the class path (an optional dependency
 * of {@code hookguard-core}; every adapter module brings it).
 */
public final class Slf4jDeliveryAuditLogger implements DeliveryAuditListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.hookguard.audit");

  /** Creates the logger. */
  public Slf4jDeliveryAuditLogger() {}

  @Override
  public void delivered(DeliveryAudit audit) {
    // A completion the store lost is a warning even on success: a retry may run the handler again.
    boolean info = audit.accepted() && audit.dedup() != DeliveryAudit.Dedup.UNRECORDED;
    if (info ? !LOG.isInfoEnabled() : !LOG.isWarnEnabled()) {
      return;
    }
    String line = format(audit);
    if (info) {
      LOG.info(line);
    } else {
      LOG.warn(line);
    }
  }

  @Override
  public void attempted(AttemptAudit attempt) {
    boolean info = attempt.outcome() == DeliveryAudit.Outcome.PROCESSED && attempt.recorded();
    if (info ? !LOG.isInfoEnabled() : !LOG.isWarnEnabled()) {
      return;
    }
    String line = format(attempt);
    if (info) {
      LOG.info(line);
    } else {
      LOG.warn(line);
    }
  }

  /**
   * The line logged for an inbox attempt: {@code webhook attempt} and {@code key=value} pairs.
   *
   * @param attempt the attempt
   * @return the line
   */
  public static String format(AttemptAudit attempt) {
    StringBuilder line = new StringBuilder(160).append("webhook attempt");
    field(line, "outcome", attempt.outcome().name().toLowerCase(java.util.Locale.ROOT));
    field(line, "endpoint", attempt.endpoint());
    field(line, "provider", attempt.provider());
    field(line, "event", attempt.eventId());
    field(line, "type", attempt.eventType());
    field(line, "delivery", Long.toString(attempt.deliveryId()));
    field(line, "attempt", Integer.toString(attempt.attempt()));
    field(line, "error", attempt.errorClass());
    attempt.nextAttempt().ifPresent(next -> field(line, "next_attempt_ms", Long.toString(next.toMillis())));
    field(line, "handler_ms", Long.toString(attempt.handlerDuration().toMillis()));
    if (!attempt.recorded()) {
      field(line, "recorded", "false");
    }
    field(line, "received", attempt.receivedAt().toString());
    return line.toString();
  }

  /**
   * The line logged for a delivery: {@code webhook delivery} and {@code key=value} pairs.
   *
   * @param audit the delivery
   * @return the line
   */
  public static String format(DeliveryAudit audit) {
    StringBuilder line = new StringBuilder(160).append("webhook delivery");
    field(line, "outcome", audit.outcome().name().toLowerCase(java.util.Locale.ROOT));
    field(line, "status", Integer.toString(audit.status()));
    field(line, "endpoint", audit.endpoint());
    field(line, "provider", audit.provider());
    field(line, "event", audit.eventId());
    field(line, "type", audit.eventType());
    field(line, "source", audit.sourceAddress());
    field(line, "reason", audit.reason() == null ? null : audit.reason().slug());
    field(line, "dedup", audit.dedup() == null ? null : audit.dedup().name().toLowerCase(java.util.Locale.ROOT));
    audit.handlerTime().ifPresent(took -> field(line, "handler_ms", Long.toString(took.toMillis())));
    field(line, "received", audit.receivedAt().toString());
    return line.toString();
  }

  private static void field(StringBuilder line, String name, @org.jspecify.annotations.Nullable String value) {
    if (value != null) {
      line.append(' ').append(name).append('=');
      boolean quote = value.isEmpty() || value.indexOf(' ') >= 0 || value.indexOf('"') >= 0;
      line.append(quote ? '"' + value.replace("\"", "'") + '"' : value);
    }
  }
}
