package io.hookguard.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.VerifiedWebhook;
import io.hookguard.spring.HookguardAutoConfiguration;
import io.hookguard.spring.HookguardConfigurationException;
import io.hookguard.spring.Webhook;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * A sender that proves its endpoint with a {@code GET} (Meta, Braintree) or {@code HEAD}
 * (Mandrill) cannot subscribe an endpoint whose handlers are mapped for {@code POST} alone: the
 * framework answers 405 before Hookguard sees the handshake. Startup says so, on both stacks, and
 * names the endpoint, the method and the fix.
 */
class HandshakeRoutingCheckTest {
  private static final String[] ENDPOINTS = {
      "hookguard.endpoints.meta.provider=meta", "hookguard.endpoints.meta.secrets=app-secret",
      "hookguard.endpoints.meta.verify-tokens=token",
      "hookguard.endpoints.mandrill.provider=mandrill", "hookguard.endpoints.mandrill.secrets=key"};

  private final WebApplicationContextRunner mvc = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class))
      .withUserConfiguration(Mvc.class).withPropertyValues(ENDPOINTS);
  private final ReactiveWebApplicationContextRunner flux = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class))
      .withUserConfiguration(Flux.class).withPropertyValues(ENDPOINTS);

  @EnableWebMvc
  static class Mvc {}

  @EnableWebFlux
  static class Flux {}

  @RestController
  static class PostOnlyMeta {
    @PostMapping("/routing/meta")
    @Webhook("meta")
    String meta(@RequestBody byte[] body, VerifiedWebhook delivery) {
      return "ok";
    }
  }

  /** Two handlers of one endpoint: the POST one and a GET one; together they let the handshake in. */
  @RestController
  static class MetaOnTwoMethods {
    @PostMapping("/routing/meta")
    @Webhook("meta")
    String meta(@RequestBody byte[] body, VerifiedWebhook delivery) {
      return "ok";
    }

    @GetMapping("/routing/meta")
    @Webhook("meta")
    String subscribe(VerifiedWebhook delivery) {
      return "never reached: Hookguard answers the handshake";
    }
  }

  @RestController
  static class PostOnlyMandrill {
    @PostMapping("/routing/mandrill")
    @Webhook("mandrill")
    String mandrill(@RequestBody byte[] body, VerifiedWebhook delivery) {
      return "ok";
    }
  }

  /** Mapped for GET and POST: both stacks serve HEAD with the GET mapping. */
  @RestController
  static class MandrillOnGetAndPost {
    @RequestMapping(path = "/routing/mandrill", method = {RequestMethod.GET, RequestMethod.POST})
    @Webhook("mandrill")
    String mandrill(@RequestBody(required = false) byte[] body, VerifiedWebhook delivery) {
      return "ok";
    }
  }

  /** Mapped for every method (no method condition). */
  @RestController
  static class MandrillOnEveryMethod {
    @RequestMapping("/routing/mandrill")
    @Webhook("mandrill")
    String mandrill(@RequestBody(required = false) byte[] body, VerifiedWebhook delivery) {
      return "ok";
    }
  }

  @Test
  void aMetaEndpointMappedForPostAloneStopsStartupNamingGet() {
    mvc.withBean(PostOnlyMeta.class).withBean(MandrillOnGetAndPost.class)
        .run(context -> assertRefused(context, "meta", "GET"));
    flux.withBean(PostOnlyMeta.class).withBean(MandrillOnGetAndPost.class)
        .run(context -> assertRefused(context, "meta", "GET"));
  }

  @Test
  void aMandrillEndpointMappedForPostAloneStopsStartupNamingHead() {
    mvc.withBean(MetaOnTwoMethods.class).withBean(PostOnlyMandrill.class)
        .run(context -> assertRefused(context, "mandrill", "HEAD"));
    flux.withBean(MetaOnTwoMethods.class).withBean(PostOnlyMandrill.class)
        .run(context -> assertRefused(context, "mandrill", "HEAD"));
  }

  @Test
  void handshakesRoutedByAnyOfTheEndpointsHandlersOrByAGetMappingForHeadStartNormally() {
    mvc.withBean(MetaOnTwoMethods.class).withBean(MandrillOnGetAndPost.class)
        .run(context -> assertThat(context).hasNotFailed());
    flux.withBean(MetaOnTwoMethods.class).withBean(MandrillOnEveryMethod.class)
        .run(context -> assertThat(context).hasNotFailed());
  }

  private static void assertRefused(ApplicationContextAssertProvider<?> context, String endpoint, String method) {
    assertThat(context).hasFailed();
    Throwable cause = context.getStartupFailure();
    while (cause != null && !(cause instanceof HookguardConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("failure %s", context.getStartupFailure()).isInstanceOf(HookguardConfigurationException.class);
    HookguardConfigurationException refusal = (HookguardConfigurationException) cause;
    assertThat(refusal.property()).isEqualTo("hookguard.endpoints." + endpoint);
    assertThat(refusal.getMessage()).contains("with a " + method + " request").contains("405");
    assertThat(refusal.action()).contains("RequestMethod." + method);
  }
}
