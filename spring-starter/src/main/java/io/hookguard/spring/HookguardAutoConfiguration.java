package io.hookguard.spring;

import io.hookguard.JwtKeySource;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupStore;
import io.hookguard.redis.RedisDedupStore;
import io.hookguard.delivery.DeliveryAuditListener;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.Slf4jDeliveryAuditLogger;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.ExceptionHandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import redis.clients.jedis.UnifiedJedis;

/**
 * Hookguard for Spring MVC and Spring WebFlux: endpoints from {@code hookguard.endpoints.*}, a
 * dedup engine on the configured store (Caffeine unless {@code hookguard.dedup.store=redis}), the
 * {@link Webhook} annotation enforced before argument binding, problem-details rejections and,
 * with Micrometer, metrics. The WebFlux adapter is {@link HookguardWebFluxConfiguration}. Every
 * bean backs off when the application defines its own.
 */
@AutoConfiguration
@Conditional(HookguardAutoConfiguration.OnProtectedStack.class)
@EnableConfigurationProperties(HookguardProperties.class)
@Import(HookguardWebFluxConfiguration.class)
public final class HookguardAutoConfiguration {

  /** Created by Spring. */
  public HookguardAutoConfiguration() {}

  /** The stacks Hookguard protects: Spring MVC on a servlet server, or Spring WebFlux. */
  static final class OnProtectedStack extends AnyNestedCondition {
    OnProtectedStack() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet",
        "io.hookguard.servlet.WebhookFilter", "jakarta.servlet.Filter"})
    static final class SpringMvc {}

    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
    static final class SpringWebFlux {}
  }

  /**
   * The in-process store, unless another store is defined or Redis is configured.
   *
   * @param properties the properties
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean(DedupStore.class)
  @ConditionalOnProperty(prefix = "hookguard.dedup", name = "store", havingValue = "caffeine", matchIfMissing = true)
  CaffeineDedupStore hookguardCaffeineDedupStore(HookguardProperties properties) {
    long size = properties.getDedup().getCaffeine().getMaximumSize();
    if (size <= 0) {
      throw new HookguardConfigurationException("hookguard.dedup.caffeine.maximum-size",
          "must be positive: " + size, "Use a bound such as 100000.");
    }
    return CaffeineDedupStore.builder().maximumSize(size).build();
  }

  /**
   * The dedup engine over the store, configured from {@code hookguard.dedup.*}.
   *
   * @param store the store
   * @param properties the properties
   * @return the engine
   */
  @Bean
  @ConditionalOnMissingBean
  DedupEngine hookguardDedupEngine(DedupStore store, HookguardProperties properties) {
    return engine(store, properties.getDedup());
  }

  private static DedupEngine engine(DedupStore store, HookguardProperties.Dedup dedup) {
    DedupEngine.Builder engine = DedupEngine.builder(store)
        .lease(positive(dedup.getLease(), "hookguard.dedup.lease"))
        .retention(positive(dedup.getRetention(), "hookguard.dedup.retention"))
        .keyPrefix(dedup.getKeyPrefix())
        .outageRetryAfter(positive(dedup.getOutageRetryAfter(), "hookguard.dedup.outage-retry-after"));
    if (dedup.getInProgress() == HookguardProperties.InProgressPolicy.WAIT) {
      engine.waitForInProgress(positive(dedup.getWaitTimeout(), "hookguard.dedup.wait-timeout"));
    }
    if (dedup.getOnOutage() == HookguardProperties.OutagePolicy.FAIL_OPEN) {
      engine.failOpen();
    }
    if (dedup.getMissingEventId() == HookguardProperties.MissingEventIdPolicy.RUN) {
      engine.runWithoutEventId();
    }
    if (dedup.getHeartbeat() != null) {
      engine.heartbeat(positive(dedup.getHeartbeat(), "hookguard.dedup.heartbeat"));
    }
    try {
      return engine.build();
    } catch (IllegalArgumentException e) {
      throw new HookguardConfigurationException("hookguard.dedup.heartbeat", e.getMessage(),
          "Use a heartbeat shorter than the lease, e.g. a third of it.");
    }
  }

  private static Duration positive(Duration duration, String property) {
    if (duration.isNegative() || duration.isZero()) {
      throw new HookguardConfigurationException(property, "must be positive: " + duration,
          "Use a positive duration such as 5m.");
    }
    return duration;
  }

  /**
   * Every configured endpoint, checked at startup.
   *
   * @param properties the properties
   * @param dedup the engine, shared by every endpoint (each may have its own missing-event-id policy)
   * @param inbox the inbox of endpoints in inbox mode, if any
   * @param clock the application's {@link Clock} bean, if any (tests pass a fixed one)
   * @param documents the application's {@code RemoteDocuments} bean, if any: where AWS SNS and
   *     PayPal endpoints fetch their signing certificates (a proxy, bounds of its own)
   * @param beans the application's beans, for the {@code JwtKeySource} an endpoint's
   *     {@code key-source} names
   * @return the endpoints
   */
  @Bean
  @ConditionalOnMissingBean
  WebhookEndpoints hookguardWebhookEndpoints(HookguardProperties properties, DedupEngine dedup,
      ObjectProvider<io.hookguard.inbox.Inbox> inbox, ObjectProvider<Clock> clock,
      ObjectProvider<io.hookguard.RemoteDocuments> documents, BeanFactory beans) {
    return WebhookEndpoints.from(properties, dedup, inbox.getIfAvailable(), clock.getIfAvailable(Clock::systemUTC),
        documents.getIfAvailable(), name -> beans.containsBean(name) && beans.isTypeMatch(name, JwtKeySource.class)
            ? beans.getBean(name, JwtKeySource.class) : null);
  }

  /**
   * What the dedup engines could not account for, for metrics and health.
   *
   * @param engine the shared engine
   * @param endpoints the endpoints, some with engines of their own
   * @return the counts
   */
  @Bean
  @ConditionalOnMissingBean
  DedupCounts hookguardDedupCounts(DedupEngine engine, WebhookEndpoints endpoints) {
    return DedupCounts.of(engine, endpoints);
  }

  /**
   * The delivery lifecycle {@link Webhook} handlers run behind: the proxies of
   * {@code hookguard.proxies.*}, every {@link DeliveryAuditListener} bean (the audit logger,
   * metrics, the application's own) and an application event per delivery.
   *
   * @param properties the properties
   * @param environment the environment, checked for settings the proxies model replaced
   * @param listeners the listener beans
   * @param events where each delivery's record is published ({@code @EventListener void on(DeliveryAudit audit)})
   * @return the lifecycle
   */
  @Bean
  @ConditionalOnMissingBean
  DeliveryLifecycle hookguardDeliveryLifecycle(HookguardProperties properties,
      org.springframework.core.env.Environment environment, ObjectProvider<DeliveryAuditListener> listeners,
      ApplicationEventPublisher events) {
    refuseReplacedProperties(environment, properties);
    DeliveryLifecycle.Builder lifecycle = DeliveryLifecycle.builder()
        .proxies(WebhookEndpoints.proxies(properties.getProxies()));
    listeners.orderedStream().forEach(lifecycle::listener);
    lifecycle.listener(events::publishEvent);
    return lifecycle.build();
  }

  /**
   * Settings of earlier versions that the proxies model replaced: left in place they would be
   * ignored, silently changing who is trusted, so they stop startup instead.
   */
  private static void refuseReplacedProperties(org.springframework.core.env.Environment environment,
      HookguardProperties properties) {
    org.springframework.boot.context.properties.bind.Binder binder =
        org.springframework.boot.context.properties.bind.Binder.get(environment);
    java.util.List<String> replaced = new java.util.ArrayList<>(java.util.List.of("hookguard.trust-forwarded-headers",
        "hookguard.trusted-proxies"));
    properties.getEndpoints().keySet().forEach(name -> replaced.add("hookguard.endpoints." + name + ".trusted-proxies"));
    for (String name : replaced) {
      if (binder.bind(name, org.springframework.boot.context.properties.bind.Bindable.of(String.class)).isBound()
          || binder.bind(name, org.springframework.boot.context.properties.bind.Bindable.listOf(String.class)).isBound()) {
        throw new HookguardConfigurationException(name, "is no longer supported",
            "Name the proxies in front of the application in hookguard.proxies.trusted and the header family "
                + "they write in hookguard.proxies.headers (x-forwarded or forwarded).");
      }
    }
  }

  /**
   * The purge of expired keys, when the application defines a {@code JdbcDedupStore} as its
   * dedup store: {@code hookguard.dedup.jdbc.purge-interval}, {@code purge-batch}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.hookguard.jdbc.JdbcDedupStore")
  static final class JdbcDedup {
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnBean(type = "io.hookguard.jdbc.JdbcDedupStore")
    @ConditionalOnMissingBean(name = "hookguardJdbcDedupPurge")
    JdbcDedupPurge hookguardJdbcDedupPurge(io.hookguard.jdbc.JdbcDedupStore store, HookguardProperties properties) {
      HookguardProperties.JdbcStore jdbc = properties.getDedup().getJdbc();
      return new JdbcDedupPurge(store, jdbc.getPurgeInterval(), jdbc.getPurgeBatch());
    }
  }

  /** The shared store on Redis, when {@code hookguard.dedup.store=redis}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"redis.clients.jedis.UnifiedJedis", "io.hookguard.redis.RedisDedupStore"})
  @ConditionalOnProperty(prefix = "hookguard.dedup", name = "store", havingValue = "redis")
  static final class RedisStore {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(UnifiedJedis.class)
    UnifiedJedis hookguardJedis(HookguardProperties properties) {
      return HookguardRedisClients.create(properties.getDedup().getRedis());
    }

    // Closed before the client it uses (Spring destroys dependents first): queued completions are written.
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DedupStore.class)
    RedisDedupStore hookguardRedisDedupStore(UnifiedJedis jedis, HookguardProperties properties) {
      return RedisDedupStore.builder(jedis)
          .completeInBackground(properties.getDedup().getRedis().isCompleteInBackground())
          .build();
    }
  }

  /** Fails startup clearly when Redis is asked for but hookguard-redis is not on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("io.hookguard.redis.RedisDedupStore")
  @ConditionalOnProperty(prefix = "hookguard.dedup", name = "store", havingValue = "redis")
  static final class RedisStoreMissing {
    RedisStoreMissing() {
      throw new HookguardConfigurationException("hookguard.dedup.store", "redis needs hookguard-redis and Jedis",
          "Add the io.hookguard:hookguard-redis dependency, or use the caffeine store.");
    }
  }

  /**
   * The default audit trail on the {@code io.hookguard.audit} logger; off with
   * {@code hookguard.audit.log=false}.
   *
   * @return the logger
   */
  @Bean
  @ConditionalOnMissingBean(Slf4jDeliveryAuditLogger.class)
  @ConditionalOnProperty(prefix = "hookguard.audit", name = "log", havingValue = "true", matchIfMissing = true)
  Slf4jDeliveryAuditLogger hookguardAuditLogger() {
    return new Slf4jDeliveryAuditLogger();
  }

  /**
   * The Spring MVC adapter: the body buffering filter, the startup check of the handlers and the
   * interceptor, argument resolver and problem resolver. Servlet types stay inside, so that a
   * WebFlux application without the servlet API loads none of them.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
  static final class SpringMvc {
    /**
     * Lets handlers' bodies be read before binding, then bound from the same bytes.
     *
     * @return the filter registration, early in the chain
     */
    @Bean
    @ConditionalOnMissingBean(name = "hookguardBodyBufferingFilter")
    FilterRegistrationBean<BodyBufferingFilter> hookguardBodyBufferingFilter() {
      FilterRegistrationBean<BodyBufferingFilter> registration = new FilterRegistrationBean<>(new BodyBufferingFilter());
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
      registration.setName("hookguardBodyBufferingFilter");
      return registration;
    }

    /**
     * Checks at startup that every {@link Webhook} handler names a configured endpoint. Not
     * replaceable on purpose: the check is what makes a misnamed endpoint fail closed.
     *
     * @param endpoints the endpoints
     * @param mappings Spring MVC's handler mappings
     * @return the check
     */
    @Bean
    SmartInitializingSingleton hookguardWebhookHandlerCheck(WebhookEndpoints endpoints,
        ObjectProvider<RequestMappingHandlerMapping> mappings) {
      return new WebhookHandlerCheck(endpoints, () -> {
        List<WebhookHandlerCheck.Mapped> handlers = new ArrayList<>();
        mappings.orderedStream().forEach(mapping -> mapping.getHandlerMethods().forEach((info, method) ->
            handlers.add(new WebhookHandlerCheck.Mapped(method, info.getMethodsCondition().getMethods()))));
        return handlers;
      }, Set::of);
    }

    /** Registers the interceptor, the argument resolver and the problem resolver with Spring MVC. */
    @Configuration(proxyBeanMethods = false)
    static final class WebMvc implements WebMvcConfigurer {
      private final WebhookInterceptor interceptor;

      WebMvc(WebhookEndpoints endpoints, DeliveryLifecycle lifecycle) {
        this.interceptor = new WebhookInterceptor(endpoints, lifecycle);
      }

      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor).order(Ordered.HIGHEST_PRECEDENCE);
      }

      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new VerifiedWebhookArgumentResolver());
      }

      @Override
      public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        // Right after the @ExceptionHandler resolver: the application's advice decides first.
        int index = 0;
        for (int i = 0; i < resolvers.size(); i++) {
          if (resolvers.get(i) instanceof ExceptionHandlerExceptionResolver) {
            index = i + 1;
          }
        }
        resolvers.add(index, new WebhookExceptionResolver());
      }
    }
  }

  /** Meters, when the application has Micrometer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static final class Metrics {
    @Bean
    @ConditionalOnMissingBean
    WebhookMetrics hookguardWebhookMetrics(ObjectProvider<MeterRegistry> registry) {
      return new WebhookMetrics(registry::getIfAvailable);
    }

    @Bean
    @ConditionalOnMissingBean(name = "hookguardDedupMetrics")
    MeterBinder hookguardDedupMetrics(DedupCounts counts) {
      return WebhookMetrics.dedup(counts);
    }

    /** The Redis store's own count, when the store is Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.hookguard.redis.RedisDedupStore")
    static final class RedisMetrics {
      @Bean
      @ConditionalOnMissingBean(name = "hookguardRedisMetrics")
      MeterBinder hookguardRedisMetrics(ObjectProvider<RedisDedupStore> store) {
        return registry -> store.ifAvailable(redis -> FunctionCounter.builder(
                "hookguard.dedup.unrecorded-completions", redis, RedisDedupStore::unrecordedCompletions)
            .description("Background completions the Redis store could not write; a retry may run the handler again")
            .register(registry));
      }
    }
  }

}
