package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Web stacks Hookguard does not protect refuse to start with {@code @Webhook} handlers, which
 * would otherwise run unverified; without such handlers they start as before. Spring WebFlux is
 * protected now and starts. The handlers here
 * are plain beans (no stereotype), so no scanning application picks them up.
 */
class UnprotectedStackTest {
  private static final AutoConfigurations HOOKGUARD = AutoConfigurations.of(HookguardAutoConfiguration.class,
      HookguardUnprotectedStackAutoConfiguration.class);

  private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
      .withConfiguration(HOOKGUARD)
      .withPropertyValues("hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=whsec_x");

  /** A WebFlux handler with {@code @Webhook} on a method. */
  static class ReactiveStripeHandler {
    @Webhook("stripe")
    String stripe(String body) {
      return body;
    }
  }

  /** A WebFlux handler with {@code @Webhook} on the class. */
  @Webhook("slack")
  static class ReactiveSlackHandler {
    String command(String body) {
      return body;
    }
  }

  /** A bean with nothing to do with webhooks. */
  static class PlainBean {
    String hello() {
      return "hello";
    }
  }

  private static FailureAnalysis refusal(ApplicationContextAssertProvider<?> context) {
    return refusal(context.getStartupFailure());
  }

  private static FailureAnalysis refusal(Throwable failure) {
    assertThat(failure).as("startup failure").isNotNull();
    Throwable cause = failure;
    while (cause != null && !(cause instanceof HookguardConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("failure %s", failure).isInstanceOf(HookguardConfigurationException.class);
    FailureAnalysis analysis = new HookguardFailureAnalyzer().analyze(failure);
    assertThat(analysis).isNotNull();
    assertThat(analysis.getAction()).contains("Spring MVC");
    return analysis;
  }

  /** WebFlux's own auto-configuration, on whichever Boot line runs the test. */
  private static AutoConfigurations webFlux() throws ClassNotFoundException {
    for (String name : new String[] {"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
        "org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration"}) {
      try {
        return AutoConfigurations.of(Class.forName(name));
      } catch (ClassNotFoundException e) {
        // the other Boot line
      }
    }
    throw new ClassNotFoundException("WebFluxAutoConfiguration");
  }

  @Test
  void aWebFluxApplicationWithWebhookHandlersStartsProtected() throws Exception {
    reactive.withConfiguration(webFlux()).withBean(PlainBean.class).withBean(ReactiveStripeHandler.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(WebhookEndpoints.class).hasSingleBean(HookguardWebFlux.class)
          .hasSingleBean(WebhookWebFilter.class).doesNotHaveBean(UnprotectedStackCheck.class);
    });
  }

  @Test
  void aServletApplicationWithoutSpringMvcWithWebhookHandlersFailsToStart() {
    WebApplicationContextRunner servletWithoutMvc = new WebApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader(DispatcherServlet.class)).withConfiguration(HOOKGUARD);
    servletWithoutMvc.withBean(ReactiveStripeHandler.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(refusal(context).getDescription()).contains("does not protect servlet applications without Spring MVC")
          .contains("@Webhook(\"stripe\")");
    });
    servletWithoutMvc.withBean(PlainBean.class).run(context -> assertThat(context).hasNotFailed());
  }
}
