package io.hookguard.spring;

import static io.hookguard.spring.SpringWebhookIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The application's own {@code @ControllerAdvice} takes Hookguard's rejections first. */
@SpringBootTest(classes = TestWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=whsec_advice",
        "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=unused",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused"})
@Import(CustomAdviceTest.MyAdvice.class)
class CustomAdviceTest {

  /** Re-labels every webhook rejection, keeping Spring's ProblemDetail built by the exception. */
  @RestControllerAdvice
  static class MyAdvice {
    @ExceptionHandler(WebhookRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(WebhookRejectedException e) {
      ProblemDetail body = e.getBody();
      body.setProperty("tenant", "acme");
      body.setProperty("slug", e.answer().reason().orElseThrow().slug());
      return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders()).body(body);
    }
  }

  @Value("${local.server.port}")
  int port;

  @Test
  void theAppsAdviceRendersTheRejection() {
    WebhookRequest forged = WebhookSigner.builder(Providers.STRIPE).secret("whsec_wrong").build()
        .sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/stripe")
            .header("Content-Type", "application/json").body("{\"id\":\"evt_advice\"}").build());

    HttpResponse<String> response = send(forged);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.body()).contains("\"tenant\":\"acme\"").contains("\"slug\":\"no-matching-signature\"")
        .contains("\"type\":\"urn:hookguard:problem:no-matching-signature\"");
    assertThat(TestWebhookApplication.runsOf("evt_advice")).isZero();
  }
}
