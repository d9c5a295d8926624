package io.hookguard.fluxslicetest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.test.TestWebhook;
import io.hookguard.test.WebhookWebTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What a {@code @WebFluxTest} slice with Hookguard must do, on either Boot line. */
public final class FluxSliceAssertions {
  private FluxSliceAssertions() {}

  /**
   * Unsigned, tampered and stale deliveries are refused before the handler; a signed one runs it
   * once and its retry is a replay.
   *
   * @param client the slice's client
   */
  public static void check(WebTestClient client) {
    int before = FluxSliceApplication.RUNS.get();

    EntityExchangeResult<byte[]> unsigned = client.post().uri("/webhooks/stripe")
        .header("Content-Type", "application/json")
        .bodyValue("{\"id\":\"evt_unsigned\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8))
        .exchange().expectBody().returnResult();
    assertThat(unsigned.getStatus().value()).as("unsigned").isEqualTo(400);

    TestWebhook invoice = TestWebhook.of(Providers.STRIPE).eventType("invoice.paid");
    assertThat(status(WebhookWebTestClient.post(client, "/webhooks/stripe", invoice.tamperedBody())))
        .as("tampered").isEqualTo(401);
    assertThat(status(WebhookWebTestClient.post(client, "/webhooks/stripe",
        invoice.timestampShiftedBy(Duration.ofHours(-1))))).as("an hour old").isEqualTo(401);
    assertThat(FluxSliceApplication.RUNS.get()).as("no refused delivery reached the handler").isEqualTo(before);

    EntityExchangeResult<byte[]> signed = WebhookWebTestClient.post(client, "/webhooks/stripe", invoice)
        .exchange().expectBody().returnResult();
    assertThat(signed.getStatus().value()).as("signed").isEqualTo(200);
    assertThat(new String(signed.getResponseBodyContent(), StandardCharsets.UTF_8))
        .contains(invoice.expectedEventId().orElseThrow());
    EntityExchangeResult<byte[]> retry = WebhookWebTestClient.post(client, "/webhooks/stripe", invoice)
        .exchange().expectBody().returnResult();
    assertThat(retry.getStatus().value()).as("the sender's retry").isEqualTo(200);
    assertThat(retry.getResponseHeaders().getFirst("Hookguard-Replay")).as("replay header").isNotNull();
    assertThat(FluxSliceApplication.RUNS.get()).as("the handler ran once").isEqualTo(before + 1);
  }

  private static int status(WebTestClient.RequestHeadersSpec<?> request) {
    return request.exchange().expectBody().returnResult().getStatus().value();
  }
}
