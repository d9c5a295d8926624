package io.hookguard.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a handler of the stored deliveries of an endpoint in inbox mode
 * ({@code hookguard.endpoints.<name>.inbox=true}). The inbox's workers call it in the background,
 * after the sender was answered; returning normally marks the delivery done, throwing schedules
 * the next attempt (or makes it a dead letter). With {@code hookguard.inbox.transactional} (the
 * default) it runs in a transaction on the inbox's {@code DataSource} that also writes the
 * "done" mark: its {@code JdbcTemplate} (or JPA) writes there commit exactly once per delivery.
 * Other effects are at-least-once: key them on {@link io.hookguard.inbox.InboxDelivery#eventId()}.
 *
 * <p>Parameters, in any order: an {@link io.hookguard.inbox.InboxDelivery} (the metadata: event
 * id, type, attempt, …) and at most one payload — {@code byte[]} (the exact verified bytes),
 * {@code String}, or any type the application's own Spring MVC message converters read from the
 * delivery's content type (its Jackson for JSON, on either Boot line).
 *
 * <pre>{@code
 * @InboxListener("orders")
 * void order(Order order, InboxDelivery delivery) { ... }
 * }</pre>
 *
 * <p>Every method whose event types match a delivery runs, in one attempt; a delivery no method
 * matches is marked done without a run. Startup fails when a method names an endpoint that is
 * not in inbox mode, or an endpoint in inbox mode has no method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InboxListener {
  /**
   * The endpoint's name under {@code hookguard.endpoints}.
   *
   * @return the name
   */
  String value();

  /**
   * The event types this method handles: exact types such as {@code order.created} or prefixes
   * such as {@code order.*}; every type (and deliveries without one) when empty.
   *
   * @return the types
   */
  String[] eventTypes() default {};
}
