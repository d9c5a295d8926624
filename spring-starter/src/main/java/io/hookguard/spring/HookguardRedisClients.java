package io.hookguard.spring;

import io.hookguard.redis.RedisDedupStore;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;

/** Builds the Jedis client of {@code hookguard.dedup.redis.*} when the application has none. */
final class HookguardRedisClients {
  private HookguardRedisClients() {}

  static UnifiedJedis create(HookguardProperties.RedisStore redis) {
    long timeout = redis.getTimeout().toMillis();
    if (timeout <= 0 || timeout > Integer.MAX_VALUE) {
      throw new HookguardConfigurationException("hookguard.dedup.redis.timeout",
          "must be positive: " + redis.getTimeout(), "Use a short timeout such as 1s.");
    }
    DefaultJedisClientConfig.Builder config = RedisDedupStore.recommendedClientConfig()
        .connectionTimeoutMillis((int) timeout)
        .socketTimeoutMillis((int) timeout);
    if (redis.isSsl()) {
      // The JVM's default trust store, with host name verification.
      config.sslOptions(SslOptions.builder().build());
    }
    if (redis.getUsername() != null) {
      config.user(redis.getUsername());
    }
    if (redis.getPassword() != null) {
      config.password(redis.getPassword());
    }
    if (!redis.getClusterNodes().isEmpty()) {
      Set<HostAndPort> nodes = new LinkedHashSet<>();
      for (int i = 0; i < redis.getClusterNodes().size(); i++) {
        nodes.add(hostAndPort(redis.getClusterNodes().get(i), "hookguard.dedup.redis.cluster-nodes[" + i + "]"));
      }
      return RedisClusterClient.builder().nodes(nodes).clientConfig(config.build()).build();
    }
    return RedisClient.builder().hostAndPort(redis.getHost(), redis.getPort()).clientConfig(config.build()).build();
  }

  private static HostAndPort hostAndPort(String node, String property) {
    int colon = node.lastIndexOf(':');
    try {
      return new HostAndPort(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new HookguardConfigurationException(property, "not host:port: '" + node + "'",
          "Write each node as host:port, e.g. redis-1:6379.");
    }
  }
}
