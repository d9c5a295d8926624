package io.hookguard.examples.receiver;

import io.hookguard.inbox.InboxDelivery;
import io.hookguard.spring.InboxListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The orders endpoint's handler, run by the inbox's workers after the sender was answered. It
 * takes about 200 ms; a delivery whose JSON has a top-level integer {@code "fail_times": N} fails
 * on its first N attempts (counted over replays too, so a replayed dead letter can succeed). Each
 * successful run is a row in {@code example_order_runs}, written in the inbox's transaction: it
 * commits together with the delivery's "done" mark, so that even after a {@code kill -9} every
 * acknowledged delivery has exactly one committed run.
 */
@Component
public class OrderHandler {
  /** What a real handler spends calling other services. */
  static final long WORK_MILLIS = 200;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate separately;
  /** Which instance ran it: two instances on one PostgreSQL share the work. */
  private final String instance = UUID.randomUUID().toString().substring(0, 8);

  /**
   * Created by Spring; creates the tables if needed.
   *
   * @param jdbc the application's JdbcTemplate, on the inbox's DataSource
   * @param transactions the application's transaction manager
   */
  public OrderHandler(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.separately = new TransactionTemplate(transactions);
    separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    jdbc.execute("CREATE TABLE IF NOT EXISTS example_order_runs (event_id VARCHAR(200) NOT NULL, "
        + "delivery_id BIGINT NOT NULL, instance_id VARCHAR(16) NOT NULL)");
    jdbc.execute("CREATE TABLE IF NOT EXISTS example_order_attempts (delivery_id BIGINT PRIMARY KEY, "
        + "attempts INTEGER NOT NULL)");
  }

  /**
   * Handles one order.
   *
   * @param order the order, bound by the application's JSON mapper
   * @param delivery the delivery's metadata
   * @throws Exception to fail this attempt
   */
  @InboxListener("orders")
  public void order(Map<String, Object> order, InboxDelivery delivery) throws Exception {
    int attempt = countAttempt(delivery.id());
    Thread.sleep(WORK_MILLIS);
    Object failTimes = order.get("fail_times");
    if ((failTimes instanceof Integer || failTimes instanceof Long) && attempt <= ((Number) failTimes).longValue()) {
      throw new IllegalStateException("order handler failed on attempt " + attempt + " (fail_times " + failTimes + ")");
    }
    // Joins the inbox's transaction: committed with the "done" mark, or not at all.
    jdbc.update("INSERT INTO example_order_runs (event_id, delivery_id, instance_id) VALUES (?, ?, ?)",
        delivery.eventId() == null ? "" : delivery.eventId(), delivery.id(), instance);
  }

  /** Counts the attempt in a transaction of its own, so that a failed attempt's rollback keeps it. */
  private int countAttempt(long deliveryId) {
    Integer attempts = separately.execute(status -> {
      if (jdbc.update("UPDATE example_order_attempts SET attempts = attempts + 1 WHERE delivery_id = ?", deliveryId) == 0) {
        jdbc.update("INSERT INTO example_order_attempts (delivery_id, attempts) VALUES (?, 1)", deliveryId);
      }
      return jdbc.queryForObject("SELECT attempts FROM example_order_attempts WHERE delivery_id = ?", Integer.class,
          deliveryId);
    });
    return attempts == null ? 1 : attempts;
  }

  /** @return each order event id and how many committed runs its handler has */
  public Map<String, Integer> runs() {
    Map<String, Integer> runs = new TreeMap<>();
    jdbc.query("SELECT event_id, COUNT(*) FROM example_order_runs GROUP BY event_id",
        row -> {
          runs.put(row.getString(1), row.getInt(2));
        });
    return runs;
  }
}
