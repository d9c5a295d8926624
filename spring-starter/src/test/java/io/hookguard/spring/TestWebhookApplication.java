package io.hookguard.spring;

import io.hookguard.VerifiedWebhook;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A Spring Boot app with annotated webhook controllers, as a user writes them. */
@SpringBootApplication
public class TestWebhookApplication {

  /** Handler runs per event id, shared by the controllers. */
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  static void ran(VerifiedWebhook delivery) {
    RUNS.computeIfAbsent(delivery.eventId().orElse("(none)"), id -> new AtomicInteger()).incrementAndGet();
  }

  static int runsOf(String eventId) {
    AtomicInteger runs = RUNS.get(eventId);
    return runs == null ? 0 : runs.get();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deliveries' audit records, received as application events. */
  static final java.util.List<io.hookguard.delivery.DeliveryAudit> AUDITS = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Listens to the audit trail the Spring way. */
  @org.springframework.stereotype.Component
  static class AuditEvents {
    @org.springframework.context.event.EventListener
    void on(io.hookguard.delivery.DeliveryAudit audit) {
      AUDITS.add(audit);
    }
  }

  /** Stripe and GitHub on method annotations, JSON bound by the app's own converters. */
  @RestController
  static class PaymentsController {
    @PostMapping("/webhooks/stripe")
    @Webhook("stripe")
    ResponseEntity<Map<String, Object>> stripe(@RequestBody Map<String, Object> event, VerifiedWebhook delivery,
        @RequestHeader(name = "X-Test-Sleep", defaultValue = "0") long sleep,
        @RequestHeader(name = "X-Test-Status", defaultValue = "200") int status) {
      // Test controls travel in headers: unsigned query parameters never reach @RequestParam.
      ran(delivery);
      sleep(sleep);
      Map<String, Object> answer = new TreeMap<>();
      answer.put("boundType", event.get("type"));
      answer.put("eventId", delivery.eventId().orElse(""));
      answer.put("provider", delivery.provider());
      return ResponseEntity.status(status).body(answer);
    }

    @PostMapping("/webhooks/github")
    @Webhook("github")
    String github(@RequestBody String body, VerifiedWebhook delivery) {
      ran(delivery);
      if (body.contains("explode")) {
        throw new IllegalStateException("handler failure");
      }
      return "{\"bytes\":" + body.length() + "}";
    }

    @PostMapping("/unprotected")
    String unprotected(@RequestBody String body) {
      return "{\"echo\":\"" + body + "\"}";
    }

    @GetMapping("/processed")
    Map<String, Integer> processed() {
      Map<String, Integer> counts = new TreeMap<>();
      RUNS.forEach((id, runs) -> counts.put(id, runs.get()));
      return counts;
    }
  }

  /** Slack slash commands: form-encoded, read as ordinary request parameters. */
  @RestController
  @Webhook("slack")
  static class SlackController {
    @PostMapping("/webhooks/slack/commands")
    Map<String, String> command(@RequestParam("command") String command, @RequestParam("text") String text) {
      return Map.of("command", command, "text", text);
    }
  }
}
