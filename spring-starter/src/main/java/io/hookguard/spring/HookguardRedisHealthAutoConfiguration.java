package io.hookguard.spring;

import io.hookguard.dedup.DedupStoreException;
import io.hookguard.redis.RedisDedupStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The Redis dedup store's health on Spring Boot 4 ({@code hookguardRedis} in
 * {@code /actuator/health}): down when Redis does not answer, because deliveries then get 503.
 */
@AutoConfiguration(after = HookguardAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator",
    "io.hookguard.redis.RedisDedupStore"})
@ConditionalOnBean(RedisDedupStore.class)
public class HookguardRedisHealthAutoConfiguration {

  /** Created by Spring. */
  public HookguardRedisHealthAutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param store the Redis store
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "hookguardRedisHealthIndicator")
  public HealthIndicator hookguardRedisHealthIndicator(RedisDedupStore store) {
    return () -> {
      try {
        store.ping();
        return Health.up().withDetail("unrecordedCompletions", store.unrecordedCompletions()).build();
      } catch (DedupStoreException e) {
        return Health.down().withDetail("error", e.getMessage()).build();
      }
    };
  }
}
