package io.hookguard.springreactive;

import static io.hookguard.springreactive.WebFluxWebhookIntegrationTest.assertProblem;
import static io.hookguard.springreactive.WebFluxWebhookIntegrationTest.burst;
import static io.hookguard.springreactive.WebFluxWebhookIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.redis.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The WebFlux adapter on the shared Redis store, a real server started by the test: duplicates
 * and a concurrent burst through Redis, an outage failing closed with 503 and the health
 * indicator going DOWN — and no Redis call (Jedis blocks on its socket) on a Netty event loop.
 */
@SpringBootTest(classes = ReactiveWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=reactive",
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.stripe.secrets=" + WebFluxRedisTest.SECRET,
        "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=unused",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused",
        "hookguard.endpoints.standard.provider=standard-webhooks",
        "hookguard.endpoints.standard.secrets=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "hookguard.dedup.store=redis",
        "hookguard.dedup.outage-retry-after=7s",
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.show-details=always"})
class WebFluxRedisTest {
  static final String SECRET = "whsec_webflux_redis_secret";
  private static final RedisProcess REDIS = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();

  @DynamicPropertySource
  static void redisPort(DynamicPropertyRegistry registry) {
    registry.add("hookguard.dedup.redis.port", REDIS::port);
  }

  @AfterAll
  static void stopRedisAndCheckTheEventLoops() {
    REDIS.close();
    assertThat(OffEventLoop.VIOLATIONS).as("blocking calls on an event loop").isEmpty();
  }

  @Value("${local.server.port}")
  int port;

  private WebhookRequest delivery(String eventId) {
    return STRIPE.sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/stripe")
        .header("Content-Type", "application/json")
        .body("{\"id\":\"" + eventId + "\",\"type\":\"charge.succeeded\"}").build());
  }

  private HttpResponse<String> health() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void duplicatesAndABurstGoThroughRedisOffTheEventLoopAndAnOutageFailsClosed() throws Exception {
    int redisCallsBefore = OffEventLoop.CHECKED.get();
    assertThat(send(delivery("evt_flux_redis_1")).statusCode()).isEqualTo(200);
    HttpResponse<String> retry = send(delivery("evt_flux_redis_1"));
    assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_redis_1")).isEqualTo(1);
    assertThat(OffEventLoop.CHECKED.get()).as("Redis calls checked").isGreaterThan(redisCallsBefore);

    WebhookRequest slow = delivery("evt_flux_redis_burst").toBuilder().header("X-Test-Sleep", "300").build();
    List<Integer> statuses = burst(slow, 20).stream().map(HttpResponse::statusCode).toList();
    assertThat(statuses).isSubsetOf(200, 409).contains(200);
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_redis_burst")).isEqualTo(1);
    assertThat(health().body()).contains("\"hookguardRedis\"").contains("\"status\":\"UP\"");

    REDIS.kill();
    HttpResponse<String> unavailable = send(delivery("evt_flux_redis_2"));
    assertProblem(unavailable, 503, "store-unavailable");
    assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(health().statusCode()).isEqualTo(503);
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_redis_2")).isZero();

    REDIS.restart();
    int status = 0;
    for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
      status = send(delivery("evt_flux_redis_2")).statusCode();
    }
    assertThat(status).isEqualTo(200);
    assertThat(send(delivery("evt_flux_redis_1")).headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertThat(ReactiveWebhookApplication.runsOf("evt_flux_redis_2")).isEqualTo(1);
  }
}
