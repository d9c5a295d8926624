package io.hookguard.springreactive;

import static io.hookguard.springreactive.WebFluxWebhookIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.spring.WebhookRejectedException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * On WebFlux too the application's own {@code @ControllerAdvice} takes Hookguard's rejections
 * first, for annotated handlers and functional routes alike, with the retry hint's header.
 */
@SpringBootTest(classes = ReactiveWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive",
        "hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=whsec_flux_advice",
        "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=unused",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused",
        "hookguard.endpoints.standard.provider=standard-webhooks",
        "hookguard.endpoints.standard.secrets=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
@Import(WebFluxCustomAdviceTest.MyAdvice.class)
class WebFluxCustomAdviceTest {

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
            .header("Content-Type", "application/json").body("{\"id\":\"evt_flux_advice\"}").build());

    HttpResponse<String> response = send(forged);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.body()).contains("\"tenant\":\"acme\"").contains("\"slug\":\"no-matching-signature\"")
        .contains("\"type\":\"urn:hookguard:problem:no-matching-signature\"");
    WebhookRequest unsigned = WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/standard")
        .header("Content-Type", "application/json").body("{}").build();
    HttpResponse<String> route = send(unsigned);
    assertThat(route.statusCode()).isEqualTo(400);
    assertThat(route.body()).contains("\"tenant\":\"acme\"").contains("\"slug\":\"missing-header\"");
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_advice")).isZero();
  }
}
