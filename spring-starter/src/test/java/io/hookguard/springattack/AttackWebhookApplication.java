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
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot app for the attack tests, in its own package so that the starter's other test apps do
 * not scan it: a slash command and a Twilio callback bound with {@code @RequestParam}, and
 * Standard Webhooks, GitHub, Shopify and Stripe handlers. Every handler counts its runs in total,
 * per body and per {@value #PROBE_HEADER} header, so a test can tell whether a request reached it.
 * {@link AttackBootTest} configures the endpoints. Written for either stack (the probe is a
 * {@code @RequestHeader}), so that the WebFlux attack tests run the same app on Netty.
 */
@SpringBootApplication
public class AttackWebhookApplication {
  /** A request header the tests set to find the runs of one request. */
  static final String PROBE_HEADER = "X-Probe";

  static final String SLACK_SECRET = "spring-attack-slack-secret";
  static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String GITHUB_SECRET = "spring-attack-github-secret";
  static final String SHOPIFY_SECRET = "spring-attack-shopify-secret";
  static final String STRIPE_SECRET = "whsec_spring_attack_stripe_secret";
  static final String TWILIO_SECRET = "spring-attack-twilio-secret";

  static final Map<String, AtomicInteger> RUNS_BY_BODY = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> RUNS_BY_PROBE = new ConcurrentHashMap<>();
  static final AtomicInteger RUNS = new AtomicInteger();

  static String sha256(String body) {
    return sha256(body.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int runsWithBody(String body) {
    AtomicInteger runs = RUNS_BY_BODY.get(sha256(body));
    return runs == null ? 0 : runs.get();
  }

  /** @return how many handler runs carried this probe id */
  static int runsWithProbe(String probe) {
    AtomicInteger runs = RUNS_BY_PROBE.get(probe);
    return runs == null ? 0 : runs.get();
  }

  /** @return every handler run so far */
  static int runs() {
    return RUNS.get();
  }

  private static void count(@Nullable String probe, String bodyKey) {
    RUNS.incrementAndGet();
    RUNS_BY_BODY.computeIfAbsent(bodyKey, k -> new AtomicInteger()).incrementAndGet();
    if (probe != null) {
      RUNS_BY_PROBE.computeIfAbsent(probe, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  private static Map<String, Object> ran(String body, VerifiedWebhook delivery, @Nullable String probe) {
    count(probe, sha256(body));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("provider", delivery.provider());
    answer.put("eventId", delivery.eventId().orElse(null));
    return answer;
  }

  /** Form senders, bound as users bind them. */
  @RestController
  static class FormsController {
    @PostMapping("/webhooks/slack/commands")
    @Webhook("slack-commands")
    Map<String, Object> command(@RequestParam String command, @RequestParam(required = false) String extra,
        @RequestParam Map<String, String> all,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      count(probe, "form:" + all);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("command", command);
      answer.put("extra", extra);
      answer.put("names", String.join(",", all.keySet()));
      answer.put("count", all.size());
      return answer;
    }

    @PostMapping("/webhooks/twilio")
    @Webhook("twilio")
    Map<String, Object> twilio(@RequestParam Map<String, String> all,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      count(probe, "form:" + all);
      return new LinkedHashMap<>(all);
    }
  }

  /** JSON senders whose runs are counted per body. */
  @RestController
  static class EventsController {
    @PostMapping("/webhooks/standard")
    @Webhook("standard")
    Map<String, Object> standard(@RequestBody String body, VerifiedWebhook delivery,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      return ran(body, delivery, probe);
    }

    @PostMapping("/webhooks/github")
    @Webhook("github")
    Map<String, Object> github(@RequestBody String body, VerifiedWebhook delivery,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      return ran(body, delivery, probe);
    }

    /** GitHub with {@code dedup-on-body: false}. */
    @PostMapping("/webhooks/github-by-id")
    @Webhook("github-by-id")
    Map<String, Object> githubById(@RequestBody String body, VerifiedWebhook delivery,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      return ran(body, delivery, probe);
    }

    /** GitHub accepted only from {@code allowed-sources}. */
    @PostMapping("/webhooks/github-allowed")
    @Webhook("github-allowed")
    Map<String, Object> githubAllowed(@RequestBody String body, VerifiedWebhook delivery,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      return ran(body, delivery, probe);
    }

    @PostMapping("/webhooks/shopify")
    @Webhook("shopify")
    Map<String, Object> shopify(@RequestBody String body, VerifiedWebhook delivery,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      return ran(body, delivery, probe);
    }

    @PostMapping("/webhooks/stripe")
    @Webhook("stripe")
    Map<String, Object> stripe(@RequestBody String body, VerifiedWebhook delivery,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      return ran(body, delivery, probe);
    }

    /** Stripe with a one-second body-read deadline. */
    @PostMapping("/webhooks/stripe-slow")
    @Webhook("stripe-slow")
    Map<String, Object> stripeSlow(@RequestBody String body, VerifiedWebhook delivery,
        @RequestHeader(name = PROBE_HEADER, required = false) @Nullable String probe) {
      return ran(body, delivery, probe);
    }
  }
}
