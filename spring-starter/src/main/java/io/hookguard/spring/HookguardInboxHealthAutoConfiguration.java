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
 * The inbox's health on Spring Boot 4 ({@code hookguardInbox} in {@code /actuator/health}, off
 * with {@code management.health.hookguard-inbox.enabled=false}): DOWN while the store cannot
 * answer (receipts then get 503); otherwise UP with the depth by state, the oldest ready
 * delivery's age ({@code oldestReadyAge}) and this instance's counts as details.
 */
@AutoConfiguration(after = HookguardInboxAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(InboxStatus.class)
public final class HookguardInboxHealthAutoConfiguration {

  /** Created by Spring. */
  public HookguardInboxHealthAutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param status the inbox's status
   * @return the indicator
   */
  @Bean
  @ConditionalOnEnabledHealthIndicator("hookguard-inbox")
  @ConditionalOnMissingBean(name = "hookguardInboxHealthIndicator")
  HealthIndicator hookguardInboxHealthIndicator(InboxStatus status) {
    return () -> {
      try {
        return Health.up().withDetails(status.get()).build();
      } catch (RuntimeException e) {
        return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
      }
    };
  }
}
