package io.hookguard.slicetest;

import io.hookguard.VerifiedWebhook;
import io.hookguard.spring.Webhook;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application a {@code @WebMvcTest} slice finds: one controller with two webhook handlers,
 * as a user writes them. Its own package, so that no other test application scans it.
 */
@SpringBootApplication
public class SliceApplication {
  /** How often a handler ran: an unverified delivery must leave it unchanged. */
  public static final AtomicInteger RUNS = new AtomicInteger();

  /** The handlers under test. */
  @RestController
  public static class SliceController {
    @PostMapping("/webhooks/github")
    @Webhook("github")
    Map<String, Object> github(@RequestBody Map<String, Object> payload, VerifiedWebhook delivery) {
      RUNS.incrementAndGet();
      return Map.of("event", delivery.eventId().orElse(""), "type", delivery.eventType().orElse(""));
    }

    @PostMapping("/webhooks/stripe")
    @Webhook("stripe")
    Map<String, Object> stripe(@RequestBody Map<String, Object> event, VerifiedWebhook delivery) {
      RUNS.incrementAndGet();
      return Map.of("event", delivery.eventId().orElse(""), "type", String.valueOf(event.get("type")));
    }
  }
}
