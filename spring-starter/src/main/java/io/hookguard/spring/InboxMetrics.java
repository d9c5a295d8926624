package io.hookguard.spring;

import io.hookguard.delivery.AttemptAudit;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.delivery.DeliveryAuditListener;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The inbox's meters, tagged with the endpoint's name only: {@code hookguard.inbox.received}
 * (deliveries stored), {@code hookguard.inbox.processed}, {@code hookguard.inbox.failed-attempts}
 * (failed attempts with another one scheduled, or given back at shutdown),
 * {@code hookguard.inbox.dead-lettered}, and {@code hookguard.inbox.processing} (the handler's
 * time, tagged {@code outcome}); from {@link #gauges}: {@code hookguard.inbox.replayed},
 * {@code hookguard.inbox.depth} (tagged {@code state}), {@code hookguard.inbox.oldest-ready-age},
 * {@code hookguard.inbox.lost-leases} and {@code hookguard.inbox.store-errors}.
 */
final class InboxMetrics implements DeliveryAuditListener {
  private final Supplier<@Nullable MeterRegistry> registry;

  InboxMetrics(Supplier<@Nullable MeterRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public void delivered(DeliveryAudit audit) {
    MeterRegistry meters = registry.get();
    if (meters != null && audit.outcome() == DeliveryAudit.Outcome.STORED) {
      Counter.builder("hookguard.inbox.received").description("Deliveries stored in the inbox and acknowledged")
          .tag("endpoint", audit.endpoint()).register(meters).increment();
    }
  }

  @Override
  public void attempted(AttemptAudit attempt) {
    MeterRegistry meters = registry.get();
    if (meters == null) {
      return;
    }
    String name = switch (attempt.outcome()) {
      case PROCESSED -> "hookguard.inbox.processed";
      case DEAD_LETTERED -> "hookguard.inbox.dead-lettered";
      default -> "hookguard.inbox.failed-attempts";
    };
    Counter.builder(name).description("Inbox attempts by outcome").tag("endpoint", attempt.endpoint())
        .register(meters).increment();
    Timer.builder("hookguard.inbox.processing").description("Time an inbox handler ran")
        .tag("endpoint", attempt.endpoint()).tag("outcome", attempt.outcome().name().toLowerCase(Locale.ROOT))
        .register(meters).record(attempt.handlerDuration());
  }

  /**
   * The inbox's state as gauges and function counters; Spring Boot binds the binder to every registry.
   *
   * @param inbox the inbox
   * @param status its status, shared with health
   * @return the binder
   */
  static MeterBinder gauges(Inbox inbox, InboxStatus status) {
    return registry -> {
      FunctionCounter.builder("hookguard.inbox.replayed", inbox, Inbox::replayed)
          .description("Dead letters replayed through this instance").register(registry);
      FunctionCounter.builder("hookguard.inbox.lost-leases", inbox, Inbox::lostLeases)
          .description("Attempt outcomes not recorded because the lease was lost or the store failed")
          .register(registry);
      FunctionCounter.builder("hookguard.inbox.store-errors", inbox, Inbox::storeErrors)
          .description("Inbox store calls that failed").register(registry);
      for (InboxState state : InboxState.values()) {
        Gauge.builder("hookguard.inbox.depth", status, s -> s.depth(state))
            .description("Stored deliveries by state (NaN while the store cannot answer)")
            .tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
      }
      TimeGauge.builder("hookguard.inbox.oldest-ready-age", status, TimeUnit.SECONDS, InboxStatus::oldestReadySeconds)
          .description("How long the longest-waiting due delivery has waited for a worker").register(registry);
    };
  }
}
