package io.hookguard.spring;

import static io.hookguard.spring.SpringWebhookIntegrationTest.assertProblem;
import static io.hookguard.spring.SpringWebhookIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.redis.RedisProcess;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter on the shared Redis store, a real server started by the test: duplicates across
 * the store, 503 while Redis is down, the health indicator going DOWN and UP again.
 */
@SpringBootTest(classes = TestWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=unused",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused",
        "hookguard.endpoints.stripe.secrets=" + SpringRedisIntegrationTest.SECRET,
        "hookguard.dedup.store=redis",
        "hookguard.dedup.redis.host=127.0.0.1",
        "hookguard.dedup.outage-retry-after=7s",
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.show-details=always"})
class SpringRedisIntegrationTest {
  static final String SECRET = "whsec_spring_redis_secret";
  private static final RedisProcess REDIS = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();

  @DynamicPropertySource
  static void redisPort(DynamicPropertyRegistry registry) {
    registry.add("hookguard.dedup.redis.port", REDIS::port);
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  @Value("${local.server.port}")
  int port;

  @Autowired
  MeterRegistry meters;

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
  void duplicatesAreRecognisedThroughRedisAndAnOutageFailsClosedAndShowsInHealth() throws Exception {
    assertThat(send(delivery("evt_redis_1")).statusCode()).isEqualTo(200);
    HttpResponse<String> retry = send(delivery("evt_redis_1"));
    assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertThat(TestWebhookApplication.runsOf("evt_redis_1")).isEqualTo(1);
    assertThat(health().body()).contains("\"hookguardRedis\"").contains("\"status\":\"UP\"")
        .contains("\"unrecordedCompletions\":0").contains("\"unrecordedOutcomes\":0")
        .contains("\"failOpenRuns\":0").contains("\"lostLeases\":0").doesNotContain("\"hookguardDedup\"");
    assertThat(meters.find("hookguard.dedup.unrecorded-completions").functionCounter()).isNotNull()
        .satisfies(counter -> assertThat(counter.count()).isZero());

    REDIS.kill();
    HttpResponse<String> unavailable = send(delivery("evt_redis_2"));
    assertProblem(unavailable, 503, "store-unavailable");
    assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("7");
    HttpResponse<String> down = health();
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("\"status\":\"DOWN\"");
    assertThat(TestWebhookApplication.runsOf("evt_redis_2")).isZero();

    REDIS.restart();
    int status = 0;
    for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
      status = send(delivery("evt_redis_2")).statusCode();
    }
    assertThat(status).isEqualTo(200);
    assertThat(send(delivery("evt_redis_1")).headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertThat(TestWebhookApplication.runsOf("evt_redis_1")).isEqualTo(1);
    assertThat(TestWebhookApplication.runsOf("evt_redis_2")).isEqualTo(1);
    assertThat(health().body()).contains("\"status\":\"UP\"");
  }
}
