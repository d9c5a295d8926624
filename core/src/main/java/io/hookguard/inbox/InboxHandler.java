package io.hookguard.inbox;

/**
 * Handles the stored deliveries of one endpoint. Returning normally marks the delivery done;
 * throwing records the failure (the exception's class and its message, truncated, never the
 * body) and schedules the next attempt, or makes the delivery a dead letter when the retry policy
 * allows no more. Deliveries are at-least-once: a handler may see a delivery again after its
 * lease ran out or the store lost the "done" mark, so effects outside the store should be keyed
 * on {@link InboxDelivery#eventId()} (or {@link InboxDelivery#id()}). A store that runs the
 * handler and the "done" mark in one transaction (the JDBC store's transactional mode) makes the
 * handler's writes to that database exactly-once.
 */
@FunctionalInterface
public interface InboxHandler {

  /**
   * Handles one delivery.
   *
   * @param delivery the delivery
   * @throws Exception to fail this attempt
   */
  void handle(InboxDelivery delivery) throws Exception;
}
