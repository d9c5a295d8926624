package io.hookguard.spring.boot3;

import io.hookguard.dedup.DedupStoreException;
import io.hookguard.redis.RedisDedupStore;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Redis dedup store's health on Spring Boot 3.5 ({@code hookguardRedis} in
 * {@code /actuator/health}, off with {@code management.health.hookguard-redis.enabled=false}):
 * down when Redis does not answer, because deliveries then get 503.
 * Its details count what was not recorded: the store's background completions
 * ({@code unrecordedCompletions}) and the dedup engines' counts (the starter's
 * {@code hookguardDedupCounts} bean).
 */
@AutoConfiguration(afterName = "io.hookguard.spring.HookguardAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
    "io.hookguard.redis.RedisDedupStore"})
@ConditionalOnBean(RedisDedupStore.class)
public final class HookguardRedisHealthBoot3AutoConfiguration {

  /** Created by Spring. */
  public HookguardRedisHealthBoot3AutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param store the Redis store
   * @param counts the dedup engines' counts, when the starter's engine is in use
   * @return the indicator
   */
  @Bean
  // Boot looks management.health.<this>.enabled up as written: the canonical dashed form also
  // matches the camel-case and one-word spellings; a camel-case value would match only itself.
  @ConditionalOnEnabledHealthIndicator("hookguard-redis")
  @ConditionalOnMissingBean(name = "hookguardRedisHealthIndicator")
  HealthIndicator hookguardRedisHealthIndicator(RedisDedupStore store,
      @Qualifier("hookguardDedupCounts") ObjectProvider<Supplier<Map<String, Long>>> counts) {
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
