package io.hookguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupEngine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * What one event costs in Redis at the default key format, as {@code MEMORY USAGE} reports it
 * (key, value, expiry and the allocator's rounding). The README quotes these numbers.
 */
class RedisKeyMemoryTest {

  @Test
  void oneEventCostsAboutTwoHundredBytes() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        RedisClient client = RedisClient.builder().hostAndPort(redis.address()).build()) {
      RedisDedupStore store = RedisDedupStore.create(client);
      DedupEngine engine = DedupEngine.builder(store).build();
      String key = engine.key("/webhooks/stripe", "stripe", "evt_1NG8Du2eZvKYlo2CUI79vXWy");
      String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest("{\"id\":\"evt_1NG8Du2eZvKYlo2CUI79vXWy\"}".getBytes(StandardCharsets.UTF_8)));

      String token = ((ClaimResult.Acquired) store.claim(key, fingerprint, Duration.ofMinutes(5))).token();
      long inProgress = client.memoryUsage(key);
      store.complete(key, token, Duration.ofHours(72));
      long completed = client.memoryUsage(key);

      System.out.printf("MEMORY USAGE %s: in progress %d B, completed %d B (key %d chars)%n",
          client.info("server").lines().filter(l -> l.startsWith("redis_version")).findFirst().orElse(""),
          inProgress, completed, key.length());
      assertThat(completed).isLessThan(inProgress).isLessThanOrEqualTo(224);
      assertThat(inProgress).isLessThanOrEqualTo(256);
    }
  }
}
