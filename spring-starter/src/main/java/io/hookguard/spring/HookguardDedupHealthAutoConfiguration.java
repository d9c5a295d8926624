package io.hookguard.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The dedup engines' health on Spring Boot 4 ({@code hookguardDedup} in {@code /actuator/health},
 * off with {@code management.health.hookguard-dedup.enabled=false}) for stores other than Redis,
 * whose {@code hookguardRedis} indicator carries the same details: always up, with the
 * {@link DedupCounts} as details, so that lost completions, fail-open runs and lost leases show.
 */
@AutoConfiguration(after = HookguardAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(DedupCounts.class)
@ConditionalOnMissingBean(type = "io.hookguard.redis.RedisDedupStore")
public final class HookguardDedupHealthAutoConfiguration {

  /** Created by Spring. */
  public HookguardDedupHealthAutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param counts the engines' counts
   * @return the indicator
   */
  @Bean
  // Boot looks management.health.<this>.enabled up as written: the canonical dashed form also
  // matches the camel-case and one-word spellings; a camel-case value would match only itself.
  @ConditionalOnEnabledHealthIndicator("hookguard-dedup")
  @ConditionalOnMissingBean(name = "hookguardDedupHealthIndicator")
  HealthIndicator hookguardDedupHealthIndicator(DedupCounts counts) {
    return () -> Health.up().withDetails(counts.get()).build();
  }
}
