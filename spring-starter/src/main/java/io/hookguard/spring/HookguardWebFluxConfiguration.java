package io.hookguard.spring;

import io.hookguard.delivery.DeliveryLifecycle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Hookguard on Spring WebFlux (imported by {@link HookguardAutoConfiguration} in a reactive web
 * application): {@link Webhook} handler methods verified before binding, {@link HookguardWebFlux}
 * for functional endpoints, the {@code VerifiedWebhook} argument, the web filter that finishes
 * every delivery, and the scheduler the blocking parts run on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
class HookguardWebFluxConfiguration {

  /**
   * Where verification, the dedup claim, finishing and the handler run: Reactor's bounded elastic
   * scheduler (bounded threads and queue, made for blocking work). Define a {@link Scheduler} bean
   * named {@code hookguardScheduler} to use another.
   */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean(name = "hookguardScheduler")
  Scheduler hookguardScheduler() {
    return Schedulers.boundedElastic();
  }

  @Bean
  @ConditionalOnMissingBean
  HookguardWebFlux hookguardWebFlux(WebhookEndpoints endpoints, DeliveryLifecycle lifecycle,
      @Qualifier("hookguardScheduler") Scheduler scheduler) {
    return new HookguardWebFlux(endpoints, lifecycle, scheduler);
  }

  // Not replaceable: without it no delivery would be finished (the adapter then refuses to run).
  @Bean
  WebhookWebFilter hookguardWebFilter(HookguardWebFlux hookguard) {
    return new WebhookWebFilter(hookguard.scheduler());
  }

  // Not replaceable on purpose: it is what keeps @Webhook handlers from running unverified.
  @Bean
  WebhookHandlerAdapter hookguardWebhookHandlerAdapter(WebhookEndpoints endpoints, HookguardWebFlux hookguard,
      RequestMappingHandlerAdapter requestMappingHandlerAdapter) {
    return new WebhookHandlerAdapter(endpoints, hookguard, requestMappingHandlerAdapter);
  }

  @Bean
  WebFluxConfigurer hookguardWebFluxConfigurer() {
    return new WebFluxConfigurer() {
      @Override
      public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(new ReactiveVerifiedWebhookArgumentResolver());
      }
    };
  }

  /** The startup check of {@link Webhook} names and {@code VerifiedWebhook} parameters, over WebFlux's mappings. */
  @Bean
  SmartInitializingSingleton hookguardWebFluxHandlerCheck(WebhookEndpoints endpoints,
      ObjectProvider<RequestMappingHandlerMapping> mappings, HookguardWebFlux hookguard) {
    return () -> new WebhookHandlerCheck(endpoints, () -> {
      Collection<WebhookHandlerCheck.Mapped> handlers = new ArrayList<>();
      mappings.orderedStream().forEach(mapping -> mapping.getHandlerMethods().forEach((info, method) ->
          handlers.add(new WebhookHandlerCheck.Mapped(method, info.getMethodsCondition().getMethods()))));
      return handlers;
    }, hookguard::filteredEndpoints).afterSingletonsInstantiated();
  }
}
