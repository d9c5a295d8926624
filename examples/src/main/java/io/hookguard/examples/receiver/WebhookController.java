package io.hookguard.examples.receiver;

import io.hookguard.VerifiedWebhook;
import io.hookguard.spring.Webhook;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One handler per sender. By the time a method runs, its delivery is verified over the exact
 * bytes received and claimed for dedup; it binds the payload as any Spring handler does.
 */
@RestController
public class WebhookController {
  /** Long enough that concurrent duplicates overlap, as real handlers' database writes do. */
  private static final long WORK_MILLIS = 50;

  private final ProcessedEvents processed;
  private final ObjectProvider<OrderHandler> orders;

  /**
   * Created by Spring.
   *
   * @param processed the run counts
   * @param orders the orders endpoint's handler, whose runs are rows in the database; absent in a
   *     web slice without a database
   */
  public WebhookController(ProcessedEvents processed, ObjectProvider<OrderHandler> orders) {
    this.processed = processed;
    this.orders = orders;
  }

  private Map<String, Object> handle(VerifiedWebhook delivery) {
    try {
      Thread.sleep(WORK_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String eventId = delivery.eventId().orElse("");
    if (!eventId.isEmpty()) {
      processed.ran(eventId);
    }
    return Map.of("received", eventId, "provider", delivery.provider(),
        "type", delivery.eventType().orElse(""));
  }

  /**
   * Stripe events.
   *
   * @param event the event, bound by Spring's JSON converter
   * @param delivery the verified metadata
   * @return what was received
   */
  @PostMapping("/webhooks/stripe")
  @Webhook("stripe")
  public Map<String, Object> stripe(@RequestBody Map<String, Object> event, VerifiedWebhook delivery) {
    return handle(delivery);
  }

  /**
   * GitHub events.
   *
   * @param event the event
   * @param delivery the verified metadata
   * @return what was received
   */
  @PostMapping("/webhooks/github")
  @Webhook("github")
  public Map<String, Object> github(@RequestBody Map<String, Object> event, VerifiedWebhook delivery) {
    return handle(delivery);
  }

  /**
   * Slack Events API. Slack's signed url_verification handshake never gets here: Hookguard
   * answers it with its challenge.
   *
   * @param event the event
   * @param delivery the verified metadata
   * @return what was received
   */
  @PostMapping("/webhooks/slack")
  @Webhook("slack")
  public Map<String, Object> slack(@RequestBody Map<String, Object> event, VerifiedWebhook delivery) {
    return handle(delivery);
  }

  /**
   * Slack slash commands: form-encoded, read as ordinary request parameters.
   *
   * @param command the command, e.g. {@code /deploy}
   * @return the command
   */
  @PostMapping("/webhooks/slack/commands")
  @Webhook("slack-commands")
  public Map<String, String> slackCommand(@RequestParam("command") String command) {
    return Map.of("command", command);
  }

  /**
   * Standard Webhooks, with webhook-* or svix-* headers.
   *
   * @param event the event
   * @param delivery the verified metadata
   * @return what was received
   */
  @PostMapping("/webhooks/standard")
  @Webhook("standard")
  public Map<String, Object> standard(@RequestBody Map<String, Object> event, VerifiedWebhook delivery) {
    return handle(delivery);
  }

  /**
   * Shopify events.
   *
   * @param event the event
   * @param delivery the verified metadata
   * @return what was received
   */
  @PostMapping("/webhooks/shopify")
  @Webhook("shopify")
  public Map<String, Object> shopify(@RequestBody Map<String, Object> event, VerifiedWebhook delivery) {
    return handle(delivery);
  }

  /**
   * Every endpoint's handler runs: the synchronous ones counted in memory, the orders endpoint's
   * (in inbox mode) counted from the rows its runs committed.
   *
   * @return each processed event id and how many times its handler ran
   */
  @GetMapping("/processed")
  public Map<String, Integer> processed() {
    Map<String, Integer> counts = new java.util.TreeMap<>(processed.counts());
    orders.ifAvailable(handler -> handler.runs().forEach((id, runs) -> counts.merge(id, runs, Integer::sum)));
    return counts;
  }
}
