package io.hookguard.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.delivery.DeliveryAuditListener;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Delivery outcomes as Micrometer meters, tagged only with low-cardinality values (endpoint name,
 * provider, outcome): {@code hookguard.deliveries} counts every delivery by outcome
 * ({@code processed}, {@code failed}, {@code duplicate}, {@code ignored}, or a refusal's slug such as
 * {@code no-matching-signature} or {@code in-progress}); {@code hookguard.checks} times the
 * checks before the handler (reading the body, verifying, claiming). The dedup engines'
 * unaccounted outcomes are function counters ({@link #dedup(DedupCounts)}):
 * {@code hookguard.dedup.unrecorded-outcomes}, {@code hookguard.dedup.fail-open-runs} and
 * {@code hookguard.dedup.lost-leases}; with the Redis store also
 * {@code hookguard.dedup.unrecorded-completions} (background completions it could not write).
 */
public final class WebhookMetrics implements DeliveryAuditListener {
  private final Supplier<@Nullable MeterRegistry> registry;

  /**
   * Creates the meters' owner.
   *
   * @param registry where the meters live
   */
  public WebhookMetrics(MeterRegistry registry) {
    this(() -> registry);
  }

  /** Meters in a registry looked up at first use, so that bean ordering does not matter. */
  WebhookMetrics(Supplier<@Nullable MeterRegistry> registry) {
    this.registry = registry;
  }

  /**
   * The dedup engines' counts as function counters; Spring Boot binds the returned binder to
   * every registry.
   *
   * @param counts the counts
   * @return the binder
   */
  static MeterBinder dedup(DedupCounts counts) {
    return registry -> {
      FunctionCounter.builder("hookguard.dedup.unrecorded-outcomes", counts, DedupCounts::unrecordedOutcomes)
          .description("Dedup completions and releases the store did not record; a retry may run the handler again")
          .register(registry);
      FunctionCounter.builder("hookguard.dedup.fail-open-runs", counts, DedupCounts::failOpenRuns)
          .description("Deliveries run without a dedup claim while the store was down (fail-open)")
          .register(registry);
      FunctionCounter.builder("hookguard.dedup.lost-leases", counts, DedupCounts::lostLeases)
          .description("Dedup leases lost while the handler ran; a retry may have run it concurrently")
          .register(registry);
    };
  }

  /**
   * Counts a delivery by outcome and times its checks: one more listener of the lifecycle.
   *
   * @param audit the delivery
   */
  @Override
  public void delivered(DeliveryAudit audit) {
    MeterRegistry registry = this.registry.get();
    if (registry == null) {
      return;
    }
    String outcome = audit.outcome() == DeliveryAudit.Outcome.REJECTED && audit.reason() != null
        ? audit.reason().slug() : audit.outcome().name().toLowerCase(Locale.ROOT);
    Counter.builder("hookguard.deliveries").description("Webhook deliveries by outcome")
        .tag("endpoint", audit.endpoint()).tag("provider", audit.provider()).tag("outcome", outcome)
        .register(registry).increment();
    Timer.builder("hookguard.checks").description("Time to read, verify and claim a webhook delivery")
        .tag("endpoint", audit.endpoint()).tag("provider", audit.provider())
        .register(registry).record(audit.checkDuration());
  }
}
