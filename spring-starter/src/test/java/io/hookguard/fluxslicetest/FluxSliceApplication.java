package io.hookguard.fluxslicetest;

import io.hookguard.VerifiedWebhook;
import io.hookguard.spring.Webhook;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The application a {@code @WebFluxTest} slice finds: one reactive controller with a webhook
 * handler, as a user writes it. Its own package, so that no other test application scans it.
 */
@SpringBootApplication
public class FluxSliceApplication {
  /** How often the handler ran: an unverified delivery must leave it unchanged. */
  public static final AtomicInteger RUNS = new AtomicInteger();

  /** The handler under test. */
  @RestController
  public static class FluxSliceController {
    @PostMapping("/webhooks/stripe")
    @Webhook("stripe")
    Mono<Map<String, Object>> stripe(@RequestBody Map<String, Object> event, VerifiedWebhook delivery) {
      RUNS.incrementAndGet();
      return Mono.just(Map.of("event", delivery.eventId().orElse(""), "type", String.valueOf(event.get("type"))));
    }
  }
}
