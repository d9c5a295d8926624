package io.hookguard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupOutcome;
import io.hookguard.dedup.DedupStoreException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The engine on a real Redis that dies, hangs and comes back: killed with SIGKILL, paused with
 * SIGSTOP, restarted on the same port from its append-only file. Senders are simulated: a
 * delivery that was not acknowledged (unavailable, in progress, handler failure) is retried.
 */
class RedisOutageTest {
  private RedisProcess redis;
  private RedisClient client;
  private RedisDedupStore store;
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  @BeforeEach
  void startRedis() {
    // Durable like a production primary: every write is on disk before Redis answers.
    redis = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
    client = RedisClient.builder().hostAndPort(redis.address())
        .clientConfig(RedisDedupStore.recommendedClientConfig().socketTimeoutMillis(300).build()).build();
    store = RedisDedupStore.create(client);
  }

  @AfterEach
  void stopRedis() {
    client.close();
    redis.close();
  }

  private static byte[] body(String eventId) {
    return ("{\"id\":\"" + eventId + "\"}").getBytes(UTF_8);
  }

  private Callable<Integer> handler(String eventId) {
    return () -> {
      runs.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
      return 200;
    };
  }

  private DedupOutcome<Integer> deliver(DedupEngine engine, String eventId) throws Exception {
    return engine.process("/webhooks/stripe", "stripe", eventId, body(eventId), handler(eventId), s -> s < 300);
  }

  /** Retries like a sender until the receiver acknowledges (processed or duplicate). */
  private DedupOutcome<Integer> deliverUntilAcknowledged(DedupEngine engine, String eventId) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      DedupOutcome<Integer> outcome = deliver(engine, eventId);
      if (outcome instanceof DedupOutcome.Processed || outcome instanceof DedupOutcome.Duplicate) {
        return outcome;
      }
      RedisProcess.sleep(50);
    }
    throw new AssertionError("never acknowledged: " + eventId);
  }

  private int runsOf(String eventId) {
    return runs.getOrDefault(eventId, new AtomicInteger()).get();
  }

  @Test
  void killedRedisFailsClosedAndAfterARestartNothingRunsTwiceAndNothingIsLost() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).outageRetryAfter(Duration.ofSeconds(5)).build();
    List<String> before = List.of("evt_1", "evt_2", "evt_3");
    for (String id : before) {
      assertThat(deliver(engine, id)).isInstanceOf(DedupOutcome.Processed.class);
    }

    redis.kill();
    for (String id : List.of("evt_1", "evt_4", "evt_5")) {
      assertThat(deliver(engine, id)).isEqualTo(new DedupOutcome.StoreUnavailable<>(Duration.ofSeconds(5)));
    }
    assertThat(runsOf("evt_4")).isZero();

    redis.restart();
    // Every sender retries everything it has not seen acknowledged, and some retry twice.
    for (String id : List.of("evt_1", "evt_2", "evt_3", "evt_4", "evt_5", "evt_4", "evt_1")) {
      deliverUntilAcknowledged(engine, id);
    }
    for (String id : List.of("evt_1", "evt_2", "evt_3", "evt_4", "evt_5")) {
      assertThat(runsOf(id)).as(id).isEqualTo(1);
    }
    assertThat(deliver(engine, "evt_2")).isInstanceOf(DedupOutcome.Duplicate.class);
  }

  @Test
  void killedRedisFailsOpenWhenAskedAndCountsEveryRun() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).failOpen().build();
    redis.kill();

    assertThat(deliver(engine, "evt_open_1"))
        .isEqualTo(new DedupOutcome.ProcessedWithoutDedup<>(200, DedupOutcome.Reason.STORE_UNAVAILABLE));
    assertThat(deliver(engine, "evt_open_2")).isInstanceOf(DedupOutcome.ProcessedWithoutDedup.class);

    assertThat(runsOf("evt_open_1")).isEqualTo(1);
    assertThat(engine.failOpenRuns()).isEqualTo(2);
  }

  @Test
  void aHungRedisAnswersWithinTheSocketTimeoutAndItsLateClaimOnlyDelaysTheRetry() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).lease(Duration.ofSeconds(1)).build();
    assertThat(deliver(engine, "evt_warm")).isInstanceOf(DedupOutcome.Processed.class);
    redis.pause(true);
    try {
      long start = System.nanoTime();
      assertThat(deliver(engine, "evt_hung")).isInstanceOf(DedupOutcome.StoreUnavailable.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(runsOf("evt_hung")).isZero();
    } finally {
      redis.pause(false);
    }
    // The timed-out SET NX was still queued and lands after the resume: nobody holds its token,
    // so the event is "in progress" until that lease ends, then the retry runs it once.
    assertThat(deliver(engine, "evt_hung")).isInstanceOf(DedupOutcome.InProgress.class);
    assertThat(deliverUntilAcknowledged(engine, "evt_hung")).isInstanceOf(DedupOutcome.Processed.class);
    assertThat(runsOf("evt_hung")).isEqualTo(1);
  }

  @Test
  void aFailedHandlerIsReleasedAndTheRetryRuns() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).build();
    AtomicInteger attempts = new AtomicInteger();
    Callable<Integer> failsOnce = () -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("downstream unavailable");
      }
      return 200;
    };

    assertThatThrownBy(() -> engine.process("/webhooks/stripe", "stripe", "evt_fail", body("evt_fail"),
        failsOnce, s -> s < 300)).isInstanceOf(IllegalStateException.class);
    assertThat(engine.process("/webhooks/stripe", "stripe", "evt_fail", body("evt_fail"), failsOnce, s -> s < 300))
        .isEqualTo(new DedupOutcome.Processed<>(200, true, true));
    // A 5xx answer is a failure too: released, retried.
    assertThat(engine.process("/webhooks/stripe", "stripe", "evt_503", body("evt_503"), () -> 503, s -> s < 300))
        .isEqualTo(new DedupOutcome.Processed<>(503, false, true));
    assertThat(deliver(engine, "evt_503")).isInstanceOf(DedupOutcome.Processed.class);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void aSuccessWhoseCompletionCannotBeWrittenStandsAndIsCounted() throws Exception {
    DedupEngine engine = DedupEngine.builder(store).build();

    DedupOutcome<Integer> outcome = engine.process("/webhooks/stripe", "stripe", "evt_lost_write",
        body("evt_lost_write"), () -> {
          redis.kill();
          return 200;
        }, s -> s < 300);

    assertThat(outcome).isEqualTo(new DedupOutcome.Processed<>(200, true, false));
    assertThat(engine.unrecordedOutcomes()).isEqualTo(1);
  }

  @Test
  void everyCallOnADeadServerIsAStoreException() {
    redis.kill();

    assertThatThrownBy(() -> store.claim("k", "fp", Duration.ofSeconds(1))).isInstanceOf(DedupStoreException.class);
    assertThatThrownBy(() -> store.complete("k", "t", Duration.ofSeconds(1))).isInstanceOf(DedupStoreException.class);
    assertThatThrownBy(() -> store.release("k", "t")).isInstanceOf(DedupStoreException.class);
    assertThatThrownBy(() -> store.extend("k", "t", Duration.ofSeconds(1))).isInstanceOf(DedupStoreException.class);
  }
}
