package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one model of who sent a request and which public URL it was addressed to, used by source
 * allowlists and by the schemes that sign the URL (Twilio, Square, HubSpot). Forwarded
 * information is believed only when the connecting peer lies in a trusted proxy range, and only
 * from the one header family the proxies write: {@code X-Forwarded-For}/{@code -Proto}/
 * {@code -Host}/{@code -Port}, or RFC 7239 {@code Forwarded}. The chain is walked from the right
 * past trusted hops; the first hop that is not a trusted proxy is the client, and the
 * protocol and host recorded by the outermost trusted proxy make the public URL. The other
 * family is ignored, so a client cannot add a header the proxy does not overwrite.
 *
 * <p>{@link #none()} believes no forwarded header: the client is the peer and the URL is what the
 * container reports. That is also the choice when the container itself handles forwarded headers
 * (Tomcat's {@code RemoteIpValve}, Spring Boot's {@code server.forward-headers-strategy=native}):
 * Hookguard then uses the address and URL the container worked out. Immutable and thread-safe;
 * nothing is looked up by name, ever.
 */
public final class TrustedProxies {
  /** The header family the trusted proxies write. */
  public enum Headers {
    /** {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Forwarded-Port}. */
    X_FORWARDED,
    /** RFC 7239 {@code Forwarded: for=…;proto=…;host=…}. */
    FORWARDED
  }

  private static final TrustedProxies NONE = new TrustedProxies(List.of(), Headers.X_FORWARDED);

  private final List<SourceAllowlist.Range> ranges;
  private final Headers headers;

  private TrustedProxies(List<SourceAllowlist.Range> ranges, Headers headers) {
    this.ranges = List.copyOf(ranges);
    this.headers = headers;
  }

  /**
   * Believes no forwarded header: the peer is the client and the container's URL is the URL.
   *
   * @return the model without proxies
   */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * Starts a model of the proxies in front of the application.
   *
   * @param headers the header family those proxies write
   * @return a builder
   */
  public static Builder builder(Headers headers) {
    return new Builder(requireNonNull(headers, "headers"));
  }

  /** @return the header family believed from trusted proxies */
  public Headers headers() {
    return headers;
  }

  /** @return whether any proxy is trusted */
  public boolean trustsAny() {
    return !ranges.isEmpty();
  }

  /**
   * Where a request came from, per this model.
   *
   * @param peerAddress the connecting peer's address, as the container reports it
   * @param requestHeaders the request headers
   * @return the origin
   */
  public Origin origin(String peerAddress, WebhookHeaders requestHeaders) {
    InetAddress peer = SourceAllowlist.parseAddress(peerAddress);
    if (peer == null || ranges.isEmpty() || !SourceAllowlist.matches(ranges, peer)) {
      return new Origin(peer, null, null);
    }
    List<Hop> chain = headers == Headers.FORWARDED ? forwardedChain(requestHeaders) : xForwardedChain(requestHeaders);
    InetAddress client = peer;
    Hop outermost = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      Hop hop = chain.get(i);
      InetAddress address = SourceAllowlist.parseAddress(hop.address());
      if (address == null) {
        // An unknown or obfuscated hop: nobody can say who the client was.
        return new Origin(null, hop.proto(), hop.host());
      }
      client = address;
      outermost = hop;
      if (!SourceAllowlist.matches(ranges, address)) {
        break;
      }
    }
    if (outermost == null && headers == Headers.X_FORWARDED) {
      // A trusted peer that names no client but the protocol and host it was addressed with.
      Hop only = xForwardedHop(requestHeaders, 0, 1);
      return new Origin(client, only.proto(), only.host());
    }
    return outermost == null ? new Origin(client, null, null) : new Origin(client, outermost.proto(), outermost.host());
  }

  /**
   * The client address and, when a trusted proxy recorded them, the protocol and host the client
   * addressed.
   *
   * @param client the client address, or {@code null} when it cannot be known (not an IP literal)
   * @param proto the public protocol ({@code https}), or {@code null} to keep the container's
   * @param host the public host, with a port when not the default, or {@code null} to keep the container's
   */
  public record Origin(@Nullable InetAddress client, @Nullable String proto, @Nullable String host) {
    /** @return the client address, if it is known */
    public Optional<InetAddress> clientAddress() {
      return Optional.ofNullable(client);
    }

    /**
     * The public URL of a request: the container's own, with protocol and host replaced where a
     * trusted proxy recorded them.
     *
     * @param containerScheme the scheme the container saw
     * @param containerHost the host (and port) the container saw
     * @param pathAndQuery the raw path and query, as received
     * @return the URL
     */
    public String url(String containerScheme, String containerHost, String pathAndQuery) {
      String scheme = proto != null ? proto : containerScheme;
      String authority = host != null ? host : containerHost;
      return scheme + "://" + authority + pathAndQuery;
    }
  }

  private record Hop(String address, @Nullable String proto, @Nullable String host) {}

  private static List<Hop> forwardedChain(WebhookHeaders headers) {
    List<Hop> chain = new ArrayList<>();
    for (String header : headers.all("Forwarded")) {
      for (String element : header.split(",")) {
        String forValue = "";
        String proto = null;
        String host = null;
        for (String pair : element.split(";")) {
          int equals = pair.indexOf('=');
          if (equals <= 0) {
            continue;
          }
          String name = pair.substring(0, equals).strip().toLowerCase(Locale.ROOT);
          String value = unquote(pair.substring(equals + 1).strip());
          switch (name) {
            case "for" -> forValue = node(value);
            case "proto" -> proto = scheme(value);
            case "host" -> host = host(value);
            default -> { }
          }
        }
        // An element without for= still is a hop: an unknown one, which stops the walk.
        chain.add(new Hop(forValue, proto, host));
      }
    }
    return chain;
  }

  private static List<Hop> xForwardedChain(WebhookHeaders headers) {
    List<String> addresses = values(headers, "X-Forwarded-For");
    List<Hop> chain = new ArrayList<>(addresses.size());
    for (int i = 0; i < addresses.size(); i++) {
      Hop hop = xForwardedHop(headers, i, addresses.size());
      chain.add(new Hop(addresses.get(i), hop.proto(), hop.host()));
    }
    return chain;
  }

  /** Protocol and host of hop {@code i} of {@code hops}, from X-Forwarded-Proto/-Host/-Port. */
  private static Hop xForwardedHop(WebhookHeaders headers, int i, int hops) {
    String proto = scheme(aligned(values(headers, "X-Forwarded-Proto"), i, hops));
    String host = host(aligned(values(headers, "X-Forwarded-Host"), i, hops));
    String port = aligned(values(headers, "X-Forwarded-Port"), i, hops);
    if (host != null && port != null && port.matches("\\d{1,5}") && !hasPort(host)
        && !port.equals("https".equals(proto) ? "443" : "80")) {
      host = host + ":" + port;
    }
    return new Hop("", proto, host);
  }

  /**
   * The value for hop {@code i}: a proxy that appends writes one per hop, one that overwrites
   * writes a single value; any other count cannot be matched to hops and is not believed.
   */
  private static @Nullable String aligned(List<String> values, int i, int hops) {
    if (values.size() == hops) {
      return values.get(i);
    }
    return values.size() == 1 ? values.get(0) : null;
  }

  private static List<String> values(WebhookHeaders headers, String name) {
    List<String> values = new ArrayList<>();
    for (String header : headers.all(name)) {
      for (String value : header.split(",")) {
        values.add(value.strip());
      }
    }
    return values;
  }

  private static @Nullable String scheme(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    return lower.equals("http") || lower.equals("https") ? lower : null;
  }

  /** A host[:port] as a proxy records it; anything with characters no host has is not believed. */
  private static @Nullable String host(@Nullable String value) {
    if (value == null || value.isEmpty() || value.length() > 255) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
      if (!ok) {
        return null;
      }
    }
    return value;
  }

  private static boolean hasPort(String host) {
    return host.lastIndexOf(':') > host.lastIndexOf(']');
  }

  /** {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
  private static String node(String node) {
    if (node.startsWith("[")) {
      int end = node.indexOf(']');
      return end < 0 ? "" : node.substring(1, end);
    }
    int colon = node.indexOf(':');
    return colon >= 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }

  @Override
  public String toString() {
    return ranges.isEmpty() ? "TrustedProxies[none]" : "TrustedProxies" + ranges + " writing " + headers;
  }

  /** Configures {@link TrustedProxies}. */
  public static final class Builder {
    private final Headers headers;
    private final List<SourceAllowlist.Range> ranges = new ArrayList<>();

    private Builder(Headers headers) {
      this.headers = headers;
    }

    /**
     * Trusts a proxy range, e.g. {@code 10.0.0.0/8}: requests whose peer lies in it may report
     * the client and public URL in the chosen header family.
     *
     * @param cidr the range, or a single address
     * @return this builder
     * @throws IllegalArgumentException when it is not an IP literal or CIDR range, or has host bits set
     */
    public Builder trust(String cidr) {
      ranges.add(SourceAllowlist.Range.parse(cidr));
      return this;
    }

    /**
     * Makes the model.
     *
     * @return the model
     * @throws IllegalStateException when no range is trusted (use {@link TrustedProxies#none()})
     */
    public TrustedProxies build() {
      if (ranges.isEmpty()) {
        throw new IllegalStateException("no proxy range is trusted; use TrustedProxies.none()");
      }
      return new TrustedProxies(ranges, headers);
    }
  }
}
