package io.hookguard.internal;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} text (form bodies, query strings) the one way
 * the whole library reads it: the Twilio scheme signs over it, the delivery lifecycle hands it to
 * the application. Internal to Hookguard; not an API.
 */
public final class FormEncoding {
  /** The media type of form bodies, lower case. */
  public static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

  /** The most pairs decoded unless a caller says otherwise: Tomcat's default parameter limit. */
  public static final int DEFAULT_MAX_PAIRS = 1000;

  private FormEncoding() {}

  /**
   * Splits on {@code &}, then on the first {@code =}, and percent-decodes names and values
   * ({@code +} is a space). Empty pairs are skipped; a pair without {@code =} has an empty value.
   * At most {@link #DEFAULT_MAX_PAIRS} pairs.
   *
   * @param encoded the encoded text, without a leading {@code ?}
   * @param charset what the percent-escapes encode
   * @return the pairs in order, repeated names kept
   * @throws TooManyPairsException when there are more pairs than the limit
   * @throws IllegalArgumentException when a %-escape is malformed
   */
  public static List<Map.Entry<String, String>> decode(String encoded, Charset charset) {
    return decode(encoded, charset, DEFAULT_MAX_PAIRS);
  }

  /**
   * Like {@link #decode(String, Charset)} with a limit on the number of pairs, counted before
   * anything is decoded, so an oversized form costs one scan.
   *
   * @param encoded the encoded text, without a leading {@code ?}
   * @param charset what the percent-escapes encode
   * @param maxPairs the most pairs accepted
   * @return the pairs in order, repeated names kept
   * @throws TooManyPairsException when there are more pairs than {@code maxPairs}
   * @throws IllegalArgumentException when a %-escape is malformed
   */
  public static List<Map.Entry<String, String>> decode(String encoded, Charset charset, int maxPairs) {
    requireNonNull(charset, "charset");
    requireNonNull(encoded, "encoded");
    int count = 0;
    for (int start = 0; start <= encoded.length(); ) {
      int end = encoded.indexOf('&', start);
      if (end < 0) {
        end = encoded.length();
      }
      if (end > start && ++count > maxPairs) {
        throw new TooManyPairsException(maxPairs);
      }
      start = end + 1;
    }
    List<Map.Entry<String, String>> pairs = new ArrayList<>(count);
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      pairs.add(Map.entry(URLDecoder.decode(name, charset), URLDecoder.decode(value, charset)));
    }
    return pairs;
  }

  /** A form or query string with more pairs than the limit. */
  public static final class TooManyPairsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    TooManyPairsException(int limit) {
      super("more than " + limit + " form parameters");
      this.limit = limit;
    }

    /** @return the limit that was passed */
    public int limit() {
      return limit;
    }
  }

  /**
   * Whether a {@code Content-Type} value names a form body, whatever its parameters and case.
   *
   * @param contentType the header value, or {@code null}
   * @return whether it is {@value #MEDIA_TYPE}
   */
  public static boolean isForm(@org.jspecify.annotations.Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return type.equalsIgnoreCase(MEDIA_TYPE);
  }
}
