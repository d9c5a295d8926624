package io.hookguard.spring;

import io.hookguard.delivery.AttemptAudit;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.delivery.DeliveryAuditListener;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxStore;
import io.hookguard.inbox.RetryPolicy;
import io.hookguard.jdbc.JdbcInboxStore;
import io.hookguard.jdbc.JdbcTransactions;
import io.hookguard.servlet.WebhookFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The durable inbox, when some endpoint is in inbox mode ({@code hookguard.endpoints.<name>.inbox}):
 * the store (a {@link JdbcInboxStore} on the application's {@code DataSource} unless an
 * {@link InboxStore} bean is defined), the {@link Inbox} configured from {@code hookguard.inbox.*}
 * whose workers run the {@link InboxListener} methods, started and stopped with the context, a
 * filter serving each such endpoint at its {@code path} (a servlet filter on the servlet stack, a
 * {@code WebFilter} on WebFlux), metrics, the {@code hookguardinbox} Actuator endpoint and (in the
 * health auto-configurations) health.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration"})
@ConditionalOnWebApplication
@Conditional(InboxEndpointsCondition.class)
@EnableConfigurationProperties({HookguardProperties.class, HookguardInboxProperties.class})
public final class HookguardInboxAutoConfiguration {

  /** Created by Spring. */
  public HookguardInboxAutoConfiguration() {}

  private static Set<String> inboxEndpoints(HookguardProperties properties) {
    Set<String> names = new LinkedHashSet<>();
    properties.getEndpoints().forEach((name, endpoint) -> {
      if (endpoint.isInbox()) {
        names.add(name);
      }
    });
    return names;
  }

  @Bean
  InboxListenerMethods hookguardInboxListenerMethods(HookguardProperties properties) {
    return new InboxListenerMethods(inboxEndpoints(properties));
  }

  /**
   * Fails startup for a {@link Webhook} controller method on an endpoint in inbox mode: it would
   * never run.
   */
  static void refuseWebhookHandlers(HookguardProperties properties, Iterable<HandlerMethod> handlers) {
    Set<String> inbox = inboxEndpoints(properties);
    for (HandlerMethod handler : handlers) {
      String name = WebhookHandlers.endpointNameOf(handler);
      if (name != null && inbox.contains(name)) {
        throw new HookguardConfigurationException("hookguard.endpoints." + name + ".inbox",
            "@Webhook(\"" + name + "\") on " + handler + " would never run: the endpoint is in inbox mode",
            "Handle its deliveries in an @InboxListener(\"" + name + "\") method instead.");
      }
    }
  }

  /** The path of each endpoint in inbox mode, checked: one endpoint per path, each starting with '/'. */
  static Map<String, String> inboxPaths(HookguardProperties properties) {
    Map<String, String> paths = new LinkedHashMap<>();
    properties.getEndpoints().forEach((name, endpoint) -> {
      if (endpoint.isInbox() && endpoint.getPath() != null) {
        paths.put(name, endpoint.getPath());
      }
    });
    return paths;
  }

  /**
   * The inbox over the store, from {@code hookguard.inbox.*}, with a handler for each endpoint
   * in inbox mode, every {@link DeliveryAuditListener} bean (one {@link AttemptAudit} per attempt)
   * and an application event per attempt.
   */
  @Bean
  @ConditionalOnMissingBean
  Inbox hookguardInbox(ObjectProvider<InboxStore> stores, HookguardInboxProperties config,
      HookguardProperties properties, InboxListenerMethods methods, ObjectProvider<DeliveryAuditListener> listeners,
      ApplicationEventPublisher events, ObjectProvider<Clock> clock) {
    InboxStore store = stores.getIfAvailable();
    if (store == null) {
      throw new HookguardConfigurationException("hookguard.endpoints." + inboxEndpoints(properties).iterator().next()
          + ".inbox", "an endpoint is in inbox mode but there is no inbox store",
          "Add io.hookguard:hookguard-jdbc and a DataSource (spring-boot-starter-jdbc and a database), or define "
              + "an InboxStore bean.");
    }
    Inbox.Builder inbox = Inbox.builder(store);
    inboxEndpoints(properties).forEach(name -> inbox.handler(name, methods.handler(name)));
    String at = "hookguard.inbox.";
    set(() -> inbox.workers(config.getWorkers()), at + "workers", "Use a positive count such as 2.");
    set(() -> inbox.lease(config.getLease()), at + "lease", "Use at least 1s, such as 1m.");
    set(() -> inbox.pollInterval(config.getPollInterval()), at + "poll-interval", "Use a positive duration such as 1s.");
    set(() -> inbox.maxBacklog(config.getMaxBacklog()), at + "max-backlog", "Use a positive count such as 100000.");
    set(() -> inbox.retention(config.getRetention()), at + "retention", "Use a positive duration such as 72h.");
    set(() -> inbox.purgeInterval(config.getPurgeInterval()), at + "purge-interval", "Use a positive duration such as 10m.");
    set(() -> inbox.shutdownTimeout(config.getShutdownTimeout()), at + "shutdown-timeout", "Use a duration such as 30s.");
    set(() -> inbox.outageRetryAfter(config.getOutageRetryAfter()), at + "outage-retry-after",
        "Use a positive duration such as 5s.");
    inbox.retry(retry(config.getRetry()));
    listeners.orderedStream().forEach(inbox::listener);
    inbox.listener(new DeliveryAuditListener() {
      @Override
      public void delivered(DeliveryAudit audit) {
        // receipts are published by the delivery lifecycle
      }

      @Override
      public void attempted(AttemptAudit attempt) {
        events.publishEvent(attempt);
      }
    });
    inbox.clock(clock.getIfAvailable(Clock::systemUTC));
    return inbox.build();
  }

  private static RetryPolicy retry(HookguardInboxProperties.Retry retry) {
    String at = "hookguard.inbox.retry.";
    RetryPolicy.Builder policy = RetryPolicy.builder();
    set(() -> policy.initialDelay(retry.getInitialDelay()), at + "initial-delay", "Use a positive duration such as 10s.");
    set(() -> policy.factor(retry.getFactor()), at + "factor", "Use 1 or more, such as 2.");
    set(() -> policy.maxDelay(retry.getMaxDelay()), at + "max-delay", "Use a positive duration such as 1h.");
    set(() -> policy.jitter(retry.getJitter()), at + "jitter", "Use a share between 0 and 1, such as 0.5.");
    set(() -> policy.maxAttempts(retry.getMaxAttempts()), at + "max-attempts", "Use 1 or more, such as 10.");
    Duration maxAge = retry.getMaxAge();
    if (maxAge.isZero()) {
      policy.noMaxAge();
    } else {
      set(() -> policy.maxAge(maxAge), at + "max-age", "Use a positive duration such as 3d, or 0 for none.");
    }
    try {
      return policy.build();
    } catch (IllegalStateException e) {
      throw new HookguardConfigurationException(at + "max-delay", e.getMessage(),
          "Use a max-delay at least as long as the initial-delay.");
    }
  }

  private static void set(Runnable setting, String property, String action) {
    try {
      setting.run();
    } catch (IllegalArgumentException e) {
      throw new HookguardConfigurationException(property, e.getMessage(), action);
    }
  }

  @Bean
  @ConditionalOnMissingBean(name = "hookguardInboxLifecycle")
  InboxLifecycle hookguardInboxLifecycle(Inbox inbox) {
    return new InboxLifecycle(inbox);
  }

  /** Depth, ages and counts of the inbox, for health and metrics. */
  @Bean
  InboxStatus hookguardInboxStatus(Inbox inbox) {
    return new InboxStatus(inbox);
  }

  /** On the servlet stack: payloads read by Spring MVC's converters, the endpoints served by a servlet filter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({DispatcherServlet.class, WebhookFilter.class})
  // Also here: an application scanning this package finds nested configurations on their own.
  @Conditional(InboxEndpointsCondition.class)
  static final class Servlet {
    /**
     * Finds the {@link InboxListener} methods once every bean exists (before the workers start),
     * and fails startup for a {@link Webhook} controller method on an endpoint in inbox mode.
     */
    @Bean
    SmartInitializingSingleton hookguardInboxListenerCheck(InboxListenerMethods methods,
        ConfigurableListableBeanFactory beanFactory, ObjectProvider<RequestMappingHandlerAdapter> adapters,
        ObjectProvider<RequestMappingHandlerMapping> mappings, HookguardProperties properties) {
      return () -> {
        methods.find(beanFactory, InboxListenerMethods.messageConverters(() -> adapters.getObject().getMessageConverters()));
        mappings.orderedStream().forEach(mapping -> refuseWebhookHandlers(properties, mapping.getHandlerMethods().values()));
      };
    }

    /**
     * Serves each endpoint in inbox mode at its path, before the application's filters: the
     * delivery lifecycle stores the verified delivery and answers; no controller is involved.
     * The same {@link DeliveryLifecycle} bean as {@code @Webhook} endpoints (the starter's, with
     * {@code hookguard.proxies.*} and every {@link DeliveryAuditListener} bean, or the
     * application's own).
     */
    @Bean
    @ConditionalOnMissingBean(name = "hookguardInboxFilter")
    FilterRegistrationBean<WebhookFilter> hookguardInboxFilter(WebhookEndpoints endpoints,
        HookguardProperties properties, DeliveryLifecycle lifecycle) {
      WebhookFilter.Builder filter = WebhookFilter.builder().lifecycle(lifecycle);
      FilterRegistrationBean<WebhookFilter> registration = new FilterRegistrationBean<>();
      inboxPaths(properties).forEach((name, path) -> {
        try {
          filter.endpoint(path, endpoints.get(name).orElseThrow());
        } catch (IllegalArgumentException e) {
          throw new HookguardConfigurationException("hookguard.endpoints." + name + ".path", e.getMessage(),
              "Give each endpoint in inbox mode a path of its own, starting with '/'.");
        }
        registration.addUrlPatterns(path);
      });
      registration.setFilter(filter.build());
      registration.setName("hookguardInboxFilter");
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
      return registration;
    }
  }

  /**
   * On Spring WebFlux: payloads read by the application's codecs, the endpoints served by a
   * {@code WebFilter} that runs the lifecycle off the event loop, on the {@code hookguardScheduler}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
  // Also here: an application scanning this package finds nested configurations on their own.
  @Conditional(InboxEndpointsCondition.class)
  static final class Reactive {
    @Bean
    SmartInitializingSingleton hookguardInboxListenerCheck(InboxListenerMethods methods,
        ConfigurableListableBeanFactory beanFactory, ObjectProvider<ServerCodecConfigurer> codecs,
        ObjectProvider<org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping> mappings,
        HookguardProperties properties) {
      return () -> {
        methods.find(beanFactory, InboxListenerMethods.codecs(() -> codecs.getObject().getReaders()));
        mappings.orderedStream().forEach(mapping -> refuseWebhookHandlers(properties, mapping.getHandlerMethods().values()));
      };
    }

    @Bean
    @ConditionalOnMissingBean(name = "hookguardInboxWebFilter")
    InboxWebFilter hookguardInboxWebFilter(WebhookEndpoints endpoints, HookguardProperties properties,
        HookguardWebFlux hookguard) {
      Map<String, io.hookguard.delivery.WebhookEndpoint> byPath = new LinkedHashMap<>();
      inboxPaths(properties).forEach((name, path) -> {
        String canonical = InboxWebFilter.canonicalPath(path);
        if (!path.startsWith("/") || byPath.putIfAbsent(canonical, endpoints.get(name).orElseThrow()) != null) {
          throw new HookguardConfigurationException("hookguard.endpoints." + name + ".path",
              path.startsWith("/") ? "two endpoints for the path " + path : "an endpoint path starts with '/': " + path,
              "Give each endpoint in inbox mode a path of its own, starting with '/'.");
        }
      });
      return new InboxWebFilter(byPath, hookguard);
    }
  }

  /** The store on the application's DataSource, unless an {@link InboxStore} bean is defined. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcInboxStore.class)
  @ConditionalOnSingleCandidate(DataSource.class)
  // Also here: an application scanning this package finds nested configurations on their own.
  @Conditional(InboxEndpointsCondition.class)
  static final class Jdbc {
    @Bean
    @ConditionalOnMissingBean(InboxStore.class)
    JdbcInboxStore hookguardInboxStore(DataSource dataSource, HookguardInboxProperties config,
        ObjectProvider<JdbcTransactions> transactions, ObjectProvider<Clock> clock) {
      JdbcInboxStore.Builder store = JdbcInboxStore.builder(dataSource).clock(clock.getIfAvailable(Clock::systemUTC));
      if (config.isCreateTables()) {
        store.createTables();
      }
      if (config.isTransactional()) {
        store.transactional(transactions.getIfAvailable(() -> JdbcTransactions.of(dataSource)));
      }
      try {
        return store.build();
      } catch (IllegalStateException e) {
        throw new HookguardConfigurationException("spring.datasource.url", e.getMessage(),
            "Point the DataSource at PostgreSQL, MySQL 8.0.1+, MariaDB 10.6+ or H2 2.x; set hookguard.inbox.create-tables=true or run the "
                + "bundled io/hookguard/jdbc/inbox-<database>.sql script.");
      }
    }

    /** Spring-managed transactions, so that a handler's JdbcTemplate or JPA writes join the "done" mark's. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(InboxEndpointsCondition.class)
    @ConditionalOnClass(name = {"org.springframework.jdbc.datasource.DataSourceUtils",
        "org.springframework.transaction.support.TransactionTemplate"})
    static final class SpringTransactions {
      @Bean
      @ConditionalOnMissingBean
      JdbcTransactions hookguardInboxTransactions(DataSource dataSource,
          ObjectProvider<PlatformTransactionManager> managers) {
        return SpringJdbcTransactions.on(dataSource, managers);
      }
    }
  }

  /** Meters, when the application has Micrometer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  // Also here: an application scanning this package finds nested configurations on their own.
  @Conditional(InboxEndpointsCondition.class)
  static final class Metrics {
    @Bean
    @ConditionalOnMissingBean
    InboxMetrics hookguardInboxMetrics(ObjectProvider<MeterRegistry> registry) {
      return new InboxMetrics(registry::getIfAvailable);
    }

    @Bean
    @ConditionalOnMissingBean(name = "hookguardInboxGauges")
    MeterBinder hookguardInboxGauges(Inbox inbox, InboxStatus status) {
      return InboxMetrics.gauges(inbox, status);
    }
  }

  /** The Actuator endpoint, when the application has the Actuator and exposes it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  // Also here: an application scanning this package finds nested configurations on their own.
  @Conditional(InboxEndpointsCondition.class)
  static final class Actuator {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = InboxActuatorEndpoint.class)
    InboxActuatorEndpoint hookguardInboxEndpoint(Inbox inbox) {
      return new InboxActuatorEndpoint(inbox);
    }
  }
}
