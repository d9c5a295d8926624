package io.hookguard.springattack;

import io.hookguard.VerifiedWebhook;
import io.hookguard.spring.Webhook;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot app for the attack tests, in its own package so that the starter's other test apps do
 * not scan it: a slash command bound with {@code @RequestParam}, and Standard Webhooks, GitHub and
 * Shopify handlers that count their runs per body.
 */
@SpringBootApplication
public class AttackWebhookApplication {
  static final Map<String, AtomicInteger> RUNS_BY_BODY = new ConcurrentHashMap<>();

  static String sha256(String body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int runsWithBody(String body) {
    AtomicInteger runs = RUNS_BY_BODY.get(sha256(body));
    return runs == null ? 0 : runs.get();
  }

  private static Map<String, Object> ran(String body, VerifiedWebhook delivery) {
    RUNS_BY_BODY.computeIfAbsent(sha256(body), k -> new AtomicInteger()).incrementAndGet();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("provider", delivery.provider());
    answer.put("eventId", delivery.eventId().orElse(null));
    return answer;
  }

  /** A slash command, as users bind one. */
  @RestController
  static class CommandsController {
    @PostMapping("/webhooks/slack/commands")
    @Webhook("slack-commands")
    Map<String, Object> command(@RequestParam String command, @RequestParam(required = false) String extra,
        @RequestParam Map<String, String> all) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("command", command);
      answer.put("extra", extra);
      answer.put("names", String.join(",", all.keySet()));
      return answer;
    }
  }

  /** JSON senders whose runs are counted per body. */
  @RestController
  static class EventsController {
    @PostMapping("/webhooks/standard")
    @Webhook("standard")
    Map<String, Object> standard(@RequestBody String body, VerifiedWebhook delivery) {
      return ran(body, delivery);
    }

    @PostMapping("/webhooks/github")
    @Webhook("github")
    Map<String, Object> github(@RequestBody String body, VerifiedWebhook delivery) {
      return ran(body, delivery);
    }

    @PostMapping("/webhooks/shopify")
    @Webhook("shopify")
    Map<String, Object> shopify(@RequestBody String body, VerifiedWebhook delivery) {
      return ran(body, delivery);
    }
  }
}
