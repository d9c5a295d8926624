package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.VerifiedWebhook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The startup check of the Spring MVC handlers against {@code hookguard.endpoints}. The
 * controllers here name only endpoints that {@link MisnamedEndpointTest}'s scanning app
 * configures, so that they cannot change what that test sees.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookHandlerCheckTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class))
      .withUserConfiguration(Mvc.class)
      .withPropertyValues("hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=whsec_x");

  /** Spring MVC's handler mappings, without a server (not a @Configuration: never scanned). */
  @EnableWebMvc
  static class Mvc {}

  @RestController
  static class UnannotatedController {
    @PostMapping("/handler-check/unannotated")
    String orders(@RequestBody String body, VerifiedWebhook delivery) {
      return body;
    }
  }

  @RestController
  static class StripeController {
    @PostMapping("/handler-check/stripe")
    @Webhook("stripe")
    String stripe(@RequestBody String body, VerifiedWebhook delivery) {
      return body;
    }
  }

  @RestController
  @Webhook("stripe")
  static class AnnotatedClassController {
    @PostMapping("/handler-check/class")
    String delivered(VerifiedWebhook delivery) {
      return delivery.provider();
    }
  }

  @Test
  void aVerifiedWebhookParameterWithoutWebhookStopsStartupNamingTheMethod() {
    runner.withBean(StripeController.class).withBean(UnannotatedController.class).run(context -> {
      assertThat(context).hasFailed();
      Throwable cause = context.getStartupFailure();
      while (cause != null && !(cause instanceof HookguardConfigurationException)) {
        cause = cause.getCause();
      }
      assertThat(cause).as("failure %s", context.getStartupFailure())
          .isInstanceOf(HookguardConfigurationException.class);
      FailureAnalysis analysis = new HookguardFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("UnannotatedController#orders")
          .contains("VerifiedWebhook").contains("no @Webhook");
      assertThat(analysis.getAction()).contains("@Webhook(").contains("[stripe]");
    });
  }

  @Test
  void anEndpointNoHandlerUsesIsLoggedOnceAsAWarningAtStartup(CapturedOutput output) {
    runner.withPropertyValues("hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=s")
        .withBean(StripeController.class).withBean(AnnotatedClassController.class).run(context -> {
          assertThat(context).hasNotFailed();
          String warning = "hookguard.endpoints.github is configured but no @Webhook(\"github\") handler uses it";
          assertThat(output.getOut().split(java.util.regex.Pattern.quote(warning), -1)).hasSize(2);
          assertThat(output.getOut()).containsPattern("WARN.*" + java.util.regex.Pattern.quote(warning))
              .doesNotContain("hookguard.endpoints.stripe is configured");
        });
  }
}
