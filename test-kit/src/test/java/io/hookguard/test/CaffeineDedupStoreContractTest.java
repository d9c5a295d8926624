package io.hookguard.test;

import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;

/** The embedded store against the published contract, on a fake ticker. */
class CaffeineDedupStoreContractTest extends DedupStoreContract {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private CaffeineDedupStore store;

  @BeforeEach
  void createStore() {
    // Every read moves the clock a nanosecond, as a real one does: equal-looking records stay distinct.
    store = CaffeineDedupStore.builder().ticker(nanos::incrementAndGet).build();
  }

  @Override
  protected DedupStore store() {
    return store;
  }

  @Override
  protected void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
