package io.hookguard.spring;

import io.hookguard.dedup.DedupStoreException;
import io.hookguard.redis.RedisDedupStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The Redis dedup store's health on Spring Boot 4 ({@code hookguardRedis} in
 * {@code /actuator/health}, off with {@code management.health.hookguard-redis.enabled=false}):
 * down when Redis does not answer, because deliveries then get 503.
 * Its details count what was not recorded: the store's background completions
 * ({@code unrecordedCompletions}) and the engines' {@link DedupCounts}.
 */
@AutoConfiguration(after = HookguardAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator",
    "io.hookguard.redis.RedisDedupStore"})
@ConditionalOnBean(RedisDedupStore.class)
public final class HookguardRedisHealthAutoConfiguration {

  /** Created by Spring. */
  public HookguardRedisHealthAutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param store the Redis store
   * @param counts the engines' counts, when the starter's engine is in use
   * @return the indicator
   */
  @Bean
  // Boot looks management.health.<this>.enabled up as written: the canonical dashed form also
  // matches the camel-case and one-word spellings; a camel-case value would match only itself.
  @ConditionalOnEnabledHealthIndicator("hookguard-redis")
  @ConditionalOnMissingBean(name = "hookguardRedisHealthIndicator")
  HealthIndicator hookguardRedisHealthIndicator(RedisDedupStore store, ObjectProvider<DedupCounts> counts) {
    return () -> {
      try {
        store.ping();
        Health.Builder health = Health.up().withDetail("unrecordedCompletions", store.unrecordedCompletions());
        counts.ifAvailable(engines -> health.withDetails(engines.get()));
        return health.build();
      } catch (DedupStoreException e) {
        return Health.down().withDetail("error", e.getMessage()).build();
      }
    };
  }
}
