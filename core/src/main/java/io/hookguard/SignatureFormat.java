package io.hookguard;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How signatures (and sometimes the timestamp) are laid out in one header value. */
abstract class SignatureFormat {

  /**
   * A signature as received: its version tag and where its still-encoded text lies, {@code
   * text[start, end)}. It points into the header value rather than copying out of it: parsing
   * runs on every delivery.
   */
  record Candidate(String version, String text, int start, int end) {
    /** A candidate that is the whole of {@code encoded}. */
    Candidate(String version, String encoded) {
      this(version, encoded, 0, encoded.length());
    }
  }

  /** What one header value holds. */
  record Parsed(List<Candidate> candidates, @Nullable String timestamp) {}

  /** Parses a header value; throws {@link Reject} for values it cannot read. */
  abstract Parsed parse(String value, String headerName);

  /** Writes one signature (and the timestamp where this format carries it) as a header value. */
  abstract String render(String version, String encoded, String timestamp);

  /** The version tag of the signatures this format yields when it has only one kind. */
  abstract String defaultVersion();

  /** Whether the timestamp travels inside the signature header. */
  boolean carriesTimestamp() {
    return false;
  }

  /** One signature after a fixed prefix: {@code sha256=<hex>}, {@code v0=<hex>}, or bare. */
  static SignatureFormat prefixed(String prefix) {
    return new Prefixed(prefix, prefix);
  }

  /**
   * A list of {@code key=value} items, e.g. Stripe's {@code t=..,v1=..,v1=..} or Paddle's
   * {@code ts=..;h1=..}. Items of other keys are ignored; spaces around items are allowed.
   */
  static SignatureFormat keyValueList(char separator, String signatureKey, @Nullable String timestampKey) {
    return new KeyValueList(separator, signatureKey, timestampKey);
  }

  /** Standard Webhooks: space-separated {@code version,signature} entries. */
  static SignatureFormat versionedList() {
    return new VersionedList();
  }

  private static final class Prefixed extends SignatureFormat {
    private final String version;
    private final String prefix;

    Prefixed(String version, String prefix) {
      this.version = version;
      this.prefix = prefix;
    }

    @Override
    String defaultVersion() {
      return version;
    }

    @Override
    Parsed parse(String value, String headerName) {
      if (value.startsWith(prefix)) {
        return new Parsed(List.of(new Candidate(version, value, prefix.length(), value.length())), null);
      }
      int equals = value.indexOf('=');
      if (!prefix.isEmpty() && equals > 0 && isToken(value, 0, equals)) {
        throw new Reject(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION,
            headerName + " carries a signature scheme other than " + prefix);
      }
      throw new Reject(RejectionReason.MALFORMED_HEADER,
          headerName + " does not start with " + prefix);
    }

    @Override
    String render(String version, String encoded, String timestamp) {
      return prefix + encoded;
    }
  }

  private static final class KeyValueList extends SignatureFormat {
    private final char separator;
    private final String signatureKey;
    private final @Nullable String timestampKey;

    KeyValueList(char separator, String signatureKey, @Nullable String timestampKey) {
      this.separator = separator;
      this.signatureKey = signatureKey;
      this.timestampKey = timestampKey;
    }

    @Override
    String defaultVersion() {
      return signatureKey;
    }

    @Override
    Parsed parse(String value, String headerName) {
      List<Candidate> candidates = new ArrayList<>(2);
      String timestamp = null;
      boolean otherSignatureVersions = false;
      int length = value.length();
      int next = 0;
      while (next <= length) {
        int end = value.indexOf(separator, next);
        if (end < 0) {
          end = length;
        }
        int start = next;
        next = end + 1;
        while (start < end && Character.isWhitespace(value.charAt(start))) {
          start++;
        }
        while (end > start && Character.isWhitespace(value.charAt(end - 1))) {
          end--;
        }
        if (start == end) {
          continue;
        }
        int equals = value.indexOf('=', start);
        if (equals <= start || equals >= end || !isToken(value, start, equals)) {
          throw new Reject(RejectionReason.MALFORMED_HEADER,
              headerName + " has an item that is not key=value");
        }
        if (isKey(value, start, equals, signatureKey)) {
          candidates.add(new Candidate(signatureKey, value, equals + 1, end));
        } else if (timestampKey != null && isKey(value, start, equals, timestampKey)) {
          if (timestamp != null) {
            throw new Reject(RejectionReason.MALFORMED_HEADER,
                headerName + " has more than one " + timestampKey + " item");
          }
          timestamp = value.substring(equals + 1, end);
        } else {
          otherSignatureVersions = true;
        }
      }
      if (timestampKey != null && timestamp == null) {
        throw new Reject(RejectionReason.MALFORMED_HEADER,
            headerName + " has no " + timestampKey + " item");
      }
      if (candidates.isEmpty()) {
        throw otherSignatureVersions
            ? new Reject(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION,
                headerName + " has no " + signatureKey + " signature")
            : new Reject(RejectionReason.MALFORMED_HEADER,
                headerName + " has no " + signatureKey + " signature");
      }
      return new Parsed(candidates, timestamp);
    }

    @Override
    String render(String version, String encoded, String timestamp) {
      String signature = signatureKey + "=" + encoded;
      return timestampKey == null ? signature : timestampKey + "=" + timestamp + separator + signature;
    }

    @Override
    boolean carriesTimestamp() {
      return timestampKey != null;
    }
  }

  private static final class VersionedList extends SignatureFormat {
    @Override
    String defaultVersion() {
      return "v1";
    }

    @Override
    Parsed parse(String value, String headerName) {
      List<Candidate> candidates = new ArrayList<>(2);
      int length = value.length();
      int start = 0;
      while (start <= length) {
        int end = value.indexOf(' ', start);
        if (end < 0) {
          end = length;
        }
        if (end > start) {
          int comma = value.indexOf(',', start);
          if (comma <= start || comma >= end || !isToken(value, start, comma)) {
            throw new Reject(RejectionReason.MALFORMED_HEADER,
                headerName + " has an entry that is not version,signature");
          }
          candidates.add(new Candidate(version(value, start, comma), value, comma + 1, end));
        }
        start = end + 1;
      }
      if (candidates.isEmpty()) {
        throw new Reject(RejectionReason.MALFORMED_HEADER, headerName + " is empty");
      }
      return new Parsed(candidates, null);
    }

    @Override
    String render(String version, String encoded, String timestamp) {
      return version + "," + encoded;
    }

    /** The version tag; the known ones without a copy. */
    private static String version(String value, int start, int end) {
      for (String known : KNOWN_VERSIONS) {
        if (isKey(value, start, end, known)) {
          return known;
        }
      }
      return value.substring(start, end);
    }

    private static final String[] KNOWN_VERSIONS = {"v1", "v1a"};
  }

  /** Whether {@code text[from, to)} is exactly {@code key}. */
  private static boolean isKey(String text, int from, int to, String key) {
    return to - from == key.length() && text.startsWith(key, from);
  }

  /** Letters, digits, '-' and '_' only: a key or version tag, not free text. */
  private static boolean isToken(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
