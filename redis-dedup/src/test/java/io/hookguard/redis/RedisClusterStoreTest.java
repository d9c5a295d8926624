package io.hookguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/** The store contract on a real three-master Redis Cluster, through a {@code RedisClusterClient}. */
class RedisClusterStoreTest extends RedisStoreContract {
  private static RedisClusterProcesses cluster;
  private static RedisClusterClient client;
  private static RedisDedupStore store;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcesses.start();
    client = RedisClusterClient.builder().nodes(cluster.addresses())
        .clientConfig(RedisDedupStore.recommendedClientConfig().build()).build();
    store = RedisDedupStore.create(client);
  }

  @AfterAll
  static void stopCluster() {
    client.close();
    cluster.close();
  }

  @Override
  protected DedupStore store() {
    return store;
  }

  @Override
  List<RedisProcess> nodes() {
    return cluster.nodes();
  }

  @Test
  void eventsSpreadOverEveryMaster() {
    DedupEngine engine = DedupEngine.builder(store).build();
    for (int i = 0; i < 60; i++) {
      String key = engine.key("/webhooks/stripe", "stripe", "evt_" + i);
      String token = ((ClaimResult.Acquired) store.claim(key, FP, lease())).token();
      assertThat(store.complete(key, token, retention())).isTrue();
    }

    Set<Integer> portsHoldingKeys = new HashSet<>();
    long total = 0;
    for (RedisProcess node : cluster.nodes()) {
      try (Jedis jedis = new Jedis(node.address())) {
        long keys = jedis.dbSize();
        total += keys;
        if (keys > 0) {
          portsHoldingKeys.add(node.port());
        }
      }
    }
    assertThat(total).isEqualTo(60);
    assertThat(portsHoldingKeys).hasSize(3);
  }

  @Test
  void backgroundCompletionsReachEveryMasterInOnePipeline() {
    DedupEngine engine = DedupEngine.builder(store).build();
    List<String> keys = new ArrayList<>();
    try (RedisDedupStore background = RedisDedupStore.builder(client).completeInBackground(true).build()) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        keys.add(engine.key("/webhooks/stripe", "stripe", "evt_bg_" + i));
        tokens.add(((ClaimResult.Acquired) background.claim(keys.get(i), FP, lease())).token());
      }
      // Queued together, so batches mix keys of all three masters.
      for (int i = 0; i < 200; i++) {
        assertThat(background.complete(keys.get(i), tokens.get(i), retention())).isTrue();
      }
      background.close();
      assertThat(background.unrecordedCompletions()).isZero();
    }
    for (String key : keys) {
      assertThat(store.claim(key, FP, lease())).as(key).isInstanceOf(ClaimResult.Completed.class);
    }
  }
}
