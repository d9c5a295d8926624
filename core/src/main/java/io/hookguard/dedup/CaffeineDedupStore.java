package io.hookguard.dedup;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The embedded {@link DedupStore}: in-process, on a Caffeine cache with per-entry expiry (the
 * lease while in progress, the retention once completed) and a size bound. It deduplicates within
 * one JVM only; services with several instances need a shared store.
 *
 * <p>When the size bound evicts a completed record before its retention ends, a later retry of
 * that event runs again; {@link #evictionCount()} makes that visible.
 */
public final class CaffeineDedupStore implements DedupStore {

  /** One key's state. */
  private record Entry(String token, String fingerprint, boolean completed, long expiresAtNanos) {}

  private final Cache<String, Entry> cache;
  private final ConcurrentMap<String, Entry> map;
  private final Ticker ticker;

  private CaffeineDedupStore(Builder builder) {
    this.ticker = builder.ticker;
    this.cache = Caffeine.newBuilder()
        .maximumSize(builder.maximumSize)
        .ticker(ticker)
        // Expiry and eviction run on the writing thread. Handed to the common pool (the default),
        // every claim and completion woke a pool thread; profiled under load on two cores, that
        // hand-off cost more than the bookkeeping itself.
        .executor(Runnable::run)
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return Math.max(0, entry.expiresAtNanos() - currentTime);
          }

          @Override
          public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return Math.max(0, entry.expiresAtNanos() - currentTime);
          }

          @Override
          public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .recordStats()
        .build();
    this.map = cache.asMap();
  }

  /**
   * A store with the defaults: at most 100,000 keys, the system ticker.
   *
   * @return a new store
   */
  public static CaffeineDedupStore create() {
    return builder().build();
  }

  /**
   * A builder for a store with a different size bound or ticker.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ClaimResult claim(String key, String fingerprint, Duration lease) {
    requireNonNull(key, "key");
    requireNonNull(fingerprint, "fingerprint");
    String token = DedupStore.newClaimToken();
    Entry fresh = new Entry(token, fingerprint, false, deadline(lease));
    Entry existing = map.putIfAbsent(key, fresh);
    if (existing == null) {
      return new ClaimResult.Acquired(token);
    }
    if (!existing.fingerprint().equals(fingerprint)) {
      return new ClaimResult.FingerprintMismatch();
    }
    if (existing.completed()) {
      return new ClaimResult.Completed();
    }
    return new ClaimResult.InProgress(Duration.ofNanos(Math.max(0, existing.expiresAtNanos() - ticker.read())));
  }

  @Override
  public boolean complete(String key, String token, Duration retention) {
    long deadline = deadline(retention);
    return changeHeld(key, token, held -> new Entry(token, held.fingerprint(), true, deadline));
  }

  @Override
  public boolean release(String key, String token) {
    return changeHeld(key, token, held -> null);
  }

  @Override
  public boolean extend(String key, String token, Duration lease) {
    long deadline = deadline(lease);
    return changeHeld(key, token, held -> new Entry(token, held.fingerprint(), false, deadline));
  }

  /**
   * Replaces (or removes, for null) the in-progress entry the token holds, in one atomic step,
   * so that a concurrent extend by the same holder cannot make its completion fail.
   */
  private boolean changeHeld(String key, String token, java.util.function.Function<Entry, @Nullable Entry> change) {
    requireNonNull(key, "key");
    requireNonNull(token, "token");
    boolean[] changed = {false};
    map.computeIfPresent(key, (k, entry) -> {
      if (entry.completed() || !entry.token().equals(token)) {
        return entry;
      }
      changed[0] = true;
      return change.apply(entry);
    });
    return changed[0];
  }

  /**
   * How many records the size bound evicted before they expired.
   *
   * @return the eviction count since the store was created
   */
  public long evictionCount() {
    return cache.stats().evictionCount();
  }

  /**
   * How many keys the store holds now, expired ones possibly included until cleaned up.
   *
   * @return the approximate number of keys
   */
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  /** Runs Caffeine's pending maintenance (eviction, expiry) now; for tests. */
  void cleanUp() {
    cache.cleanUp();
  }

  private long deadline(Duration ttl) {
    if (requireNonNull(ttl, "ttl").isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease and retention must be positive: " + ttl);
    }
    return ticker.read() + ttl.toNanos();
  }

  @Override
  public String toString() {
    return "CaffeineDedupStore[" + cache.estimatedSize() + " keys]";
  }

  /** Configures a {@link CaffeineDedupStore}. */
  public static final class Builder {
    private long maximumSize = 100_000;
    private Ticker ticker = Ticker.systemTicker();

    private Builder() {}

    /**
     * The most keys held; beyond it the least likely to be used again are evicted (and counted).
     *
     * @param maximumSize a positive number of keys
     * @return this builder
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("maximumSize must be positive: " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * The time source for leases and retention; tests pass a fake one.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Makes the store.
     *
     * @return the store
     */
    public CaffeineDedupStore build() {
      return new CaffeineDedupStore(this);
    }
  }
}
