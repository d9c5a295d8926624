package io.hookguard.examples;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.examples.sender.DemoSender;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Signed orders for the receiver's inbox endpoint, and what its other endpoints say about them. */
final class Orders {
  static final WebhookSigner SIGNER = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS)
      .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").build();

  private Orders() {}

  static WebhookRequest order(String baseUrl, String eventId, int failTimes) {
    return SIGNER.sign(WebhookRequest.builder().url(baseUrl + "/webhooks/orders")
        .header("Content-Type", "application/json").header("webhook-id", eventId)
        .body("{\"type\":\"order.created\",\"total\":2000" + (failTimes > 0 ? ",\"fail_times\":" + failTimes : "")
            + "}").build());
  }

  /** The handler's committed runs for an event, per {@code GET /processed}. */
  static int runs(String baseUrl, String eventId) {
    String value = DemoSender.field(Http.get(baseUrl + "/processed").body(), eventId);
    return value.equals("?") ? 0 : Integer.parseInt(value);
  }

  /** The dead letter of an event, per {@code GET /inbox/dead-letters}, or null. */
  static String deadLetter(String baseUrl, String eventId) {
    return DemoSender.deadLetter(Http.get(baseUrl + "/inbox/dead-letters").body(), eventId);
  }

  static void eventually(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
