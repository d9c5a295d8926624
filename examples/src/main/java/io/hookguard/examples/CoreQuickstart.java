package io.hookguard.examples;

import io.hookguard.Providers;
import io.hookguard.Rejection;
import io.hookguard.VerificationResult;
import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verifies a handful of Stripe-style deliveries with hookguard-core alone: a valid one, a
 * tampered body, a stale one, one signed with another secret, and one with a garbage header.
 * Run it with {@code ./mvnw -q -pl examples -am compile exec:java}.
 */
public final class CoreQuickstart {
  /** A demo value, never a real secret. */
  static final String DEMO_SECRET = "whsec_demo_stripe_secret";

  private CoreQuickstart() {}

  /**
   * Prints one line per delivery: what was sent and what the verifier answered.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Verifies the demo deliveries and prints the outcomes.
   *
   * @param out where to print
   * @return each delivery's description and outcome, in order
   */
  static Map<String, String> run(PrintStream out) {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE).secret(DEMO_SECRET).build();
    WebhookSigner sender = WebhookSigner.builder(Providers.STRIPE).secret(DEMO_SECRET).build();
    WebhookRequest unsigned = WebhookRequest.builder()
        .body("{\"id\":\"evt_demo_1\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8))
        .build();
    WebhookRequest valid = sender.sign(unsigned);

    Map<String, WebhookRequest> deliveries = new LinkedHashMap<>();
    deliveries.put("valid delivery", valid);
    deliveries.put("tampered body", valid.toBuilder()
        .body("{\"id\":\"evt_demo_1\",\"type\":\"invoice.paid\",\"amount\":1}").build());
    deliveries.put("sent 10 minutes ago", sender.sign(unsigned, Instant.now().minus(Duration.ofMinutes(10))));
    deliveries.put("signed with another secret",
        WebhookSigner.builder(Providers.STRIPE).secret("whsec_someone_else").build().sign(unsigned));
    deliveries.put("garbage signature header",
        valid.toBuilder().setHeader("Stripe-Signature", "t=soon,v1=???").build());

    Map<String, String> outcomes = new LinkedHashMap<>();
    deliveries.forEach((description, delivery) -> {
      VerificationResult result = verifier.verify(delivery);
      String outcome;
      if (result instanceof VerifiedWebhook verified) {
        outcome = "VERIFIED  event " + verified.eventId().orElse("?") + " ("
            + verified.eventType().orElse("?") + ")";
      } else {
        Rejection rejection = (Rejection) result;
        outcome = "REJECTED  " + rejection.reason().httpStatus() + " " + rejection.reason().slug()
            + ": " + rejection.detail();
      }
      outcomes.put(description, outcome);
      out.printf("%-28s -> %s%n", description, outcome);
    });
    return outcomes;
  }
}
