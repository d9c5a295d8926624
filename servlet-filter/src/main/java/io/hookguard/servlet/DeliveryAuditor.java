package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Emits one {@link DeliveryAudit} per delivery to the configured listeners, at the point where
 * its answer is decided; shared by the servlet filter and framework integrations. A listener's
 * exception is swallowed: auditing never changes an answer. Immutable and thread-safe.
 */
public final class DeliveryAuditor {
  private static final Set<String> DEDUP_REFUSALS =
      Set.of("in-progress", "fingerprint-mismatch", "missing-event-id", "store-unavailable");

  private final List<DeliveryAuditListener> listeners;

  /**
   * An auditor.
   *
   * @param listeners who receives the records; none makes every call a no-op
   */
  public DeliveryAuditor(List<DeliveryAuditListener> listeners) {
    this.listeners = List.copyOf(requireNonNull(listeners, "listeners"));
  }

  /**
   * Records a refused delivery.
   *
   * @param endpoint the endpoint
   * @param request the request
   * @param problem why it was refused
   */
  public void refused(WebhookEndpoint endpoint, HttpServletRequest request, WebhookProblem problem) {
    String slug = problem.slug();
    emit(endpoint, request, DeliveryAudit.Outcome.REJECTED, slug, problem.status(),
        DEDUP_REFUSALS.contains(slug) ? slug : null, null);
  }

  /**
   * Records a duplicate acknowledged without running the application.
   *
   * @param endpoint the endpoint
   * @param request the request
   */
  public void duplicate(WebhookEndpoint endpoint, HttpServletRequest request) {
    emit(endpoint, request, DeliveryAudit.Outcome.DUPLICATE, null, 200, "duplicate", null);
  }

  /**
   * Records a delivery of an unexpected event type, acknowledged without running the application.
   *
   * @param endpoint the endpoint
   * @param request the request
   */
  public void ignored(WebhookEndpoint endpoint, HttpServletRequest request) {
    emit(endpoint, request, DeliveryAudit.Outcome.IGNORED, "unexpected-event-type", 200, null, null);
  }

  /**
   * Records a delivery the application handled.
   *
   * @param endpoint the endpoint
   * @param request the request
   * @param proceed the gate's decision
   * @param status the application's status
   * @param succeeded whether it counted as success
   * @param recorded whether the dedup store recorded the outcome ({@link WebhookGate.Proceed#finish})
   * @param handlerDuration how long the application ran
   */
  public void handled(WebhookEndpoint endpoint, HttpServletRequest request, WebhookGate.Proceed proceed, int status,
      boolean succeeded, boolean recorded, Duration handlerDuration) {
    String dedup = endpoint.dedup().isEmpty() ? "off"
        : proceed.claim() == null || proceed.claim().withoutDedup().isPresent() ? "unclaimed"
        : recorded ? "claimed" : "unrecorded";
    emit(endpoint, request, succeeded ? DeliveryAudit.Outcome.PROCESSED : DeliveryAudit.Outcome.FAILED, null, status,
        dedup, handlerDuration);
  }

  private void emit(WebhookEndpoint endpoint, HttpServletRequest request, DeliveryAudit.Outcome outcome,
      @Nullable String reason, int status, @Nullable String dedup, @Nullable Duration handlerDuration) {
    if (listeners.isEmpty()) {
      return;
    }
    DeliveryAudit audit = DeliveryAudit.of(endpoint, request, outcome, reason, status, dedup, handlerDuration);
    for (DeliveryAuditListener listener : listeners) {
      try {
        listener.delivered(audit);
      } catch (RuntimeException e) {
        // An audit sink's failure must not turn an answered delivery into an error.
      }
    }
  }
}
