package io.hookguard.spring;

import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.WebhookEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the dedup engines of the application could not account for, summed over every engine
 * (the shared one and those of endpoints with their own missing-event-id policy): outcomes the
 * store did not record, runs without a claim while the store was down (fail-open) and leases lost
 * while a handler ran. Each can let a retry run a handler again. Shown as
 * {@code hookguard.dedup.*} meters and in the Hookguard health details; as a
 * {@link Supplier} of those details (bean {@code hookguardDedupCounts}) for the Boot 3.5 health
 * indicators, which cannot see this class.
 */
public final class DedupCounts implements Supplier<Map<String, Long>> {
  private final List<DedupEngine> engines;

  private DedupCounts(List<DedupEngine> engines) {
    this.engines = List.copyOf(engines);
  }

  /**
   * The counts of an engine and of every endpoint's engine, each engine counted once.
   *
   * @param engine the shared engine
   * @param endpoints the endpoints, some with engines of their own
   * @return the counts
   */
  public static DedupCounts of(DedupEngine engine, WebhookEndpoints endpoints) {
    Set<DedupEngine> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    List<DedupEngine> engines = new ArrayList<>();
    if (distinct.add(engine)) {
      engines.add(engine);
    }
    for (WebhookEndpoint endpoint : endpoints.all().values()) {
      endpoint.dedup().filter(distinct::add).ifPresent(engines::add);
    }
    return new DedupCounts(engines);
  }

  /** @return completions and releases the store did not record ({@link DedupEngine#unrecordedOutcomes()}) */
  public long unrecordedOutcomes() {
    return engines.stream().mapToLong(DedupEngine::unrecordedOutcomes).sum();
  }

  /** @return deliveries run without a claim while the store was down ({@link DedupEngine#failOpenRuns()}) */
  public long failOpenRuns() {
    return engines.stream().mapToLong(DedupEngine::failOpenRuns).sum();
  }

  /** @return heartbeats that found their claim gone ({@link DedupEngine#lostLeases()}) */
  public long lostLeases() {
    return engines.stream().mapToLong(DedupEngine::lostLeases).sum();
  }

  /** @return the counts as health details: unrecordedOutcomes, failOpenRuns, lostLeases */
  @Override
  public Map<String, Long> get() {
    Map<String, Long> details = new LinkedHashMap<>();
    details.put("unrecordedOutcomes", unrecordedOutcomes());
    details.put("failOpenRuns", failOpenRuns());
    details.put("lostLeases", lostLeases());
    return details;
  }

  @Override
  public String toString() {
    return "DedupCounts" + get();
  }
}
