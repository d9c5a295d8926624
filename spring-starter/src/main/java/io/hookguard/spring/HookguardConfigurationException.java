package io.hookguard.spring;

/**
 * Hookguard's configuration is wrong: names the property and what is wrong with it, never the
 * secret's value. Reported at startup by {@link HookguardFailureAnalyzer}.
 */
public class HookguardConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The offending property, e.g. {@code hookguard.endpoints.stripe.secrets[0]}. */
  private final String property;

  /** How to fix it. */
  private final String action;

  /**
   * Creates the exception.
   *
   * @param property the offending property
   * @param problem what is wrong
   * @param action how to fix it
   */
  public HookguardConfigurationException(String property, String problem, String action) {
    super(property + ": " + problem);
    this.property = property;
    this.action = action;
  }

  /** @return the offending property */
  public String property() {
    return property;
  }

  /** @return how to fix it */
  public String action() {
    return action;
  }
}
