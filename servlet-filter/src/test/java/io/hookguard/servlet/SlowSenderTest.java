package io.hookguard.servlet;

import static io.hookguard.servlet.AttackTarget.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hookguard.WebhookRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Senders that trickle their body: an endpoint with a body-read deadline answers 408 when it
 * passes, so slow connections cannot hold the container's threads and starve real deliveries.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class SlowSenderTest {
  /** The container this run of the class is in. */
  @Parameter
  Container container;

  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final int MAX_THREADS = 8;
  private static AttackTarget target;
  private static ExecutorService senders;

  @BeforeParameterizedClassInvocation
  static void start(Container container) {
    senders = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "slow-sender");
      thread.setDaemon(true);
      return thread;
    });
    target = AttackTarget.start(container, stripe -> stripe.readTimeout(DEADLINE), MAX_THREADS);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    senders.shutdownNow();
    if (target != null) {
      target.close();
    }
  }

  /**
   * Opens a connection that declares a 100-byte signed Stripe body and sends one byte every
   * 300 ms, while waiting for the answer.
   */
  private static CompletableFuture<RawHttp.Answer> trickle(String probe, Duration wait) {
    return CompletableFuture.supplyAsync(() -> {
      WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_slow_" + probe);
      StringBuilder head = new StringBuilder("POST " + AttackTarget.STRIPE_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      head.append("Content-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n");
      head.append("Stripe-Signature: ").append(signed.headers().first("Stripe-Signature")).append("\r\n");
      head.append(SeenServlet.PROBE_HEADER).append(": ").append(probe).append("\r\n\r\n");
      return RawHttp.trickle(target.port(), head.toString(), wait);
    }, senders);
  }

  @Test
  void aSenderTricklingItsBodyGetsARequestTimeoutWhenTheDeadlinePasses() {
    String probe = AttackTarget.probe();

    RawHttp.Answer answer = trickle(probe, Duration.ofSeconds(5)).join();

    assertThat(answer.none()).as("answered within 5 s: %s", answer).isFalse();
    assertProblem(answer, 408, "body-read-timeout");
    assertThat(answer.millis()).as("answered after the 1 s deadline, well before 5 s").isBetween(800L, 5_000L);
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @Test
  void twentySlowSendersDoNotStarveTenRealDeliveries() throws Exception {
    List<CompletableFuture<RawHttp.Answer>> slow = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      slow.add(trickle(AttackTarget.probe(), Duration.ofSeconds(10)));
    }
    Thread.sleep(200); // the slow ones hold their connections (and, today, the threads) first

    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> real = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_real_" + i + "_" + AttackTarget.probe());
      real.add(target.server.client().sendAsync(TestServer.post(signed).timeout(Duration.ofSeconds(8)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : real) {
      try {
        statuses.add(response.get(10, TimeUnit.SECONDS).statusCode());
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        statuses.add(-1);
      }
    }
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertThat(statuses).as("the real deliveries' answers (-1: none within 8 s)").containsOnly(200).hasSize(10);
    assertThat(millis).as("all ten answered within a few seconds").isLessThan(6_000L);
    for (CompletableFuture<RawHttp.Answer> answer : slow) {
      RawHttp.Answer a = answer.get(15, TimeUnit.SECONDS);
      if (a.none()) {
        fail("a slow sender got no answer: " + a);
      }
      assertThat(a.status()).as("%s", a).isEqualTo(408);
    }
  }
}
