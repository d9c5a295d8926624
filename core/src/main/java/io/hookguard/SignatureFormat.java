package io.hookguard;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How signatures (and sometimes the timestamp) are laid out in one header value. */
abstract class SignatureFormat {

  /** A signature as received: its version tag and its still-encoded text. */
  record Candidate(String version, String encoded) {}

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
        return new Parsed(List.of(new Candidate(version, value.substring(prefix.length()))), null);
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
      int start = 0;
      while (start <= value.length()) {
        int end = value.indexOf(separator, start);
        if (end < 0) {
          end = value.length();
        }
        String item = value.substring(start, end).strip();
        start = end + 1;
        if (item.isEmpty()) {
          continue;
        }
        int equals = item.indexOf('=');
        if (equals <= 0 || !isToken(item, 0, equals)) {
          throw new Reject(RejectionReason.MALFORMED_HEADER,
              headerName + " has an item that is not key=value");
        }
        String key = item.substring(0, equals);
        String itemValue = item.substring(equals + 1);
        if (key.equals(signatureKey)) {
          candidates.add(new Candidate(signatureKey, itemValue));
        } else if (key.equals(timestampKey)) {
          if (timestamp != null) {
            throw new Reject(RejectionReason.MALFORMED_HEADER,
                headerName + " has more than one " + timestampKey + " item");
          }
          timestamp = itemValue;
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
      for (String entry : value.split(" ")) {
        if (entry.isEmpty()) {
          continue;
        }
        int comma = entry.indexOf(',');
        if (comma <= 0 || !isToken(entry, 0, comma)) {
          throw new Reject(RejectionReason.MALFORMED_HEADER,
              headerName + " has an entry that is not version,signature");
        }
        candidates.add(new Candidate(entry.substring(0, comma), entry.substring(comma + 1)));
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
