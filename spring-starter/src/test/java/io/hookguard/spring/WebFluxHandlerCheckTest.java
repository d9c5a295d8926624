package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.VerifiedWebhook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The startup checks of a WebFlux application's handlers against {@code hookguard.endpoints}:
 * annotated handlers and functional routes naming unconfigured endpoints, and a
 * {@link VerifiedWebhook} parameter without {@link Webhook}, stop startup; an endpoint only a
 * functional route uses is not reported as unused.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebFluxHandlerCheckTest {
  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class))
      .withUserConfiguration(Flux.class)
      .withPropertyValues("hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=whsec_x");

  /** WebFlux's handler mappings and adapters, without a server (not a @Configuration: never scanned). */
  @EnableWebFlux
  static class Flux {}

  @RestController
  static class MisnamedController {
    @PostMapping("/flux-check/misnamed")
    @Webhook("strype")
    String stripe(@RequestBody String body) {
      return body;
    }
  }

  @RestController
  static class UnannotatedController {
    @PostMapping("/flux-check/unannotated")
    String orders(@RequestBody String body, VerifiedWebhook delivery) {
      return body;
    }
  }

  static class MisnamedRoute {
    @Bean
    RouterFunction<ServerResponse> misnamedRoute(HookguardWebFlux hookguard) {
      return RouterFunctions.route().POST("/flux-check/route", request -> ServerResponse.ok().build())
          .filter(hookguard.verified("strype")).build();
    }
  }

  static class StripeRoute {
    @Bean
    RouterFunction<ServerResponse> stripeRoute(HookguardWebFlux hookguard) {
      return RouterFunctions.route().POST("/flux-check/stripe", request -> ServerResponse.ok().build())
          .filter(hookguard.verified("stripe")).build();
    }
  }

  private static String refusal(AssertableReactiveWebApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable cause = context.getStartupFailure();
    while (cause != null && !(cause instanceof HookguardConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("failure %s", context.getStartupFailure()).isInstanceOf(HookguardConfigurationException.class);
    return new HookguardFailureAnalyzer().analyze(context.getStartupFailure()).getDescription();
  }

  @Test
  void aMisnamedEndpointStopsStartupForAnnotatedHandlersAndFunctionalRoutes() {
    runner.withBean(MisnamedController.class).run(context ->
        assertThat(refusal(context)).contains("hookguard.endpoints.strype").contains("names no configured endpoint"));
    runner.withUserConfiguration(MisnamedRoute.class).run(context ->
        assertThat(refusal(context)).contains("hookguard.endpoints.strype").contains("verified(\"strype\")"));
  }

  @Test
  void aVerifiedWebhookParameterWithoutWebhookStopsStartup() {
    runner.withBean(UnannotatedController.class).run(context ->
        assertThat(refusal(context)).contains("UnannotatedController#orders").contains("no @Webhook"));
  }

  @Test
  void anEndpointUsedByAFunctionalRouteIsNotReportedUnused(CapturedOutput output) {
    runner.withUserConfiguration(StripeRoute.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(WebhookHandlerAdapter.class);
      assertThat(output.getOut()).doesNotContain("hookguard.endpoints.stripe is configured but");
    });
  }
}
