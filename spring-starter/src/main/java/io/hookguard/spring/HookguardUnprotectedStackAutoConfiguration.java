package io.hookguard.spring;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fail closed where {@link HookguardAutoConfiguration} does not apply: a web application on a
 * stack Hookguard does not protect (a servlet application without Spring MVC, such as Jersey
 * only) fails to start if it has {@link Webhook} handlers, instead of running them unverified.
 * Spring MVC and Spring WebFlux are protected.
 * The checks have no {@code @ConditionalOnMissingBean}: an application cannot switch them off.
 */
@AutoConfiguration
public final class HookguardUnprotectedStackAutoConfiguration {

  /** Created by Spring. */
  public HookguardUnprotectedStackAutoConfiguration() {}

  /** A servlet application without Spring MVC's DispatcherServlet (e.g. Jersey only). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnMissingClass("org.springframework.web.servlet.DispatcherServlet")
  static final class ServletWithoutSpringMvc {
    @Bean
    UnprotectedStackCheck hookguardUnprotectedStackCheck(ListableBeanFactory beans) {
      return new UnprotectedStackCheck(beans, "servlet applications without Spring MVC");
    }
  }
}
