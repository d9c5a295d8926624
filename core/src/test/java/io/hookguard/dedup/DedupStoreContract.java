package io.hookguard.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DedupStore} must do, run against each implementation: subclasses supply the
 * store and a way to let time pass in it.
 */
abstract class DedupStoreContract {
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Duration RETENTION = Duration.ofHours(72);
  static final String FP = "fingerprint-a";

  abstract DedupStore store();

  /** Lets the store's own clock move forward. */
  abstract void advance(Duration duration) throws Exception;

  private String acquire(String key) {
    ClaimResult result = store().claim(key, FP, LEASE);
    assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
    return ((ClaimResult.Acquired) result).token();
  }

  @Test
  void newKeyIsAcquiredWithAFreshToken() {
    ClaimResult first = store().claim("k-new-1", FP, LEASE);
    ClaimResult second = store().claim("k-new-2", FP, LEASE);

    assertThat(first).isInstanceOf(ClaimResult.Acquired.class);
    assertThat(((ClaimResult.Acquired) first).token())
        .isNotEqualTo(((ClaimResult.Acquired) second).token());
  }

  @Test
  void heldKeyIsInProgressWithTheRemainingLease() throws Exception {
    acquire("k-held");
    advance(Duration.ofSeconds(10));

    ClaimResult again = store().claim("k-held", FP, LEASE);

    assertThat(again).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(((ClaimResult.InProgress) again).remainingLease())
        .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
  }

  @Test
  void completedKeyIsCompletedUntilRetentionEnds() throws Exception {
    String token = acquire("k-done");
    assertThat(store().complete("k-done", token, RETENTION)).isTrue();

    advance(LEASE.plusSeconds(1));
    assertThat(store().claim("k-done", FP, LEASE)).isInstanceOf(ClaimResult.Completed.class);

    advance(RETENTION);
    assertThat(store().claim("k-done", FP, LEASE)).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void releasedKeyIsAcquiredAgain() {
    String token = acquire("k-released");
    assertThat(store().release("k-released", token)).isTrue();

    assertThat(store().claim("k-released", FP, LEASE)).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void expiredLeaseLetsTheNextDeliveryAcquire() throws Exception {
    acquire("k-lease");
    advance(LEASE.plusSeconds(1));

    assertThat(store().claim("k-lease", FP, LEASE)).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void aHolderWhoseLeaseExpiredCannotTouchTheNextHoldersClaim() throws Exception {
    String stale = acquire("k-race");
    advance(LEASE.plusSeconds(1));
    String current = acquire("k-race");

    assertThat(store().complete("k-race", stale, RETENTION)).isFalse();
    assertThat(store().extend("k-race", stale, LEASE)).isFalse();
    assertThat(store().release("k-race", stale)).isFalse();
    assertThat(store().claim("k-race", FP, LEASE)).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(store().complete("k-race", current, RETENTION)).isTrue();
    assertThat(store().claim("k-race", FP, LEASE)).isInstanceOf(ClaimResult.Completed.class);
  }

  @Test
  void wrongTokenCannotCompleteReleaseOrExtend() {
    acquire("k-token");

    assertThat(store().complete("k-token", "not-the-token", RETENTION)).isFalse();
    assertThat(store().release("k-token", "not-the-token")).isFalse();
    assertThat(store().extend("k-token", "not-the-token", LEASE)).isFalse();
    assertThat(store().claim("k-token", FP, LEASE)).isInstanceOf(ClaimResult.InProgress.class);
  }

  @Test
  void completedRecordCannotBeReleasedOrExtended() {
    String token = acquire("k-final");
    store().complete("k-final", token, RETENTION);

    assertThat(store().release("k-final", token)).isFalse();
    assertThat(store().extend("k-final", token, LEASE)).isFalse();
    assertThat(store().complete("k-final", token, RETENTION)).isFalse();
    assertThat(store().claim("k-final", FP, LEASE)).isInstanceOf(ClaimResult.Completed.class);
  }

  @Test
  void extendKeepsTheClaimPastItsFirstLease() throws Exception {
    String token = acquire("k-extend");
    advance(Duration.ofSeconds(20));
    assertThat(store().extend("k-extend", token, LEASE)).isTrue();
    advance(Duration.ofSeconds(20));

    assertThat(store().claim("k-extend", FP, LEASE)).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(store().complete("k-extend", token, RETENTION)).isTrue();
  }

  @Test
  void sameIdWithAnotherBodyIsAMismatchWhileRunningAndAfter() {
    String token = acquire("k-fp");
    assertThat(store().claim("k-fp", "fingerprint-b", LEASE))
        .isInstanceOf(ClaimResult.FingerprintMismatch.class);
    store().complete("k-fp", token, RETENTION);
    assertThat(store().claim("k-fp", "fingerprint-b", LEASE))
        .isInstanceOf(ClaimResult.FingerprintMismatch.class);
  }

  @Test
  void keysAreIndependent() {
    String stripe = acquire("hookguard:shop:stripe:evt_1");
    store().complete("hookguard:shop:stripe:evt_1", stripe, RETENTION);

    assertThat(store().claim("hookguard:shop:github:evt_1", FP, LEASE))
        .isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void nonPositiveDurationsAreRefused() {
    assertThatThrownBy(() -> store().claim("k-zero", FP, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void racingClaimsOnOneKeyAcquireExactlyOnce() throws Exception {
    int threads = 16;
    int rounds = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        String key = "k-burst-" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ClaimResult>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(pool.submit(() -> {
            start.await();
            return store().claim(key, FP, LEASE);
          }));
        }
        start.countDown();
        int acquired = 0;
        for (Future<ClaimResult> result : results) {
          ClaimResult claim = result.get(10, TimeUnit.SECONDS);
          if (claim instanceof ClaimResult.Acquired) {
            acquired++;
          } else {
            assertThat(claim).isInstanceOf(ClaimResult.InProgress.class);
          }
        }
        assertThat(acquired).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
