package io.hookguard.springreactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.test.TestWebhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A sender that reuses one keep-alive connection and sends its next delivery the moment the
 * previous answer arrives, as senders do: every delivery on that connection is read and answered.
 * Hookguard answers from its scheduler, not the event loop; Reactor Netty 1.3 loses the next
 * request's read when an exchange's last frame is written off the loop and the next request
 * arrives before the exchange terminated (reactor-netty issues 2992, 4188, 4361).
 */
@SpringBootTest(classes = ReactiveWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=reactive",
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.stripe.secrets=" + WebFluxKeepAliveTest.SECRET,
        // the application's other handlers need their endpoints configured
        "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=unused-github",
        "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=unused-slack",
        "hookguard.endpoints.standard.provider=standard-webhooks",
        "hookguard.endpoints.standard.secrets=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
class WebFluxKeepAliveTest {
  static final String SECRET = "whsec_keepalive_secret";
  static final TestWebhook STRIPE = TestWebhook.of(Providers.STRIPE, SECRET);

  @Value("${local.server.port}")
  int port;

  @Test
  void everyDeliveryOnOneKeepAliveConnectionIsAnswered() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI stripe = URI.create("http://127.0.0.1:" + port + "/webhooks/stripe");
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < 800 && unanswered.size() < 3; i++) {
      HttpRequest signed = STRIPE.eventId("evt_keepalive_" + UUID.randomUUID()).eventType("invoice.paid")
          .httpRequest(stripe);
      HttpRequest request = HttpRequest.newBuilder(stripe).timeout(Duration.ofSeconds(10))
          .POST(signed.bodyPublisher().orElseThrow()).headers(headers(signed))
          .header("X-Test-Sleep", String.valueOf(i % 4)).build(); // a handler that takes a moment, or none
      for (int copy = 0; copy < 2; copy++) { // the delivery, then its replay
        try {
          HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } catch (HttpTimeoutException e) {
          unanswered.add("request " + i + "." + copy);
        }
      }
    }
    assertThat(unanswered).as("requests never read on a kept-alive connection").isEmpty();
  }

  private static String[] headers(HttpRequest signed) {
    List<String> pairs = new ArrayList<>();
    signed.headers().map().forEach((name, values) -> values.forEach(value -> {
      pairs.add(name);
      pairs.add(value);
    }));
    return pairs.toArray(String[]::new);
  }
}
