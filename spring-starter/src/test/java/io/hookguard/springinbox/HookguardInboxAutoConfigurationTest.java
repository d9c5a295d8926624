package io.hookguard.springinbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.inbox.InMemoryInboxStore;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxDelivery;
import io.hookguard.inbox.InboxState;
import io.hookguard.inbox.InboxStore;
import io.hookguard.jdbc.JdbcInboxStore;
import io.hookguard.spring.HookguardAutoConfiguration;
import io.hookguard.spring.HookguardConfigurationException;
import io.hookguard.spring.HookguardFailureAnalyzer;
import io.hookguard.spring.HookguardInboxAutoConfiguration;
import io.hookguard.spring.InboxActuatorEndpoint;
import io.hookguard.spring.InboxListener;
import io.hookguard.spring.Webhook;
import io.hookguard.spring.WebhookEndpoints;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The inbox's conditions, properties and startup checks, without a server. */
class HookguardInboxAutoConfigurationTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class, HookguardInboxAutoConfiguration.class))
      .withPropertyValues("hookguard.endpoints.orders.provider=standard-webhooks",
          "hookguard.endpoints.orders.secrets=" + SECRET);

  private final WebApplicationContextRunner inboxRunner = runner.withPropertyValues(
      "hookguard.endpoints.orders.inbox=true", "hookguard.endpoints.orders.path=/hooks/orders");

  /** An explicit store, and a handler that can be held. */
  @Configuration(proxyBeanMethods = false)
  static class InMemory {
    static final CountDownLatch STARTED = new CountDownLatch(1);
    static final AtomicBoolean INTERRUPTED = new AtomicBoolean();

    @Bean
    InMemoryInboxStore store() {
      return InMemoryInboxStore.create();
    }

    @Bean
    Handlers handlers() {
      return new Handlers();
    }
  }

  static class Handlers {
    @InboxListener("orders")
    void order(InboxDelivery delivery) {
      InMemory.STARTED.countDown();
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        InMemory.INTERRUPTED.set(true);
        throw new IllegalStateException("interrupted at shutdown");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class WrongName {
    @Bean
    Object wrong() {
      return new Object() {
        @InboxListener("payments")
        void payment(byte[] body) {}
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoPayloads {
    @Bean
    Object twice() {
      return new Object() {
        @InboxListener("orders")
        void order(byte[] body, String text) {}
      };
    }
  }

  @RestController
  static class InboxController {
    @PostMapping("/hooks/orders")
    @Webhook("orders")
    void never() {}
  }

  @Test
  void withoutAnEndpointInInboxModeThereIsNoInbox() {
    runner.withUserConfiguration(InMemory.class).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(Inbox.class);
      assertThat(context.getBean(WebhookEndpoints.class).get("orders").orElseThrow().inbox()).isEmpty();
    });
  }

  @Test
  void anExplicitStoreWinsAndTheEndpointStoresInTheInbox() {
    inboxRunner.withUserConfiguration(InMemory.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(Inbox.class).doesNotHaveBean(JdbcInboxStore.class);
      assertThat(context.getBean(Inbox.class).store()).isSameAs(context.getBean(InboxStore.class));
      WebhookEndpoint endpoint = context.getBean(WebhookEndpoints.class).get("orders").orElseThrow();
      assertThat(endpoint.inbox()).containsSame(context.getBean(Inbox.class));
      assertThat(endpoint.dedup()).isEmpty();
      assertThat(context).doesNotHaveBean(InboxActuatorEndpoint.class); // not exposed
    });
  }

  @Test
  void propertiesReachTheInboxAndItsRetryPolicy() {
    inboxRunner.withUserConfiguration(InMemory.class).withPropertyValues("hookguard.inbox.retry.max-attempts=4",
        "hookguard.inbox.retry.initial-delay=1s", "hookguard.inbox.retry.max-delay=4s", "hookguard.inbox.retry.jitter=0",
        "hookguard.inbox.retry.max-age=0", "hookguard.inbox.workers=3",
        "management.endpoints.web.exposure.include=hookguardinbox").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(InboxActuatorEndpoint.class);
          var retry = context.getBean(Inbox.class).retryPolicy();
          assertThat(retry.maxAttempts()).isEqualTo(4);
          assertThat(retry.maxAge()).isEmpty();
          java.util.Random random = new java.util.Random(1);
          assertThat(retry.nextDelay(1, Duration.ZERO, random)).hasValue(Duration.ofSeconds(1));
          assertThat(retry.nextDelay(3, Duration.ZERO, random)).hasValue(Duration.ofSeconds(4));
          assertThat(retry.nextDelay(4, Duration.ZERO, random)).isEmpty();
          assertThat(context.getBean(Inbox.class).toString()).contains("3 workers");
        });
  }

  @Test
  void shutdownWithTheContextGivesTheLeaseOfAHandlerStillRunningBack() throws Exception {
    var context = new org.springframework.boot.SpringApplication(InMemory.class, WebBootstrap.class);
    context.setDefaultProperties(java.util.Map.of(
        "hookguard.endpoints.orders.provider", "standard-webhooks", "hookguard.endpoints.orders.secrets", SECRET,
        "hookguard.endpoints.orders.inbox", "true", "hookguard.endpoints.orders.path", "/hooks/orders",
        "hookguard.inbox.shutdown-timeout", "200ms", "server.port", "0"));
    var app = context.run();
    Inbox inbox = app.getBean(Inbox.class);
    InboxStore store = app.getBean(InboxStore.class);
    WebhookRequest signed = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build()
        .sign(WebhookRequest.builder().url("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port")
            + "/hooks/orders").header("webhook-id", "msg_shutdown").header("Content-Type", "application/json")
            .body("{\"type\":\"order.created\"}").build());
    assertThat(InboxScenarios.send(signed).statusCode()).isEqualTo(200);
    assertThat(InMemory.STARTED.await(10, TimeUnit.SECONDS)).isTrue();
    long id = 1; // the store's first

    app.close();

    assertThat(InMemory.INTERRUPTED).isTrue();
    assertThat(inbox.inFlight()).isZero();
    assertThat(store.find(id, false).orElseThrow().state()).isEqualTo(InboxState.READY);
  }

  @Configuration(proxyBeanMethods = false)
  @org.springframework.boot.autoconfigure.EnableAutoConfiguration
  static class WebBootstrap {}

  private void assertFailsNaming(WebApplicationContextRunner runner, String property, String... properties) {
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      Throwable cause = failure;
      while (cause != null && !(cause instanceof HookguardConfigurationException)) {
        cause = cause.getCause();
      }
      assertThat(cause).as("failure %s", failure).isInstanceOf(HookguardConfigurationException.class);
      assertThat(((HookguardConfigurationException) cause).property()).isEqualTo(property);
      FailureAnalysis analysis = new HookguardFailureAnalyzer().analyze(failure);
      assertThat(analysis).isNotNull();
      assertThat(analysis.getAction()).isNotBlank();
      assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(SECRET);
    });
  }

  @Test
  void mistakesFailStartupNamingTheProperty() {
    WebApplicationContextRunner withStore = runner.withUserConfiguration(InMemory.class);
    assertFailsNaming(withStore, "hookguard.endpoints.orders.path", "hookguard.endpoints.orders.inbox=true");
    assertFailsNaming(withStore, "hookguard.endpoints.orders.path", "hookguard.endpoints.orders.path=/hooks/orders");
    assertFailsNaming(runner, "hookguard.endpoints.orders.inbox", "hookguard.endpoints.orders.inbox=true",
        "hookguard.endpoints.orders.path=/hooks/orders"); // no store (no DataSource) and no listener
    assertFailsNaming(inboxRunner.withBean(InMemoryInboxStore.class, InMemoryInboxStore::create),
        "hookguard.endpoints.orders.inbox"); // a store, no listener
    assertFailsNaming(inboxRunner.withUserConfiguration(InMemory.class, WrongName.class),
        "hookguard.endpoints.payments.inbox");
    assertFailsNaming(inboxRunner.withUserConfiguration(InMemory.class, TwoPayloads.class),
        "hookguard.endpoints.orders.inbox");
    assertFailsNaming(inboxRunner.withUserConfiguration(InMemory.class), "hookguard.inbox.workers",
        "hookguard.inbox.workers=0");
    assertFailsNaming(inboxRunner.withUserConfiguration(InMemory.class), "hookguard.inbox.lease",
        "hookguard.inbox.lease=10ms");
    assertFailsNaming(inboxRunner.withUserConfiguration(InMemory.class), "hookguard.inbox.retry.jitter",
        "hookguard.inbox.retry.jitter=2");
    assertFailsNaming(inboxRunner.withUserConfiguration(InMemory.class), "hookguard.inbox.retry.max-delay",
        "hookguard.inbox.retry.max-delay=1s");
  }

  @Test
  void aWebhookControllerMethodOnAnEndpointInInboxModeFailsStartup() {
    assertFailsNaming(inboxRunner.withUserConfiguration(InMemory.class, InboxController.class,
            org.springframework.web.servlet.config.annotation.DelegatingWebMvcConfiguration.class),
        "hookguard.endpoints.orders.inbox");
  }

  /** The application's own lifecycle, with a listener of its own (not a bean), and a quick handler. */
  @Configuration(proxyBeanMethods = false)
  static class OwnLifecycle {
    static final java.util.List<io.hookguard.delivery.DeliveryAudit> SEEN =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    @Bean
    io.hookguard.delivery.DeliveryLifecycle lifecycle() {
      return io.hookguard.delivery.DeliveryLifecycle.builder().listener(SEEN::add).build();
    }

    @Bean
    InMemoryInboxStore store() {
      return InMemoryInboxStore.create();
    }

    @Bean
    Object quickHandler() {
      return new Object() {
        @InboxListener("orders")
        void order(byte[] body) {}
      };
    }
  }

  @Test
  void anInboxEndpointRunsThroughTheApplicationsOwnDeliveryLifecycle() throws Exception {
    var application = new org.springframework.boot.SpringApplication(OwnLifecycle.class, WebBootstrap.class);
    application.setDefaultProperties(java.util.Map.of(
        "hookguard.endpoints.orders.provider", "standard-webhooks", "hookguard.endpoints.orders.secrets", SECRET,
        "hookguard.endpoints.orders.inbox", "true", "hookguard.endpoints.orders.path", "/hooks/orders",
        "server.port", "0"));
    try (var app = application.run()) {
      assertThat(app.getBean(io.hookguard.delivery.DeliveryLifecycle.class))
          .isSameAs(app.getBean("lifecycle"));
      WebhookRequest signed = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build()
          .sign(WebhookRequest.builder().url("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port")
              + "/hooks/orders").header("webhook-id", "msg_own_lifecycle").header("Content-Type", "application/json")
              .body("{\"type\":\"order.created\"}").build());

      assertThat(InboxScenarios.send(signed).statusCode()).isEqualTo(200);

      assertThat(OwnLifecycle.SEEN).singleElement().satisfies(audit -> {
        assertThat(audit.endpoint()).isEqualTo("orders");
        assertThat(audit.eventId()).isEqualTo("msg_own_lifecycle");
        assertThat(audit.outcome()).isEqualTo(io.hookguard.delivery.DeliveryAudit.Outcome.STORED);
      });
    }
  }
}
