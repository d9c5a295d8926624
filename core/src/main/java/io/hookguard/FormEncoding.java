package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} text (form bodies, query strings) the one way
 * the whole library reads it: the Twilio scheme signs over it, the servlet filter serves it as
 * request parameters.
 */
public final class FormEncoding {
  /** The media type of form bodies, lower case. */
  public static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

  private FormEncoding() {}

  /**
   * Splits on {@code &}, then on the first {@code =}, and percent-decodes names and values
   * ({@code +} is a space). Empty pairs are skipped; a pair without {@code =} has an empty value.
   *
   * @param encoded the encoded text, without a leading {@code ?}
   * @param charset what the percent-escapes encode
   * @return the pairs in order, repeated names kept
   * @throws IllegalArgumentException when a %-escape is malformed
   */
  public static List<Map.Entry<String, String>> decode(String encoded, Charset charset) {
    requireNonNull(charset, "charset");
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (String pair : requireNonNull(encoded, "encoded").split("&")) {
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
