package io.hookguard.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Delivery outcomes as Micrometer meters, tagged only with low-cardinality values (endpoint name,
 * provider, outcome): {@code hookguard.deliveries} counts every delivery by outcome
 * ({@code processed}, {@code failed}, {@code duplicate}, or a refusal's slug such as
 * {@code no-matching-signature} or {@code in-progress}); {@code hookguard.checks} times the
 * checks before the handler (reading the body, verifying, claiming).
 */
public final class WebhookMetrics {
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

  void checked(String endpoint, String provider, Duration took) {
    MeterRegistry registry = this.registry.get();
    if (registry == null) {
      return;
    }
    Timer.builder("hookguard.checks").description("Time to read, verify and claim a webhook delivery")
        .tag("endpoint", endpoint).tag("provider", provider)
        .register(registry).record(took);
  }

  void outcome(String endpoint, String provider, String outcome) {
    MeterRegistry registry = this.registry.get();
    if (registry == null) {
      return;
    }
    Counter.builder("hookguard.deliveries").description("Webhook deliveries by outcome")
        .tag("endpoint", endpoint).tag("provider", provider).tag("outcome", outcome)
        .register(registry).increment();
  }
}
