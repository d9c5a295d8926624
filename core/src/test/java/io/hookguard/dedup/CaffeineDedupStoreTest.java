package io.hookguard.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CaffeineDedupStoreTest extends DedupStoreContract {
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

  @Test
  void sizeBoundEvictsAndCountsIt() {
    CaffeineDedupStore small = CaffeineDedupStore.builder().maximumSize(10).ticker(nanos::get).build();
    for (int i = 0; i < 100; i++) {
      ClaimResult claim = small.claim("k-" + i, FP, lease());
      small.complete("k-" + i, ((ClaimResult.Acquired) claim).token(), retention());
    }
    // Caffeine applies the bound on its asynchronous maintenance cycle; run it now.
    small.cleanUp();

    assertThat(small.evictionCount()).isPositive();
    assertThat(small.estimatedSize()).isLessThanOrEqualTo(10);
    assertThat(small.evictionCount()).isEqualTo(100 - small.estimatedSize());
  }

  @Test
  void describesItselfWithoutKeys() {
    store.claim("secret-event-id", FP, lease());

    assertThat(store.toString()).doesNotContain("secret-event-id").contains("1 keys");
  }
}
