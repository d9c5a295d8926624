package io.hookguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupStore;
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
 * What every {@link DedupStore} must do, as a JUnit Jupiter suite a store's own test extends: the
 * same cases Hookguard's stores pass (the embedded Caffeine store; Redis standalone and Cluster).
 * A subclass supplies the store, a way to let time pass in it, and the time unit the cases count
 * durations in, so that a store on a real clock runs the same cases in seconds.
 *
 * <pre>{@code
 * class MyStoreTest extends DedupStoreContract {
 *   private final MyStore store = ...;                    // against a real server
 *   protected DedupStore store() { return store; }
 *   protected void advance(Duration d) throws InterruptedException { Thread.sleep(d.toMillis()); }
 *   protected Duration unit() { return Duration.ofMillis(100); }   // a lease is 3 s
 * }
 * }</pre>
 *
 * <p>The cases: atomic claim (one winner among racing threads), token-checked complete, release
 * and extend (a holder whose lease ran out cannot touch the next claim), lease and retention
 * expiry, fingerprint mismatch, keys of different endpoints never colliding, and refusal of
 * non-positive durations. Each case uses its own keys; the store should start empty.
 */
public abstract class DedupStoreContract {
  /** For subclasses, one instance per case as JUnit makes them. */
  protected DedupStoreContract() {}

  /** The fingerprint of the body most cases claim with. */
  protected static final String FP = "fingerprint-a";

  /**
   * The store under test, the same instance for the whole case.
   *
   * @return the store
   */
  protected abstract DedupStore store();

  /**
   * Lets the store's own clock move forward (a fake ticker, or real sleeping).
   *
   * @param duration how far
   * @throws Exception when waiting is interrupted
   */
  protected abstract void advance(Duration duration) throws Exception;

  /**
   * The unit the cases' leases and retentions are counted in: a lease is 30 units.
   *
   * @return the unit
   */
  protected Duration unit() {
    return Duration.ofSeconds(1);
  }

  private Duration units(long count) {
    return unit().multipliedBy(count);
  }

  /** @return the lease the cases claim with: 30 units */
  protected final Duration lease() {
    return units(30);
  }

  /** @return the retention the cases complete with: 40 units, longer than the lease */
  protected final Duration retention() {
    return units(40);
  }

  private String acquire(String key) {
    ClaimResult result = store().claim(key, FP, lease());
    assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
    return ((ClaimResult.Acquired) result).token();
  }

  @Test
  void newKeyIsAcquiredWithAFreshToken() {
    ClaimResult first = store().claim("k-new-1", FP, lease());
    ClaimResult second = store().claim("k-new-2", FP, lease());

    assertThat(first).isInstanceOf(ClaimResult.Acquired.class);
    assertThat(((ClaimResult.Acquired) first).token())
        .isNotEqualTo(((ClaimResult.Acquired) second).token());
  }

  @Test
  void heldKeyIsInProgressWithTheRemainingLease() throws Exception {
    acquire("k-held");
    advance(units(10));

    ClaimResult again = store().claim("k-held", FP, lease());

    assertThat(again).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(((ClaimResult.InProgress) again).remainingLease())
        .isBetween(units(15), units(20));
  }

  @Test
  void completedKeyIsCompletedUntilRetentionEnds() throws Exception {
    String token = acquire("k-done");
    assertThat(store().complete("k-done", token, retention())).isTrue();

    advance(lease().plus(unit()));
    assertThat(store().claim("k-done", FP, lease())).isInstanceOf(ClaimResult.Completed.class);

    advance(retention());
    assertThat(store().claim("k-done", FP, lease())).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void releasedKeyIsAcquiredAgain() {
    String token = acquire("k-released");
    assertThat(store().release("k-released", token)).isTrue();

    assertThat(store().claim("k-released", FP, lease())).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void expiredLeaseLetsTheNextDeliveryAcquire() throws Exception {
    acquire("k-lease");
    advance(lease().plus(unit()));

    assertThat(store().claim("k-lease", FP, lease())).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void aHolderWhoseLeaseExpiredCannotTouchTheNextHoldersClaim() throws Exception {
    String stale = acquire("k-race");
    advance(lease().plus(unit()));
    String current = acquire("k-race");

    assertThat(store().complete("k-race", stale, retention())).isFalse();
    assertThat(store().extend("k-race", stale, lease())).isFalse();
    assertThat(store().release("k-race", stale)).isFalse();
    assertThat(store().claim("k-race", FP, lease())).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(store().complete("k-race", current, retention())).isTrue();
    assertThat(store().claim("k-race", FP, lease())).isInstanceOf(ClaimResult.Completed.class);
  }

  @Test
  void wrongTokenCannotCompleteReleaseOrExtend() {
    acquire("k-token");

    assertThat(store().complete("k-token", "not-the-token", retention())).isFalse();
    assertThat(store().release("k-token", "not-the-token")).isFalse();
    assertThat(store().extend("k-token", "not-the-token", lease())).isFalse();
    assertThat(store().claim("k-token", FP, lease())).isInstanceOf(ClaimResult.InProgress.class);
  }

  @Test
  void completedRecordCannotBeReleasedOrExtended() {
    String token = acquire("k-final");
    store().complete("k-final", token, retention());

    assertThat(store().release("k-final", token)).isFalse();
    assertThat(store().extend("k-final", token, lease())).isFalse();
    assertThat(store().complete("k-final", token, retention())).isFalse();
    assertThat(store().claim("k-final", FP, lease())).isInstanceOf(ClaimResult.Completed.class);
  }

  @Test
  void extendKeepsTheClaimPastItsFirstLease() throws Exception {
    String token = acquire("k-extend");
    advance(units(20));
    assertThat(store().extend("k-extend", token, lease())).isTrue();
    advance(units(20));

    assertThat(store().claim("k-extend", FP, lease())).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(store().complete("k-extend", token, retention())).isTrue();
  }

  @Test
  void aDuplicatesClaimNeitherResetsNorFreezesTheHoldersLease() throws Exception {
    String token = acquire("k-dup-extend");
    assertThat(store().claim("k-dup-extend", FP, lease())).isInstanceOf(ClaimResult.InProgress.class);
    advance(units(20));
    assertThat(store().extend("k-dup-extend", token, lease())).isTrue();
    advance(units(20));

    // 40 units in: only the extension made at 20 keeps the claim.
    assertThat(store().claim("k-dup-extend", FP, lease())).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(store().complete("k-dup-extend", token, retention())).isTrue();
    assertThat(store().claim("k-dup-extend", FP, lease())).isInstanceOf(ClaimResult.Completed.class);
  }

  @Test
  void aHoldersExtendRacingItsCompletionNeverFailsTheCompletion() throws Exception {
    for (int round = 0; round < 50; round++) {
      String key = "k-extend-race-" + round;
      String token = acquire(key);
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      CountDownLatch extending = new CountDownLatch(1);
      Thread extender = new Thread(() -> {
        while (!done.get() && store().extend(key, token, lease())) {
          extending.countDown();
        }
        extending.countDown();
      });
      extender.start();
      extending.await();
      boolean completed = store().complete(key, token, retention());
      done.set(true);
      extender.join();

      assertThat(completed).as("round %d", round).isTrue();
      assertThat(store().claim(key, FP, lease())).isInstanceOf(ClaimResult.Completed.class);
    }
  }

  @Test
  void sameIdWithAnotherBodyIsAMismatchWhileRunningAndAfter() {
    String token = acquire("k-fp");
    assertThat(store().claim("k-fp", "fingerprint-b", lease()))
        .isInstanceOf(ClaimResult.FingerprintMismatch.class);
    store().complete("k-fp", token, retention());
    assertThat(store().claim("k-fp", "fingerprint-b", lease()))
        .isInstanceOf(ClaimResult.FingerprintMismatch.class);
  }

  @Test
  void keysOfTwoProvidersOrEndpointsNeverCollide() {
    DedupEngine engine = DedupEngine.builder(store()).build();
    String stripe = engine.key("/webhooks/shop", "stripe", "evt_1");
    store().complete(stripe, acquire(stripe), retention());

    assertThat(store().claim(engine.key("/webhooks/shop", "github", "evt_1"), FP, lease()))
        .isInstanceOf(ClaimResult.Acquired.class);
    assertThat(store().claim(engine.key("/webhooks/other", "stripe", "evt_1"), FP, lease()))
        .isInstanceOf(ClaimResult.Acquired.class);
    assertThat(store().claim(stripe, FP, lease())).isInstanceOf(ClaimResult.Completed.class);
  }

  @Test
  void nonPositiveDurationsAreRefused() {
    assertThatThrownBy(() -> store().claim("k-zero", FP, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().claim("k-negative", FP, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    String token = acquire("k-positive");
    assertThatThrownBy(() -> store().complete("k-positive", token, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().extend("k-positive", token, Duration.ZERO))
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
            return store().claim(key, FP, lease());
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
