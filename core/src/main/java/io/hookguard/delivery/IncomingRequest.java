package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import io.hookguard.WebhookHeaders;
import org.jspecify.annotations.Nullable;

/**
 * A request as an adapter hands it to the {@link DeliveryLifecycle}: what the web stack saw,
 * neutral of any framework. The body is read by the lifecycle, bounded by the endpoint's limits.
 *
 * @param method the HTTP method
 * @param scheme the scheme the server saw, {@code http} or {@code https}
 * @param authority the host (and port) the request was addressed to, as the server saw it
 * @param rawPath the path as received, percent-escapes intact
 * @param rawQuery the query string as received, without {@code ?}, or {@code null}
 * @param headers the request headers
 * @param peerAddress the connecting peer's IP address
 * @param body where the body comes from
 */
public record IncomingRequest(String method, String scheme, String authority, String rawPath,
    @Nullable String rawQuery, WebhookHeaders headers, String peerAddress, BodySource body) {
  /**
   * Validates the fields.
   *
   * @param method the HTTP method
   * @param scheme the scheme
   * @param authority the host and port
   * @param rawPath the raw path
   * @param rawQuery the raw query, or null
   * @param headers the headers
   * @param peerAddress the peer's address
   * @param body the body source
   */
  public IncomingRequest {
    requireNonNull(method, "method");
    requireNonNull(scheme, "scheme");
    requireNonNull(authority, "authority");
    requireNonNull(rawPath, "rawPath");
    requireNonNull(headers, "headers");
    requireNonNull(peerAddress, "peerAddress");
    requireNonNull(body, "body");
  }

  /** @return the path and query as received */
  public String pathAndQuery() {
    return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
  }
}
