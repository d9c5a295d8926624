package io.hookguard.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupStore;
import io.hookguard.redis.RedisDedupStore;
import io.hookguard.redis.RedisProcess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Events deduplicated per second: a claim and its completion on a fresh key (what every new
 * delivery costs), beside the baseline of the same store's bare primitive with the same client:
 * one {@code SET key value NX PX} round trip on Redis (a real local server started here), one
 * {@code putIfAbsent} on a Caffeine map. Run with {@code -t 1} (one client thread) and
 * {@code -t 8} (a pool under concurrency). With {@code redis-background} a completion is queued
 * for the store's writer thread; the trial's end writes what is left and fails the run if any
 * completion was not recorded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DedupThroughput {
  private static final Duration LEASE = Duration.ofSeconds(30);
  // Short, so that the keys a run writes expire instead of filling the benchmark server.
  private static final Duration RETENTION = Duration.ofSeconds(20);
  private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  /**
   * {@code caffeine}, {@code redis} (completion waits for Redis), or {@code redis-background}
   * (completions queued and pipelined by the store's writer thread).
   */
  @Param({"caffeine", "redis", "redis-background"})
  public String store;

  private final AtomicLong keys = new AtomicLong();
  private RedisProcess redis;
  private RedisClient client;
  private DedupStore dedup;
  private RedisDedupStore redisStore;
  private Cache<String, String> bare;

  /** Starts Redis (for the redis store) and builds the store. */
  @Setup(Level.Trial)
  public void setUp() {
    if (store.startsWith("redis")) {
      redis = RedisProcess.start();
      client = RedisClient.builder().hostAndPort(redis.address())
          .clientConfig(RedisDedupStore.recommendedClientConfig().build()).build();
      redisStore = RedisDedupStore.builder(client).completeInBackground(store.equals("redis-background")).build();
      dedup = redisStore;
    } else {
      dedup = CaffeineDedupStore.builder().maximumSize(1_000_000).build();
      bare = Caffeine.newBuilder().maximumSize(1_000_000).build();
    }
  }

  /**
   * Writes queued completions and stops Redis.
   *
   * @throws IllegalStateException when a background completion was not recorded
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (client != null) {
      long start = System.nanoTime();
      redisStore.close();
      // What was still queued at the end shows as the time close() takes to write it: a writer
      // that fell behind would show here, not in the throughput.
      if (store.equals("redis-background")) {
        System.out.printf("%n[%s] close() wrote the remaining completions in %.1f ms%n", store,
            (System.nanoTime() - start) / 1e6);
      }
      client.close();
      redis.close();
      if (redisStore.unrecordedCompletions() != 0) {
        throw new IllegalStateException(redisStore.unrecordedCompletions() + " completions were not recorded");
      }
    }
  }

  /** @return whether the completion was recorded (queued, for {@code redis-background}) */
  @Benchmark
  public boolean claimAndComplete() {
    String key = "hookguard:/bench:stripe:evt_" + keys.incrementAndGet();
    ClaimResult claim = dedup.claim(key, FINGERPRINT, LEASE);
    return dedup.complete(key, ((ClaimResult.Acquired) claim).token(), RETENTION);
  }

  /** @return whether the bare primitive claimed the key */
  @Benchmark
  public boolean baselineBareClaim() {
    String key = "hookguard:/bench:stripe:evt_" + keys.incrementAndGet();
    if (client != null) {
      return "OK".equals(client.set(key, FINGERPRINT, SetParams.setParams().nx().px(RETENTION.toMillis())));
    }
    return bare.asMap().putIfAbsent(key, FINGERPRINT) == null;
  }
}
