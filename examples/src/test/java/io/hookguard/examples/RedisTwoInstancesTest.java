package io.hookguard.examples;

import static io.hookguard.examples.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import io.hookguard.examples.receiver.ReceiverApplication;
import io.hookguard.redis.RedisProcess;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's two-instance walkthrough: two receivers with the {@code redis} profile, one real
 * Redis server, the same deliveries spread over both; each event runs once between them.
 */
class RedisTwoInstancesTest {

  private static ConfigurableApplicationContext start(int redisPort) {
    return new SpringApplicationBuilder(ReceiverApplication.class).profiles("redis")
        .run("--server.port=0", "--hookguard.dedup.redis.port=" + redisPort, "--spring.jmx.enabled=false");
  }

  private static String url(ConfigurableApplicationContext app, String path) {
    return "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path;
  }

  @Test
  void twoInstancesShareDedupThroughRedis() {
    try (RedisProcess redis = RedisProcess.start();
        ConfigurableApplicationContext first = start(redis.port());
        ConfigurableApplicationContext second = start(redis.port())) {
      WebhookRequest onFirst = ReceiverContractTest.STRIPE.sign(WebhookRequest.builder()
          .url(url(first, "/webhooks/stripe")).header("Content-Type", "application/json")
          .body("{\"id\":\"evt_shared\",\"type\":\"invoice.paid\"}").build());
      WebhookRequest onSecond = ReceiverContractTest.STRIPE.sign(onFirst.toBuilder()
          .url(url(second, "/webhooks/stripe")).build());

      assertThat(send(onFirst).statusCode()).isEqualTo(200);
      HttpResponse<String> retry = send(onSecond);
      assertThat(retry.statusCode()).isEqualTo(200);
      assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");

      // A burst split over both instances.
      WebhookRequest burstFirst = ReceiverContractTest.STRIPE.sign(onFirst.toBuilder()
          .body("{\"id\":\"evt_shared_burst\",\"type\":\"invoice.paid\"}").build());
      WebhookRequest burstSecond = ReceiverContractTest.STRIPE.sign(burstFirst.toBuilder()
          .url(url(second, "/webhooks/stripe")).build());
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        WebhookRequest target = i % 2 == 0 ? burstFirst : burstSecond;
        responses.add(Http.CLIENT.sendAsync(Http.request(target), HttpResponse.BodyHandlers.ofString()));
      }
      assertThat(responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode))
          .allMatch(status -> status == 200 || status == 409);

      String firstCounts = Http.get(url(first, "/processed")).body();
      String secondCounts = Http.get(url(second, "/processed")).body();
      int shared = count(firstCounts, "evt_shared") + count(secondCounts, "evt_shared");
      int burst = count(firstCounts, "evt_shared_burst") + count(secondCounts, "evt_shared_burst");
      assertThat(shared).isEqualTo(1);
      assertThat(burst).isEqualTo(1);
    }
  }

  private static int count(String processed, String eventId) {
    String needle = "\"" + eventId + "\":";
    int at = processed.indexOf(needle);
    return at < 0 ? 0 : Character.getNumericValue(processed.charAt(at + needle.length()));
  }
}
