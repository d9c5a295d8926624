package io.hookguard;

/** The HMAC algorithms webhook senders use. */
public enum HmacAlgorithm {
  /** HMAC-SHA1, still used by Twilio and Intercom. */
  SHA1("HmacSHA1"),
  /** HMAC-SHA256, what most senders use. */
  SHA256("HmacSHA256"),
  /** HMAC-SHA512. */
  SHA512("HmacSHA512");

  private final String jcaName;

  HmacAlgorithm(String jcaName) {
    this.jcaName = jcaName;
  }

  /**
   * The JCA algorithm name, for example {@code HmacSHA256}.
   *
   * @return the name {@link javax.crypto.Mac#getInstance(String)} takes
   */
  public String jcaName() {
    return jcaName;
  }
}
