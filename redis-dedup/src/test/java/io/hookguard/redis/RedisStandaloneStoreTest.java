package io.hookguard.redis;

import io.hookguard.dedup.DedupStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.RedisClient;

/** The store contract on a real standalone Redis server, through a pooled {@code RedisClient}. */
class RedisStandaloneStoreTest extends RedisStoreContract {
  private static RedisProcess redis;
  private static RedisClient client;
  private static RedisDedupStore store;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
    client = RedisClient.builder().hostAndPort(redis.address())
        .clientConfig(RedisDedupStore.recommendedClientConfig().build()).build();
    store = RedisDedupStore.create(client);
  }

  @AfterAll
  static void stopRedis() {
    client.close();
    redis.close();
  }

  @Override
  protected DedupStore store() {
    return store;
  }

  @Override
  List<RedisProcess> nodes() {
    return List.of(redis);
  }
}
