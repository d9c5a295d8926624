package io.hookguard.inbox;

/** The inbox store could not answer (unreachable, timed out, refused). */
public class InboxStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without bodies
   * @param cause the store client's exception
   */
  public InboxStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception for a store that answered something it should not have.
   *
   * @param message what failed, without bodies
   */
  public InboxStoreException(String message) {
    super(message);
  }
}
