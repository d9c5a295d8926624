package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.test.TestKeys;
import io.hookguard.test.TestWebhook;
import io.hookguard.test.WebhookWebTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The test kit against the starter in a real app over real HTTP, on both Boot lines: the
 * deliveries a user's tests send with WebTestClient and java.net.http, for several senders.
 */
@SpringBootTest(classes = TestWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.stripe.secrets=" + TestKeys.SECRET,
        "hookguard.endpoints.github.provider=github",
        "hookguard.endpoints.github.secrets=" + TestKeys.SECRET,
        "hookguard.endpoints.slack.provider=slack",
        "hookguard.endpoints.slack.secrets=" + TestKeys.SECRET,
        "hookguard.endpoints.slack.dedup=false"})
class TestKitOverHttpTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Value("${local.server.port}")
  int port;

  private WebTestClient client() {
    return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
  }

  /**
   * The exchange's result, read without WebTestClient's fluent assertions: this class runs on
   * Spring Framework 6 and 7, whose assertion methods differ in their compiled signatures.
   */
  private static EntityExchangeResult<String> exchange(WebTestClient.RequestHeadersSpec<?> request) {
    return request.exchange().expectBody(String.class).returnResult();
  }

  @Test
  void webTestClientDeliveriesOfSeveralSendersRunOnceAndTamperedOnesAreRefused() {
    TestWebhook invoice = TestWebhook.of(Providers.STRIPE).eventType("invoice.paid");
    EntityExchangeResult<String> first = exchange(WebhookWebTestClient.post(client(), "/webhooks/stripe", invoice));
    assertThat(first.getStatus().value()).as(first.getResponseBody()).isEqualTo(200);
    assertThat(first.getResponseBody()).contains("\"eventId\":\"" + invoice.expectedEventId().orElseThrow() + "\"")
        .contains("\"boundType\":\"invoice.paid\"");
    EntityExchangeResult<String> retry = exchange(WebhookWebTestClient.post(client(), "/webhooks/stripe", invoice));
    assertThat(retry.getStatus().value()).isEqualTo(200);
    assertThat(retry.getResponseHeaders().getFirst("Hookguard-Replay")).isEqualTo("true");
    assertThat(TestWebhookApplication.runsOf(invoice.expectedEventId().orElseThrow())).isEqualTo(1);

    assertThat(exchange(WebhookWebTestClient.post(client(), "/webhooks/github", TestWebhook.of(Providers.GITHUB)))
        .getStatus().value()).isEqualTo(200);
    EntityExchangeResult<String> wrongKey = exchange(WebhookWebTestClient.post(client(), "/webhooks/github",
        TestWebhook.of(Providers.GITHUB).signedWithWrongKey()));
    assertThat(wrongKey.getStatus().value()).isEqualTo(401);
    assertThat(wrongKey.getResponseBody()).contains("urn:hookguard:problem:no-matching-signature");
    EntityExchangeResult<String> command = exchange(WebhookWebTestClient.post(client(), "/webhooks/slack/commands",
        TestWebhook.of(Providers.SLACK).form("command=%2Fdeploy&text=prod")));
    assertThat(command.getStatus().value()).isEqualTo(200);
    assertThat(command.getResponseBody()).contains("/deploy");
  }

  @Test
  void javaNetHttpDeliveriesAreVerifiedAsSent() throws Exception {
    URI stripe = URI.create("http://127.0.0.1:" + port + "/webhooks/stripe");

    HttpResponse<String> ok = CLIENT.send(TestWebhook.of(Providers.STRIPE).httpRequest(stripe),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    HttpResponse<String> stale = CLIENT.send(TestWebhook.of(Providers.STRIPE)
        .timestampShiftedBy(Duration.ofMinutes(-6)).httpRequest(stripe), HttpResponse.BodyHandlers.ofString());
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.body()).contains("timestamp-too-old");
    HttpResponse<String> tampered = CLIENT.send(TestWebhook.of(Providers.GITHUB).tamperedBody()
        .httpRequest(URI.create("http://127.0.0.1:" + port + "/webhooks/github")), HttpResponse.BodyHandlers.ofString());
    assertThat(tampered.statusCode()).isEqualTo(401);
  }
}
