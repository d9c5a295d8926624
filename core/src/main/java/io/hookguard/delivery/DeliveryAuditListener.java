package io.hookguard.delivery;

/**
 * Receives one {@link DeliveryAudit} per delivery. Called on the request's thread once the answer
 * is decided: keep it quick, and do not throw (a listener's exception is swallowed so that
 * auditing never changes an answer).
 */
@FunctionalInterface
public interface DeliveryAuditListener {

  /**
   * Records a delivery.
   *
   * @param audit what became of it
   */
  void delivered(DeliveryAudit audit);
}
