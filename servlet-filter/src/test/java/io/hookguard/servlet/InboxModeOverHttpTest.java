package io.hookguard.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.inbox.FlakyInboxStore;
import io.hookguard.inbox.InMemoryInboxStore;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxDelivery;
import io.hookguard.inbox.InboxState;
import io.hookguard.inbox.InboxStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter's endpoint in inbox mode, in a real container (Tomcat and Jetty) over real HTTP, with
 * no adapter code beyond the filter's own: the sender's answer comes once the delivery is stored,
 * before the handler ran; the handler gets the exact bytes in the background.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class InboxModeOverHttpTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final WebhookSigner SIGNER = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build();

  @Parameter
  Container container;

  private static final List<InboxDelivery> handled = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean down = new AtomicBoolean();
  private static volatile CountDownLatch gate = new CountDownLatch(0);
  private static RecordingServlet app;
  private static InboxStore store;
  private static Inbox inbox;
  private static TestServer server;

  @BeforeParameterizedClassInvocation
  static void start(Container container) {
    app = new RecordingServlet();
    store = FlakyInboxStore.wrap(InMemoryInboxStore.create(), down);
    inbox = Inbox.builder(store).handler("orders", delivery -> {
      gate.await(10, TimeUnit.SECONDS);
      handled.add(delivery);
    }).pollInterval(Duration.ofMillis(50)).build().start();
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint("/webhooks/orders", WebhookEndpoint.builder("orders",
            WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET).build()).inbox(inbox).build())
        .build();
    server = container.start(filter, Map.of("/*", app));
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    inbox.close();
    server.close();
    handled.clear();
  }

  private static WebhookRequest order(String id, String body) {
    return SIGNER.sign(WebhookRequest.builder().url(server.url("/webhooks/orders")).header("webhook-id", id)
        .header("Content-Type", "application/json").body(body).build());
  }

  private static HttpResponse<String> send(WebhookRequest request) {
    return server.send(TestServer.post(request).build());
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void theSenderIsAnsweredOnceStoredBeforeTheHandlerRunsWhichThenGetsTheExactBytes() throws Exception {
    gate = new CountDownLatch(1); // the handler cannot finish until the sender has its answer
    String body = "{\"type\":\"order.created\",\"data\":{\"id\":\"o_1\",\"note\":\"caf\u00e9 \\u00e9\"}}";
    WebhookRequest delivery = order("msg_http_1", body);

    HttpResponse<String> response = send(delivery);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue(Answer.REPLAY_HEADER)).isEmpty();
    assertThat(handled).noneMatch(d -> "msg_http_1".equals(d.eventId()));
    gate.countDown();
    await(() -> handled.stream().anyMatch(d -> "msg_http_1".equals(d.eventId())));
    InboxDelivery got = handled.stream().filter(d -> "msg_http_1".equals(d.eventId())).findFirst().orElseThrow();
    assertThat(got.body()).isEqualTo(body.getBytes(UTF_8));
    assertThat(got.contentType()).isEqualTo("application/json");
    assertThat(got.eventType()).isEqualTo("order.created");
    assertThat(got.source()).isEqualTo("127.0.0.1");
    assertThat(app.requests()).as("the servlet behind the filter is never reached").isZero();

    HttpResponse<String> retry = send(delivery);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.headers().firstValue(Answer.REPLAY_HEADER)).hasValue("true");
  }

  @Test
  void aTamperedDeliveryIs401AndNeverStored() {
    WebhookRequest signed = order("msg_http_forged", "{\"amount\":1}");
    WebhookRequest tampered = signed.toBuilder().body("{\"amount\":9}").build();
    long before = store.depth().values().stream().mapToLong(Long::longValue).sum();

    HttpResponse<String> response = send(tampered);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Answer.PROBLEM_MEDIA_TYPE);
    assertThat(store.depth().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(before);
  }

  @Test
  void aStoreThatIsDownIs503WithRetryAfterAndTheRetryIsStored() throws Exception {
    gate = new CountDownLatch(0);
    WebhookRequest delivery = order("msg_http_down", "{}");
    down.set(true);
    HttpResponse<String> refused;
    try {
      refused = send(delivery);
    } finally {
      down.set(false);
    }

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.body()).contains("urn:hookguard:problem:store-unavailable");
    assertThat(send(delivery).statusCode()).isEqualTo(200);
    await(() -> handled.stream().anyMatch(d -> "msg_http_down".equals(d.eventId())));
    await(() -> store.depth().get(InboxState.IN_FLIGHT) == 0);
  }
}
