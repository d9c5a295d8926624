package io.hookguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Background completion on a real Redis: every queued completion lands (one thread or many, a
 * full queue or a closing store), a finished event never reads as free in between, and what
 * cannot be written is counted rather than lost silently.
 */
class RedisBackgroundCompletionTest {
  private static final String FP = "fingerprint";
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration RETENTION = Duration.ofMinutes(5);

  private static RedisProcess redis;
  private static RedisClient client;
  /** Completes synchronously: the observer that reads what the background writer wrote. */
  private static RedisDedupStore observer;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
    client = RedisClient.builder().hostAndPort(redis.address())
        .clientConfig(RedisDedupStore.recommendedClientConfig().build()).build();
    observer = RedisDedupStore.create(client);
  }

  @AfterAll
  static void stopRedis() {
    client.close();
    redis.close();
  }

  @BeforeEach
  void empty() {
    try (Jedis jedis = new Jedis(redis.address())) {
      jedis.flushAll();
    }
  }

  private static RedisDedupStore background(int capacity) {
    return RedisDedupStore.builder(client).completeInBackground(true).queueCapacity(capacity).build();
  }

  private static String claim(RedisDedupStore store, String key) {
    return ((ClaimResult.Acquired) store.claim(key, FP, LEASE)).token();
  }

  /** Runs {@code perThread.accept(thread)} on each of {@code threads} threads and waits for all. */
  private static void onThreads(int threads, IntConsumer perThread) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> perThread.accept(thread)));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertAllCompleted(String prefix, int threads, int perThread) {
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(observer.claim(prefix + t + "-" + i, FP, LEASE)).as("%s%d-%d", prefix, t, i)
            .isInstanceOf(ClaimResult.Completed.class);
      }
    }
  }

  @Test
  void completionsFromManyThreadsAllLandAndAFinishedEventNeverReadsAsFree() throws Exception {
    int threads = 8;
    int perThread = 300;
    AtomicInteger freeAfterCompletion = new AtomicInteger();
    try (RedisDedupStore store = background(RedisDedupStore.BACKGROUND_QUEUE_CAPACITY)) {
      onThreads(threads, thread -> {
        for (int i = 0; i < perThread; i++) {
          String key = "k-" + thread + "-" + i;
          assertThat(store.complete(key, claim(store, key), RETENTION)).isTrue();
          // Written or still queued: either way a duplicate must not get the key.
          if (observer.claim(key, FP, LEASE) instanceof ClaimResult.Acquired) {
            freeAfterCompletion.incrementAndGet();
          }
        }
      });
      store.close();
      assertThat(store.unrecordedCompletions()).isZero();
    }
    assertThat(freeAfterCompletion).hasValue(0);
    assertAllCompleted("k-", threads, perThread);
  }

  @Test
  void aFullQueueMakesTheCallerWriteItselfAndNothingIsDropped() throws Exception {
    int threads = 4;
    int perThread = 200;
    try (RedisDedupStore store = background(1)) {
      onThreads(threads, thread -> {
        for (int i = 0; i < perThread; i++) {
          String key = "full-" + thread + "-" + i;
          assertThat(store.complete(key, claim(store, key), RETENTION)).isTrue();
        }
      });
    }
    assertAllCompleted("full-", threads, perThread);
  }

  @Test
  void closeWritesWhatIsQueuedAndLaterCompletionsAreSynchronousAgain() {
    RedisDedupStore store = background(RedisDedupStore.BACKGROUND_QUEUE_CAPACITY);
    for (int i = 0; i < 100; i++) {
      store.complete("close-" + i, claim(store, "close-" + i), RETENTION);
    }
    store.close();
    for (int i = 0; i < 100; i++) {
      assertThat(observer.claim("close-" + i, FP, LEASE)).isInstanceOf(ClaimResult.Completed.class);
    }

    // Closed: a completion answers for real again, so a wrong token is refused on the spot.
    String token = claim(store, "after-close");
    assertThat(store.complete("after-close", "not-" + token, RETENTION)).isFalse();
    assertThat(store.complete("after-close", token, RETENTION)).isTrue();
    assertThat(observer.claim("after-close", FP, LEASE)).isInstanceOf(ClaimResult.Completed.class);
    store.close();
  }

  @Test
  void closeWaitsForWhatQueuedWhileTheWriterWasStuckOnASlowServer() throws Exception {
    try (RedisProcess slow = RedisProcess.start();
        RedisClient slowClient = RedisClient.builder().hostAndPort(slow.address())
            .clientConfig(RedisDedupStore.recommendedClientConfig().socketTimeoutMillis(5_000).build()).build()) {
      RedisDedupStore store = RedisDedupStore.builder(slowClient).completeInBackground(true).build();
      RedisDedupStore slowObserver = RedisDedupStore.create(slowClient);
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        tokens.add(claim(store, "slow-" + i));
      }
      // Load the script, so that the stuck batch is a plain write rather than a NOSCRIPT retry.
      store.complete("slow-0", tokens.get(0), RETENTION);
      RedisProcess.sleep(200);

      slow.pause(true);
      store.complete("slow-1", tokens.get(1), RETENTION);
      RedisProcess.sleep(200); // the writer now waits on the paused server with slow-1
      for (int i = 2; i < 20; i++) {
        store.complete("slow-" + i, tokens.get(i), RETENTION);
      }
      Thread resume = new Thread(() -> {
        RedisProcess.sleep(500);
        slow.pause(false);
      });
      resume.start();
      store.close(); // closing while the writer is stuck and 18 completions wait behind it
      resume.join();

      assertThat(store.unrecordedCompletions()).isZero();
      for (int i = 0; i < 20; i++) {
        assertThat(slowObserver.claim("slow-" + i, FP, LEASE)).as("slow-%d", i).isInstanceOf(ClaimResult.Completed.class);
      }
    }
  }

  @Test
  void aCompletionForALostClaimIsCountedAndLeavesTheNewHoldersClaimAlone() {
    try (RedisDedupStore store = background(RedisDedupStore.BACKGROUND_QUEUE_CAPACITY)) {
      String stale = ((ClaimResult.Acquired) store.claim("lost", FP, Duration.ofMillis(50))).token();
      RedisProcess.sleep(150);
      String current = claim(observer, "lost");

      assertThat(store.complete("lost", stale, RETENTION)).isTrue();
      store.close();

      assertThat(store.unrecordedCompletions()).isEqualTo(1);
      assertThat(observer.claim("lost", FP, LEASE)).isInstanceOf(ClaimResult.InProgress.class);
      assertThat(observer.complete("lost", current, RETENTION)).isTrue();
    }
  }

  @Test
  void scriptsForgottenByTheServerAreSentAgainFromTheBackground() {
    try (RedisDedupStore store = background(RedisDedupStore.BACKGROUND_QUEUE_CAPACITY)) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        tokens.add(claim(store, "noscript-" + i));
      }
      try (Jedis jedis = new Jedis(redis.address())) {
        jedis.scriptFlush();
      }
      for (int i = 0; i < 50; i++) {
        store.complete("noscript-" + i, tokens.get(i), RETENTION);
      }
      store.close();
      assertThat(store.unrecordedCompletions()).isZero();
    }
    for (int i = 0; i < 50; i++) {
      assertThat(observer.claim("noscript-" + i, FP, LEASE)).isInstanceOf(ClaimResult.Completed.class);
    }
  }

  @Test
  void completionsThatCannotBeWrittenAreCountedAndNeverThrowAtTheCaller() {
    try (RedisProcess dying = RedisProcess.start();
        RedisClient dyingClient = RedisClient.builder().hostAndPort(dying.address())
            .clientConfig(RedisDedupStore.recommendedClientConfig().socketTimeoutMillis(300).build()).build()) {
      RedisDedupStore store = RedisDedupStore.builder(dyingClient).completeInBackground(true).build();
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        tokens.add(claim(store, "down-" + i));
      }
      dying.kill();
      for (int i = 0; i < 20; i++) {
        assertThat(store.complete("down-" + i, tokens.get(i), RETENTION)).isTrue();
      }
      store.close();
      assertThat(store.unrecordedCompletions()).isEqualTo(20);
    }
  }

  @Test
  void throughTheEngineARetryAfterTheCompletionLandsIsADuplicateAndRunsNothing() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (RedisDedupStore store = background(RedisDedupStore.BACKGROUND_QUEUE_CAPACITY)) {
      DedupEngine engine = DedupEngine.builder(store).build();
      byte[] body = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);
      DedupOutcome<Integer> first = engine.process("/hooks", "stripe", "evt_1", body,
          () -> runs.incrementAndGet(), n -> true);
      assertThat(first).isInstanceOf(DedupOutcome.Processed.class);

      // Until the completion is written the retry is told to come back; after, it is a duplicate.
      DedupOutcome<Integer> retry = engine.process("/hooks", "stripe", "evt_1", body, () -> runs.incrementAndGet(), n -> true);
      assertThat(retry).isInstanceOfAny(DedupOutcome.InProgress.class, DedupOutcome.Duplicate.class);
      store.close();
      assertThat(engine.process("/hooks", "stripe", "evt_1", body, () -> runs.incrementAndGet(), n -> true))
          .isInstanceOf(DedupOutcome.Duplicate.class);
    }
    assertThat(runs).hasValue(1);
  }
}
