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
 * ranges senders publish). Immutable and thread-safe; nothing is looked up or fetched, ever.
 *
 * <p>Which address a request came from is {@link TrustedProxies}' answer: the connecting peer,
 * or the client a trusted proxy names. IPv4-mapped IPv6 addresses ({@code ::ffff:192.0.2.1}) count as their IPv4 address. An address
 * that is not a literal IP (a host name, garbage, an obfuscated form) is never allowed.
 */
public final class SourceAllowlist {
  private final List<Range> allowed;

  private SourceAllowlist(Builder builder) {
    this.allowed = List.copyOf(builder.allowed);
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
   * Whether an address lies in an allowed range.
   *
   * @param address the address
   * @return whether it is allowed
   */
  public boolean allows(InetAddress address) {
    return matches(allowed, normalize(address));
  }

  static boolean matches(List<Range> ranges, InetAddress address) {
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

  /**
   * Four dotted decimal octets, each 0–255 without leading zeros (which some parsers read as
   * octal), or {@code null}. Scanned in place: this runs on the peer address of every delivery.
   */
  private static byte @Nullable [] ipv4(String literal) {
    byte[] octets = new byte[4];
    int octet = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= literal.length(); i++) {
      char c = i < literal.length() ? literal.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || octet == 4) {
          return null;
        }
        octets[octet++] = (byte) value;
        value = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits == 1 && value == 0) {
          return null;
        }
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return octet == 4 ? octets : null;
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
    return "SourceAllowlist" + allowed;
  }

  /** A CIDR range. */
  record Range(byte[] network, int prefixLength, String text) {
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
