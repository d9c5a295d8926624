package io.hookguard.springinbox;

import io.hookguard.delivery.DeliveryAuditListener;
import io.hookguard.inbox.InboxDelivery;
import io.hookguard.spring.InboxListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Schedulers;

/**
 * A Spring Boot app with an endpoint in inbox mode and its handler methods, as a user writes
 * them: the payload bound by the app's own JSON mapper, the delivery's metadata as a parameter,
 * writes through {@link JdbcTemplate} in the inbox's transaction.
 */
@SpringBootApplication
public class InboxTestApplication {
  /** Started attempts per event id (in memory: they survive the handler's rolled-back writes). */
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  /** Deliveries the cancellation handler saw, as raw bytes. */
  static final List<String> CANCELLED = new CopyOnWriteArrayList<>();

  /**
   * The threads receipts were audited on, which is where they were stored; marked when Reactor
   * counts the thread as non-blocking (a Netty event loop).
   */
  static final List<String> RECEIPT_THREADS = new CopyOnWriteArrayList<>();

  /** When set, handlers wait on it before they write: the test decides when they finish. */
  static volatile CountDownLatch gate;

  static int attempts(String eventId) {
    AtomicInteger count = ATTEMPTS.get(eventId);
    return count == null ? 0 : count.get();
  }

  @Bean
  DeliveryAuditListener receiptThreads() {
    return audit -> RECEIPT_THREADS.add(Thread.currentThread().getName()
        + (Schedulers.isInNonBlockingThread() ? " (non-blocking)" : ""));
  }

  /** An order as the sender posts it. */
  public record Order(String id, int amount, int failTimes) {}

  /** The orders endpoint's handlers. */
  @Component
  static class Orders {
    private final JdbcTemplate jdbc;

    Orders(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
      jdbc.execute("CREATE TABLE IF NOT EXISTS order_runs (event_id VARCHAR(200) NOT NULL, delivery_id BIGINT NOT NULL,"
          + " amount INTEGER NOT NULL)");
    }

    @InboxListener(value = "orders", eventTypes = "order.created")
    void created(Order order, InboxDelivery delivery) throws InterruptedException {
      int attempt = ATTEMPTS.computeIfAbsent(delivery.eventId(), id -> new AtomicInteger()).incrementAndGet();
      CountDownLatch wait = gate;
      if (wait != null && !wait.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
      // Written before a failure: the transaction must roll it back.
      jdbc.update("INSERT INTO order_runs (event_id, delivery_id, amount) VALUES (?, ?, ?)", delivery.eventId(),
          delivery.id(), order.amount());
      // Counted over replays too (the inbox counts afresh after one), so a replayed dead letter can succeed.
      if (attempt <= order.failTimes()) {
        throw new IllegalStateException("order " + order.id() + " failed on attempt " + attempt);
      }
    }

    @InboxListener(value = "orders", eventTypes = "order.cancelled")
    void cancelled(byte[] body) {
      CANCELLED.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
