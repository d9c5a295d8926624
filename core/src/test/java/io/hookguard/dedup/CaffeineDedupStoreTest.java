package io.hookguard.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the Caffeine store does. The store contract every store passes runs against it in
 * {@code hookguard-test} ({@code CaffeineDedupStoreContractTest}), where the contract is published.
 */
class CaffeineDedupStoreTest {
  private static final String FP = "fingerprint-a";
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private CaffeineDedupStore store;

  private static Duration lease() {
    return Duration.ofSeconds(30);
  }

  private static Duration retention() {
    return Duration.ofSeconds(40);
  }

  @BeforeEach
  void createStore() {
    // Every read moves the clock a nanosecond, as a real one does: equal-looking records stay distinct.
    store = CaffeineDedupStore.builder().ticker(nanos::incrementAndGet).build();
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

  @Test
  void updatedRecordsExpireOnTheirNewDeadlineWhateverTheTickersOrigin() {
    AtomicLong late = new AtomicLong(Long.MAX_VALUE / 4); // a ticker far from zero, as System.nanoTime may be
    CaffeineDedupStore farStore = CaffeineDedupStore.builder().ticker(late::get).build();
    String token = ((ClaimResult.Acquired) farStore.claim("k", FP, Duration.ofSeconds(10))).token();
    late.addAndGet(Duration.ofSeconds(8).toNanos());
    assertThat(farStore.extend("k", token, Duration.ofSeconds(10))).isTrue();
    late.addAndGet(Duration.ofSeconds(8).toNanos());
    assertThat(farStore.claim("k", FP, Duration.ofSeconds(10))).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(farStore.complete("k", token, Duration.ofSeconds(20))).isTrue();
    late.addAndGet(Duration.ofSeconds(19).toNanos());
    assertThat(farStore.claim("k", FP, Duration.ofSeconds(10))).isInstanceOf(ClaimResult.Completed.class);
    late.addAndGet(Duration.ofSeconds(2).toNanos());

    assertThat(farStore.claim("k", FP, Duration.ofSeconds(10))).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void theSizeBoundMustBePositive() {
    for (long size : new long[] {0, -1}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaffeineDedupStore.builder().maximumSize(size))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize must be positive");
    }
    assertThat(CaffeineDedupStore.builder().maximumSize(1).build().estimatedSize()).isZero();
  }
}
