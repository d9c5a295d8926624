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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * A sender that reuses one keep-alive connection and sends its next delivery the moment the
 * previous answer arrives, as senders do: every delivery on that connection is read and answered.
 * Reactor Netty 1.3 can lose the next request's read when an exchange's last frame is written off
 * the event loop and the next request arrives before the exchange terminated (reactor-netty
 * issues 2992, 4188, 4361); Hookguard runs handlers on its scheduler, and writes every answer
 * from the connection's loop.
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
@Import(WebFluxKeepAliveTest.WriterThreads.class)
class WebFluxKeepAliveTest {
  static final String SECRET = "whsec_keepalive_secret";
  static final TestWebhook STRIPE = TestWebhook.of(Providers.STRIPE, SECRET);

  /** Where each answer was handed to the server to write, by thread kind. */
  static final Map<String, AtomicInteger> WRITTEN_ON = new ConcurrentHashMap<>();

  /**
   * Sees the thread on which each answer goes to the server: a commit hook registered as the
   * answer is written runs after every earlier one (Hookguard's included), on the thread that
   * then hands the answer to Reactor Netty.
   */
  @TestConfiguration
  static class WriterThreads {
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFilter writerThreads() {
      return (exchange, chain) -> chain.filter(exchange.mutate().response(
          new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
              recordWhereWritten();
              return super.writeWith(body);
            }

            @Override
            public Mono<Void> setComplete() {
              recordWhereWritten();
              return super.setComplete();
            }

            private void recordWhereWritten() {
              getDelegate().beforeCommit(() -> Mono.fromRunnable(() -> WRITTEN_ON.computeIfAbsent(
                  (OffEventLoop.onEventLoop() ? "event loop" : Thread.currentThread().getName().replaceAll("-\\d+$", "")),
                  kind -> new AtomicInteger()).incrementAndGet()));
            }
          }).build());
    }
  }

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
      if (i % 8 == 0) { // and now and then a forgery: its refusal goes the same way
        HttpRequest forged = STRIPE.eventId("evt_keepalive_forged_" + i).tamperedBody().httpRequest(stripe);
        try {
          HttpResponse<String> answer = client.send(HttpRequest.newBuilder(stripe).timeout(Duration.ofSeconds(10))
              .POST(forged.bodyPublisher().orElseThrow()).headers(headers(forged)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        } catch (HttpTimeoutException e) {
          unanswered.add("forgery " + i);
        }
      }
    }
    assertThat(unanswered).as("requests never read on a kept-alive connection").isEmpty();
    // Written from the connection's event loop: there the last frame and the exchange's end are
    // one task, with no read of the next request between them.
    assertThat(WRITTEN_ON).containsOnlyKeys("event loop");
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
