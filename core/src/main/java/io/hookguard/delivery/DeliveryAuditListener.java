package io.hookguard.delivery;

/**
 * Receives one {@link DeliveryAudit} per delivery, and one {@link AttemptAudit} per attempt of an
 * inbox worker. Called on the request's (or the worker's) thread once the outcome is decided:
 * keep it quick, and do not throw (a listener's exception is swallowed so that auditing never
 * changes an answer or an attempt).
 */
@FunctionalInterface
public interface DeliveryAuditListener {

  /**
   * Records a delivery.
   *
   * @param audit what became of it
   */
  void delivered(DeliveryAudit audit);

  /**
   * Records an attempt of an inbox worker; ignored unless overridden.
   *
   * @param attempt what became of it
   */
  default void attempted(AttemptAudit attempt) {}
}
