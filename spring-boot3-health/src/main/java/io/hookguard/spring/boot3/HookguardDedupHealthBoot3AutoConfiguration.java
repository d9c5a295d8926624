package io.hookguard.spring.boot3;

import java.util.Map;
import java.util.function.Supplier;
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
 * The dedup engines' health on Spring Boot 3.5 ({@code hookguardDedup} in {@code /actuator/health},
 * off with {@code management.health.hookguard-dedup.enabled=false}) for stores other than Redis,
 * whose {@code hookguardRedis} indicator carries the same details: always up, with the starter's
 * {@code hookguardDedupCounts} as details, so that lost completions, fail-open runs and lost
 * leases show.
 */
@AutoConfiguration(afterName = "io.hookguard.spring.HookguardAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(name = "hookguardDedupCounts")
@ConditionalOnMissingBean(type = "io.hookguard.redis.RedisDedupStore")
public final class HookguardDedupHealthBoot3AutoConfiguration {

  /** Created by Spring. */
  public HookguardDedupHealthBoot3AutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param counts the dedup engines' counts
   * @return the indicator
   */
  @Bean
  // Boot looks management.health.<this>.enabled up as written: the canonical dashed form also
  // matches the camel-case and one-word spellings; a camel-case value would match only itself.
  @ConditionalOnEnabledHealthIndicator("hookguard-dedup")
  @ConditionalOnMissingBean(name = "hookguardDedupHealthIndicator")
  HealthIndicator hookguardDedupHealthIndicator(
      @Qualifier("hookguardDedupCounts") Supplier<Map<String, Long>> counts) {
    return () -> Health.up().withDetails(counts.get()).build();
  }
}
