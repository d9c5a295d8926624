package io.hookguard.examples;

import static io.hookguard.examples.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.test.TestWebhook;
import java.net.URI;
import java.net.http.HttpRequest;
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

  private static URI url(ConfigurableApplicationContext app, String path) {
    return URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path);
  }

  @Test
  void twoInstancesShareDedupThroughRedis() {
    try (RedisProcess redis = RedisProcess.start();
        ConfigurableApplicationContext first = start(redis.port());
        ConfigurableApplicationContext second = start(redis.port())) {
      TestWebhook event = ReceiverContractTest.STRIPE.eventId("evt_shared").eventType("invoice.paid");

      assertThat(send(event.httpRequest(url(first, "/webhooks/stripe"))).statusCode()).isEqualTo(200);
      HttpResponse<String> retry = send(event.httpRequest(url(second, "/webhooks/stripe")));
      assertThat(retry.statusCode()).isEqualTo(200);
      assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");

      // A burst split over both instances.
      TestWebhook burstEvent = ReceiverContractTest.STRIPE.eventId("evt_shared_burst").eventType("invoice.paid");
      HttpRequest burstFirst = burstEvent.httpRequest(url(first, "/webhooks/stripe"));
      HttpRequest burstSecond = burstEvent.httpRequest(url(second, "/webhooks/stripe"));
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        HttpRequest target = i % 2 == 0 ? burstFirst : burstSecond;
        responses.add(Http.CLIENT.sendAsync(target, HttpResponse.BodyHandlers.ofString()));
      }
      assertThat(responses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode))
          .allMatch(status -> status == 200 || status == 409);

      String firstCounts = Http.get(url(first, "/processed").toString()).body();
      String secondCounts = Http.get(url(second, "/processed").toString()).body();
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
