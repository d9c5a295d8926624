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
 * The inbox's health on Spring Boot 3.5 ({@code hookguardInbox} in {@code /actuator/health}, off
 * with {@code management.health.hookguard-inbox.enabled=false}): DOWN while the store cannot
 * answer (receipts then get 503); otherwise UP with the starter's {@code hookguardInboxStatus}
 * (depth by state, {@code oldestReadyAge}, this instance's counts) as details.
 */
@AutoConfiguration(afterName = "io.hookguard.spring.HookguardInboxAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(name = "hookguardInboxStatus")
public final class HookguardInboxHealthBoot3AutoConfiguration {

  /** Created by Spring. */
  public HookguardInboxHealthBoot3AutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param status the inbox's status: details, or an exception while the store cannot answer
   * @return the indicator
   */
  @Bean
  @ConditionalOnEnabledHealthIndicator("hookguard-inbox")
  @ConditionalOnMissingBean(name = "hookguardInboxHealthIndicator")
  HealthIndicator hookguardInboxHealthIndicator(
      @Qualifier("hookguardInboxStatus") Supplier<Map<String, Object>> status) {
    return () -> {
      try {
        return Health.up().withDetails(status.get()).build();
      } catch (RuntimeException e) {
        return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
      }
    };
  }
}
