package io.hookguard.examples.receiver;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** How often each event's handler ran: the receiver's visible proof of exactly-once. */
@Component
public class ProcessedEvents {
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** Created by Spring. */
  public ProcessedEvents() {}

  /**
   * Records one run of an event's handler.
   *
   * @param eventId the event id
   */
  public void ran(String eventId) {
    runs.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
  }

  /** @return each processed event id and how many times its handler ran */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    runs.forEach((id, count) -> counts.put(id, count.get()));
    return counts;
  }
}
