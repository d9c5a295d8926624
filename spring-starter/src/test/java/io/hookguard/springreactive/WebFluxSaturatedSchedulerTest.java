package io.hookguard.springreactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A saturated {@code hookguardScheduler} (one thread, one queued task) refuses further deliveries
 * with a typed 503 and a retry hint, before verifying or claiming anything, so that the sender's
 * retry runs the handler once the receiver has room again.
 */
@SpringBootTest(classes = ReactiveWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive",
        "hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=" + WebFluxSaturatedSchedulerTest.SECRET,
        "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=unused",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused",
        "hookguard.endpoints.standard.provider=standard-webhooks",
        "hookguard.endpoints.standard.secrets=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
@Import(WebFluxSaturatedSchedulerTest.TinyScheduler.class)
class WebFluxSaturatedSchedulerTest {
  static final String SECRET = "whsec_flux_saturated";
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Value("${local.server.port}")
  int port;

  @TestConfiguration(proxyBeanMethods = false)
  static class TinyScheduler {
    @Bean(destroyMethod = "dispose")
    Scheduler hookguardScheduler() {
      return Schedulers.newBoundedElastic(1, 1, "hookguard-tiny");
    }
  }

  @Test
  void aSaturatedSchedulerAnswersATyped503WithRetryAfterAndClaimsNothing() throws Exception {
    // The one thread runs a sleeping handler, the one queue slot holds the next delivery's first step.
    CompletableFuture<HttpResponse<String>> running = sendAsync(stripe("evt_busy_running", 1500));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ReactiveWebhookApplication.runsOf("evt_busy_running") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    CompletableFuture<HttpResponse<String>> queued = sendAsync(stripe("evt_busy_queued", 0));
    Thread.sleep(300);

    HttpResponse<String> refused = send(stripe("evt_busy_refused", 0));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(refused.body()).contains("\"type\":\"urn:hookguard:problem:server-busy\"").contains("\"status\":503");
    assertThat(running.get().statusCode()).isEqualTo(200);
    assertThat(queued.get().statusCode()).isEqualTo(200);
    // Nothing was claimed for the refused delivery: its retry runs the handler.
    assertThat(ReactiveWebhookApplication.runsOf("evt_busy_refused")).isZero();
    assertThat(send(stripe("evt_busy_refused", 0)).statusCode()).isEqualTo(200);
    assertThat(ReactiveWebhookApplication.runsOf("evt_busy_refused")).isEqualTo(1);
  }

  private WebhookRequest stripe(String eventId, long sleepMillis) {
    return STRIPE.sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/stripe")
        .header("Content-Type", "application/json").header("X-Test-Sleep", Long.toString(sleepMillis))
        .body("{\"id\":\"" + eventId + "\",\"type\":\"invoice.paid\"}").build());
  }

  private static HttpRequest request(WebhookRequest signed) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url())).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(value -> request.header(name, value)));
    return request.build();
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(WebhookRequest signed) {
    return CLIENT.sendAsync(request(signed), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(WebhookRequest signed) throws Exception {
    return CLIENT.send(request(signed), HttpResponse.BodyHandlers.ofString());
  }
}
