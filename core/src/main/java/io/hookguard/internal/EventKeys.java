package io.hookguard.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;


/**
 * The store keys of events, shared by dedup and the inbox so that both key an endpoint's events
 * the same way: {@code <prefix><endpoint>:<provider>:<event id>} and
 * {@code <prefix><endpoint>:<provider>:body:<sha256>}, each part hashed when it is long or odd.
 */
public final class EventKeys {
  /** Parts longer than this, or with characters outside printable ASCII or ':', are hashed. */
  public static final int MAX_RAW_PART_LENGTH = 128;

  private EventKeys() {}

  /**
   * The key of an event id.
   *
   * @param prefix the key prefix, e.g. {@code hookguard:}
   * @param endpoint the endpoint's name
   * @param provider the scheme id
   * @param eventId the event id
   * @return the key
   */
  public static String eventKey(String prefix, String endpoint, String provider, String eventId) {
    return prefix + part(endpoint) + ":" + part(provider) + ":" + part(eventId);
  }

  /**
   * The key of a body: its fingerprint is in the key, so no other body is ever seen under it.
   *
   * @param prefix the key prefix
   * @param endpoint the endpoint's name
   * @param provider the scheme id
   * @param fingerprint {@link Sha256#hex} of the body (or of what the scheme signed)
   * @return the key
   */
  public static String bodyKey(String prefix, String endpoint, String provider, String fingerprint) {
    return prefix + part(endpoint) + ":" + part(provider) + ":body:" + fingerprint;
  }


  private static String part(String value) {
    requireNonNull(value);
    boolean plain = value.length() <= MAX_RAW_PART_LENGTH && !value.startsWith("sha256-");
    for (int i = 0; plain && i < value.length(); i++) {
      char c = value.charAt(i);
      plain = c > ' ' && c < 0x7f && c != ':';
    }
    return plain ? value : "sha256-" + Sha256.hex(value.getBytes(UTF_8));
  }
}
