package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A {@code @Webhook} naming an unconfigured endpoint stops startup, naming the property. */
class MisnamedEndpointTest {

  @Test
  void startupFailsNamingTheMissingEndpoint() {
    Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestWebhookApplication.class)
        .properties("server.port=0", "spring.jmx.enabled=false",
            "hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=s",
            "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=s")
        .run().close());

    Throwable cause = failure;
    while (cause != null && !(cause instanceof HookguardConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("failure %s", failure).isInstanceOf(HookguardConfigurationException.class);
    assertThat(((HookguardConfigurationException) cause).property()).isEqualTo("hookguard.endpoints.github");
    FailureAnalysis analysis = new HookguardFailureAnalyzer().analyze(failure);
    assertThat(analysis.getDescription()).contains("@Webhook(\"github\")");
  }
}
