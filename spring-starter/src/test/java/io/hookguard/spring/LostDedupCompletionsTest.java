package io.hookguard.spring;

import static io.hookguard.spring.SpringWebhookIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupStore;
import io.hookguard.dedup.DedupStoreException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A completion the store does not record is not lost silently: over real HTTP, a delivery whose
 * completion fails shows as {@code hookguard.dedup.unrecorded-outcomes} and in the
 * {@code hookguardDedup} health details.
 */
@SpringBootTest(classes = TestWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.stripe.secrets=" + LostDedupCompletionsTest.SECRET,
        "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=unused",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused",
        "management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.show-details=always"})
@Import(LostDedupCompletionsTest.FailingCompletions.class)
class LostDedupCompletionsTest {
  static final String SECRET = "whsec_spring_lost_completions";

  /**
   * A store whose completions always fail, as a store down between claim and completion. Not a
   * {@code @Configuration}, so no scanning application picks it up.
   */
  static class FailingCompletions {
    @Bean
    DedupStore failingCompletionStore() {
      CaffeineDedupStore claims = CaffeineDedupStore.create();
      return new DedupStore() {
        @Override
        public ClaimResult claim(String key, String fingerprint, Duration lease) {
          return claims.claim(key, fingerprint, lease);
        }

        @Override
        public boolean complete(String key, String token, Duration retention) {
          throw new DedupStoreException("store lost between claim and completion");
        }

        @Override
        public boolean release(String key, String token) {
          return claims.release(key, token);
        }

        @Override
        public boolean extend(String key, String token, Duration lease) {
          return claims.extend(key, token, lease);
        }
      };
    }
  }

  @Value("${local.server.port}")
  int port;

  @Autowired
  MeterRegistry meters;

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCompletionTheStoreDidNotRecordIsCountedInMetricsAndHealth() throws Exception {
    WebhookRequest delivery = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build()
        .sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + "/webhooks/stripe")
            .header("Content-Type", "application/json").body("{\"id\":\"evt_lost_1\",\"type\":\"invoice.paid\"}")
            .build());

    assertThat(send(delivery).statusCode()).isEqualTo(200);

    assertThat(TestWebhookApplication.runsOf("evt_lost_1")).isEqualTo(1);
    FunctionCounter unrecorded = meters.find("hookguard.dedup.unrecorded-outcomes").functionCounter();
    assertThat(unrecorded).isNotNull();
    assertThat(unrecorded.count()).isEqualTo(1.0);
    assertThat(meters.find("hookguard.dedup.fail-open-runs").functionCounter()).isNotNull()
        .satisfies(counter -> assertThat(counter.count()).isZero());
    assertThat(meters.find("hookguard.dedup.lost-leases").functionCounter()).isNotNull()
        .satisfies(counter -> assertThat(counter.count()).isZero());
    assertThat(get("/actuator/metrics/hookguard.dedup.unrecorded-outcomes").body()).contains("\"value\":1.0");
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    String body = health.body();
    assertThat(body).contains("\"hookguardDedup\":{");
    String dedup = body.substring(body.indexOf("\"hookguardDedup\":{"));
    dedup = dedup.substring(0, dedup.indexOf("}}") + 2);
    assertThat(dedup).contains("\"status\":\"UP\"").contains("\"unrecordedOutcomes\":1")
        .contains("\"failOpenRuns\":0").contains("\"lostLeases\":0");
  }
}
