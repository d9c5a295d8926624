package io.hookguard.springreactive;

import io.hookguard.VerifiedWebhook;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupStore;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.spring.HookguardWebFlux;
import io.hookguard.spring.Webhook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import redis.clients.jedis.Connection;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A Spring WebFlux app on Netty with webhook handlers as a user writes them: annotated
 * controllers (a blocking one, a reactive one, a form post) and a functional route. Its dedup
 * store, its handlers and its audit listener are watched for running on an event loop
 * ({@link OffEventLoop}).
 */
@SpringBootApplication
public class ReactiveWebhookApplication {

  /** Handler runs per event id. */
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  /** Deliveries' audit records, received as application events. */
  static final List<DeliveryAudit> AUDITS = new CopyOnWriteArrayList<>();

  /** Stripe handlers running at once, per event id, and the most seen together. */
  static final Map<String, AtomicInteger> ACTIVE = new ConcurrentHashMap<>();
  static final Map<String, Integer> MOST_ACTIVE = new ConcurrentHashMap<>();

  static void ran(VerifiedWebhook delivery) {
    OffEventLoop.check("handler");
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

  /** The in-process store, every call checked. */
  @Bean
  @ConditionalOnProperty(prefix = "hookguard.dedup", name = "store", havingValue = "caffeine", matchIfMissing = true)
  DedupStore watchedCaffeineStore() {
    return OffEventLoop.guard(CaffeineDedupStore.create());
  }

  /** The Redis client the starter's Redis store uses, every connection it takes checked. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "hookguard.dedup", name = "store", havingValue = "redis")
  UnifiedJedis watchedJedis(@Value("${hookguard.dedup.redis.port}") int port) {
    ConnectionProvider pool = new PooledConnectionProvider(new HostAndPort("127.0.0.1", port));
    ConnectionProvider watched = new ConnectionProvider() {
      @Override
      public Connection getConnection() {
        OffEventLoop.check("redis");
        return pool.getConnection();
      }

      @Override
      public Connection getConnection(CommandArguments arguments) {
        OffEventLoop.check("redis");
        return pool.getConnection(arguments);
      }

      @Override
      public void close() throws Exception {
        pool.close();
      }
    };
    return new UnifiedJedis(watched, 1, Duration.ofSeconds(2));
  }

  /** Listens to the audit trail the Spring way. */
  @Component
  static class AuditEvents {
    @EventListener
    void on(DeliveryAudit audit) {
      OffEventLoop.check("audit listener");
      AUDITS.add(audit);
    }
  }

  /** Stripe (blocking handler, JSON bound by the app's codecs) and GitHub (reactive handler). */
  @RestController
  static class PaymentsController {
    @PostMapping("/webhooks/stripe")
    @Webhook("stripe")
    ResponseEntity<Map<String, Object>> stripe(@RequestBody Map<String, Object> event, VerifiedWebhook delivery,
        @RequestHeader(name = "X-Test-Sleep", defaultValue = "0") long sleep,
        @RequestHeader(name = "X-Test-Status", defaultValue = "200") int status) {
      // Test controls travel in headers: unsigned query parameters never reach @RequestParam.
      ran(delivery);
      String id = delivery.eventId().orElse("");
      int active = ACTIVE.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
      MOST_ACTIVE.merge(id, active, Math::max);
      sleep(sleep);
      ACTIVE.get(id).decrementAndGet();
      Map<String, Object> answer = new TreeMap<>();
      answer.put("boundType", event.get("type"));
      answer.put("eventId", delivery.eventId().orElse(""));
      answer.put("provider", delivery.provider());
      return ResponseEntity.status(status).body(answer);
    }

    @PostMapping("/webhooks/github")
    @Webhook("github")
    Mono<String> github(@RequestBody Mono<String> body, VerifiedWebhook delivery) {
      // The method is invoked on Hookguard's scheduler; the Mono it returns is the application's
      // reactive code, run where its answer is written (the event loop), as in any WebFlux app.
      ran(delivery);
      return body.map(text -> {
        if (text.contains("explode")) {
          throw new IllegalStateException("handler failure");
        }
        return "{\"bytes\":" + text.length() + "}";
      });
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

  /** Slack slash commands: a signed form, read as @RequestParam and as the exchange's form data. */
  @RestController
  @Webhook("slack")
  static class SlackController {
    @PostMapping("/webhooks/slack/commands")
    Mono<Map<String, Object>> command(@RequestParam("command") String command, @RequestParam("text") String text,
        ServerWebExchange exchange) {
      return exchange.getFormData().map(form -> Map.of("command", command, "text", text,
          "formCommand", String.valueOf(form.get("command")), "queryParams", exchange.getRequest().getQueryParams()));
    }
  }

  /** Standard Webhooks on a functional route, behind {@link HookguardWebFlux#verified}. */
  @Bean
  RouterFunction<ServerResponse> standardWebhooks(HookguardWebFlux hookguard) {
    return RouterFunctions.route()
        .POST("/webhooks/standard", request -> request.bodyToMono(String.class).flatMap(body -> {
          VerifiedWebhook delivery = HookguardWebFlux.verifiedWebhook(request).orElseThrow();
          ran(delivery);
          return ServerResponse.ok().bodyValue(Map.of("eventId", delivery.eventId().orElse(""),
              "bytes", body.length()));
        }))
        .filter(hookguard.verified("standard"))
        .build();
  }
}
