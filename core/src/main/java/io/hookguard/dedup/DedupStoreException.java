package io.hookguard.dedup;

/** The dedup store could not answer (unreachable, timed out, refused). */
public class DedupStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without keys' secrets or bodies
   * @param cause the store client's exception
   */
  public DedupStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception for a store that answered something it should not have.
   *
   * @param message what failed, without keys' secrets or bodies
   */
  public DedupStoreException(String message) {
    super(message);
  }
}
