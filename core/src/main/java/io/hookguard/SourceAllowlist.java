package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The source addresses an endpoint accepts deliveries from, as IPv4 and IPv6 CIDR ranges (the
 * ranges senders publish), and which proxies in front of the application are trusted to say who
 * the client was. Immutable and thread-safe; nothing is looked up or fetched, ever.
 *
 * <p>The client is the connecting peer, unless that peer is a trusted proxy: then the
 * {@code X-Forwarded-For} (or RFC 7239 {@code Forwarded: for=}) chain is walked from the right,
 * past every trusted proxy, and the first address that is not one is the client. Without trusted
 * proxies the headers are ignored, so nobody can claim an allowed address by sending them.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:192.0.2.1}) count as their IPv4 address. An address
 * that is not a literal IP (a host name, garbage, an obfuscated form) is never allowed.
 */
public final class SourceAllowlist {
  private final List<Range> allowed;
  private final List<Range> trustedProxies;

  private SourceAllowlist(Builder builder) {
    this.allowed = List.copyOf(builder.allowed);
    this.trustedProxies = List.copyOf(builder.trustedProxies);
  }

  /**
   * Starts an allowlist.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The client address of a request, per the trusted proxies.
   *
   * @param remoteAddress the connecting peer's address, as the container reports it
   * @param headers the request headers
   * @return the client address, or empty when an address on the way is not a literal IP
   */
  public Optional<InetAddress> client(String remoteAddress, WebhookHeaders headers) {
    InetAddress peer = parseAddress(remoteAddress);
    if (peer == null) {
      return Optional.empty();
    }
    if (!matches(trustedProxies, peer)) {
      return Optional.of(peer);
    }
    List<String> chain = forwardedChain(headers);
    InetAddress client = peer;
    for (int i = chain.size() - 1; i >= 0; i--) {
      InetAddress hop = parseAddress(chain.get(i));
      if (hop == null) {
        return Optional.empty();
      }
      client = hop;
      if (!matches(trustedProxies, hop)) {
        break;
      }
    }
    return Optional.of(client);
  }

  /**
   * Whether a request comes from an allowed source.
   *
   * @param remoteAddress the connecting peer's address
   * @param headers the request headers
   * @return whether its client address lies in an allowed range
   */
  public boolean allows(String remoteAddress, WebhookHeaders headers) {
    return client(remoteAddress, headers).map(this::allows).orElse(false);
  }

  /**
   * Whether an address lies in an allowed range.
   *
   * @param address the address
   * @return whether it is allowed
   */
  public boolean allows(InetAddress address) {
    return matches(allowed, normalize(address));
  }

  /** The addresses of {@code Forwarded: for=} if present, else of {@code X-Forwarded-For}, left to right. */
  private static List<String> forwardedChain(WebhookHeaders headers) {
    List<String> chain = new ArrayList<>();
    List<String> forwarded = headers.all("Forwarded");
    if (!forwarded.isEmpty()) {
      for (String header : forwarded) {
        for (String element : header.split(",")) {
          String forValue = null;
          for (String pair : element.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase("for")) {
              forValue = pair.substring(equals + 1).strip();
            }
          }
          // An element without for= still is a hop: an unknown one, which stops the walk.
          chain.add(forValue == null ? "" : forwardedNode(forValue));
        }
      }
      return chain;
    }
    for (String header : headers.all("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        chain.add(hop.strip());
      }
    }
    return chain;
  }

  /** {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
  private static String forwardedNode(String value) {
    String node = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
    if (node.startsWith("[")) {
      int end = node.indexOf(']');
      return end < 0 ? "" : node.substring(1, end);
    }
    int colon = node.indexOf(':');
    return colon >= 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
  }

  private static boolean matches(List<Range> ranges, InetAddress address) {
    InetAddress normalized = normalize(address);
    for (Range range : ranges) {
      if (range.contains(normalized)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses an IP literal without any name lookup: dotted-quad IPv4 with no leading zeros, or
   * IPv6 (optionally in brackets, without a zone).
   *
   * @return the address, or null when the text is not such a literal
   */
  static @Nullable InetAddress parseAddress(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String literal = text.strip();
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    if (literal.isEmpty() || literal.length() > 45) {
      return null;
    }
    try {
      if (literal.indexOf(':') >= 0) {
        for (int i = 0; i < literal.length(); i++) {
          char c = literal.charAt(i);
          boolean allowedChar = c == ':' || c == '.' || (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
          if (!allowedChar) {
            return null;
          }
        }
        // Only hex digits, colons and dots: InetAddress parses it as a literal, no lookup.
        return normalize(InetAddress.getByName(literal));
      }
      byte[] octets = ipv4(literal);
      return octets == null ? null : InetAddress.getByAddress(octets);
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  private static byte @Nullable [] ipv4(String literal) {
    String[] parts = literal.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] octets = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        char c = part.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        value = value * 10 + (c - '0');
      }
      if (value > 255) {
        return null;
      }
      octets[i] = (byte) value;
    }
    return octets;
  }

  /** IPv4-mapped IPv6 addresses as IPv4. */
  private static InetAddress normalize(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = bytes[i] == 0;
      }
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return address;
  }

  @Override
  public String toString() {
    return "SourceAllowlist" + allowed + (trustedProxies.isEmpty() ? "" : " behind " + trustedProxies);
  }

  /** A CIDR range. */
  private record Range(byte[] network, int prefixLength, String text) {
    static Range parse(String cidr) {
      String text = requireNonNull(cidr, "cidr").strip();
      int slash = text.indexOf('/');
      InetAddress address = parseAddress(slash < 0 ? text : text.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException("not an IP address or CIDR range: '" + cidr + "'");
      }
      byte[] bytes = address.getAddress();
      int bits = bytes.length * 8;
      // An IPv4-mapped range written in IPv6 form (::ffff:a.b.c.d/120) is the IPv4 range /24.
      int written = text.indexOf(':') >= 0 && bytes.length == 4 ? 128 : bits;
      int prefix = bits;
      if (slash >= 0) {
        String length = text.substring(slash + 1);
        if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > written
            || Integer.parseInt(length) < written - bits) {
          throw new IllegalArgumentException("not a prefix length for " + written + "-bit addresses: '" + cidr + "'");
        }
        prefix = Integer.parseInt(length) - (written - bits);
      }
      for (int bit = prefix; bit < bits; bit++) {
        if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
          throw new IllegalArgumentException("host bits set in '" + cidr + "'; the network is "
              + network(bytes, prefix) + "/" + prefix);
        }
      }
      return new Range(bytes, prefix, text.toLowerCase(Locale.ROOT));
    }

    private static String network(byte[] bytes, int prefix) {
      byte[] masked = bytes.clone();
      for (int bit = prefix; bit < masked.length * 8; bit++) {
        masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
      }
      try {
        return InetAddress.getByAddress(masked).getHostAddress();
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefixLength; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** Configures a {@link SourceAllowlist}. */
  public static final class Builder {
    private final List<Range> allowed = new ArrayList<>();
    private final List<Range> trustedProxies = new ArrayList<>();

    private Builder() {}

    /**
     * Allows a range, e.g. {@code 3.18.12.63/32}, {@code 192.30.252.0/22} or {@code 2a0a:a440::/29};
     * a bare address is a single-address range.
     *
     * @param cidr the range
     * @return this builder
     * @throws IllegalArgumentException when it is not an IP literal or CIDR range, or has host bits set
     */
    public Builder allow(String cidr) {
      allowed.add(Range.parse(cidr));
      return this;
    }

    /**
     * Trusts a proxy range to report the client in {@code X-Forwarded-For} / {@code Forwarded}.
     *
     * @param cidr the proxies' range, e.g. {@code 10.0.0.0/8}
     * @return this builder
     * @throws IllegalArgumentException when it is not an IP literal or CIDR range, or has host bits set
     */
    public Builder trustProxy(String cidr) {
      trustedProxies.add(Range.parse(cidr));
      return this;
    }

    /**
     * Makes the allowlist.
     *
     * @return the allowlist
     * @throws IllegalStateException when no range is allowed
     */
    public SourceAllowlist build() {
      if (allowed.isEmpty()) {
        throw new IllegalStateException("an allowlist needs at least one allowed range");
      }
      return new SourceAllowlist(this);
    }
  }
}
