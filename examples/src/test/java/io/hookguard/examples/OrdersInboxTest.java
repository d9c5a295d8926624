package io.hookguard.examples;

import static io.hookguard.examples.Orders.eventually;
import static io.hookguard.examples.Orders.order;
import static io.hookguard.examples.Orders.runs;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.examples.receiver.ReceiverApplication;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.RetryPolicy;
import io.hookguard.spring.HookguardInboxProperties;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The receiver's orders endpoint as issue 18 describes it, over real HTTP against the real app
 * and its own configuration (on an in-memory H2 here): stored and answered before the 200 ms
 * handler ran, {@code fail_times} retried, a dead letter listed and replayed, the retry settings.
 */
@SpringBootTest(classes = ReceiverApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersInboxTest {
  @Value("${local.server.port}")
  int port;

  @Autowired
  Inbox inbox;

  @Autowired
  HookguardInboxProperties settings;

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  @Test
  void anOrderIsAnsweredBeforeItsHandlerRanAndThenRunsOnce() {
    String id = "msg_fast_" + run;

    HttpResponse<String> answer = Http.send(order(base(), id, 0));
    int runsWhenAnswered = runs(base(), id);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(runsWhenAnswered).as("the handler takes 200 ms; the answer did not wait for it").isZero();
    eventually("the handler ran", Duration.ofSeconds(10), () -> runs(base(), id) == 1);
    HttpResponse<String> retry = Http.send(Orders.SIGNER.sign(order(base(), id, 0)));
    assertThat(retry.headers().firstValue("Hookguard-Replay")).hasValue("true");
    assertThat(runs(base(), id)).isEqualTo(1);
  }

  @Test
  void anOrderFailingTwiceIsRetriedAndRunsOnce() {
    String id = "msg_flaky_" + run;

    assertThat(Http.send(order(base(), id, 2)).statusCode()).isEqualTo(200);

    eventually("retried, then ran", Duration.ofSeconds(15), () -> runs(base(), id) == 1);
    assertThat(Orders.deadLetter(base(), id)).isNull();
  }

  @Test
  void anOrderFailingEveryAttemptIsADeadLetterUntilReplayed() {
    String id = "msg_doomed_" + run;
    assertThat(Http.send(order(base(), id, 4)).statusCode()).isEqualTo(200);

    eventually("a dead letter", Duration.ofSeconds(20), () -> Orders.deadLetter(base(), id) != null);
    String letter = Orders.deadLetter(base(), id);
    assertThat(letter).contains("\"attempts\":4").contains("\"lastError\":\"java.lang.IllegalStateException: "
        + "order handler failed on attempt 4").doesNotContain("fail_times\":");
    assertThat(runs(base(), id)).isZero();

    HttpResponse<String> replay = Http.send(HttpRequest.newBuilder(URI.create(base() + "/inbox/dead-letters/"
        + io.hookguard.examples.sender.DemoSender.field(letter, "id") + "/replay"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());

    assertThat(replay.statusCode()).isEqualTo(202);
    eventually("the replay ran", Duration.ofSeconds(10), () -> runs(base(), id) == 1);
    assertThat(Orders.deadLetter(base(), id)).isNull();
    assertThat(Http.send(HttpRequest.newBuilder(URI.create(base() + "/inbox/dead-letters/999999/replay"))
        .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(404);
  }

  @Test
  void retriesAreFourAttemptsTheFirstWithinASecondCappedAtFourSecondsUnderAFifteenSecondLease() {
    RetryPolicy retry = inbox.retryPolicy();
    Random random = new Random(18);

    assertThat(retry.maxAttempts()).isEqualTo(4);
    for (int i = 0; i < 100; i++) {
      // Plus at most one poll interval before an idle worker takes it.
      assertThat(retry.nextDelay(1, Duration.ZERO, random).orElseThrow().plus(settings.getPollInterval()))
          .isLessThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(retry.nextDelay(3, Duration.ZERO, random).orElseThrow()).isLessThanOrEqualTo(Duration.ofSeconds(4));
    }
    assertThat(retry.nextDelay(4, Duration.ZERO, random)).isEmpty();
    assertThat(settings.getLease()).isLessThanOrEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aForgedOrderIsRefusedAndNeverHandled() {
    String id = "msg_forged_" + run;
    var forged = order(base(), id, 0).toBuilder().body("{\"type\":\"order.created\",\"total\":9000}").build();

    assertThat(Http.send(forged).statusCode()).isEqualTo(401);
    assertThat(runs(base(), id)).isZero();
  }
}
