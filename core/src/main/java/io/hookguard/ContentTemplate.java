package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;

/**
 * What a sender signs, as a sequence of parts such as {@code {id}.{timestamp}.{body}}. Parts are
 * written straight into the MAC, so the body is never copied or decoded.
 */
final class ContentTemplate {

  private enum Placeholder { ID, TIMESTAMP, BODY, URL, DECODED_URL, METHOD }

  private final Object[] parts; // byte[] literals and Placeholders
  private final String text;
  private final boolean usesId; // asked on every delivery: worked out once
  private final boolean usesTimestamp;
  private final boolean usesUrl;

  private ContentTemplate(Object[] parts, String text) {
    this.parts = parts;
    this.text = text;
    this.usesId = contains(parts, Placeholder.ID);
    this.usesTimestamp = contains(parts, Placeholder.TIMESTAMP);
    this.usesUrl = contains(parts, Placeholder.URL) || contains(parts, Placeholder.DECODED_URL);
  }

  /**
   * Parses a template. Placeholders: {@code {id}}, {@code {timestamp}}, {@code {body}},
   * {@code {url}}, {@code {decoded-url}} (the URL with the percent-escapes of
   * {@code : / ? @ ! $ ' ( ) * , ;} decoded, as HubSpot signs it), {@code {method}}; everything
   * else is literal UTF-8 text.
   */
  static ContentTemplate parse(String template) {
    List<Object> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int end = template.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed '{' in signed-content template " + template);
        }
        Placeholder placeholder = placeholder(template.substring(i + 1, end), template);
        if (literal.length() > 0) {
          parts.add(literal.toString().getBytes(UTF_8));
          literal.setLength(0);
        }
        parts.add(placeholder);
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(literal.toString().getBytes(UTF_8));
    }
    if (!parts.contains(Placeholder.BODY)) {
      throw new IllegalArgumentException(
          "signed-content template " + template + " must contain {body}");
    }
    return new ContentTemplate(parts.toArray(), template);
  }

  private static Placeholder placeholder(String name, String template) {
    return switch (name) {
      case "id" -> Placeholder.ID;
      case "timestamp" -> Placeholder.TIMESTAMP;
      case "body" -> Placeholder.BODY;
      case "url" -> Placeholder.URL;
      case "decoded-url" -> Placeholder.DECODED_URL;
      case "method" -> Placeholder.METHOD;
      default -> throw new IllegalArgumentException("unknown placeholder {" + name
          + "} in signed-content template " + template
          + "; use {id}, {timestamp}, {body}, {url}, {decoded-url} or {method}");
    };
  }

  boolean usesId() {
    return usesId;
  }

  boolean usesTimestamp() {
    return usesTimestamp;
  }

  /** Whether the request URL is signed ({@code {url}} or {@code {decoded-url}}). */
  boolean usesUrl() {
    return usesUrl;
  }

  private static boolean contains(Object[] parts, Placeholder placeholder) {
    for (Object part : parts) {
      if (part == placeholder) {
        return true;
      }
    }
    return false;
  }

  SignedContent bind(WebhookRequest request, String timestamp, String id) {
    return new Bound(parts, request, timestamp, id);
  }

  /** A template with one delivery's values: what that delivery's sender signed. */
  private record Bound(Object[] parts, WebhookRequest request, String timestamp, String id)
      implements SignedContent {
    @Override
    public void writeTo(ByteSink sink) {
      for (Object part : parts) {
        if (part instanceof byte[] literal) {
          sink.update(literal);
        } else {
          switch ((Placeholder) part) {
            case ID -> sink.update(id);
            case TIMESTAMP -> sink.update(timestamp);
            case BODY -> sink.update(request.body());
            case URL -> sink.update(request.url());
            case DECODED_URL -> sink.update(decodeReserved(request.url()));
            case METHOD -> sink.update(request.method());
          }
        }
      }
    }
  }

  private static final String RESERVED = ":/?@!$'()*,;";

  /** Decodes only the escapes of {@link #RESERVED}, in either hex case; everything else stays. */
  static String decodeReserved(String url) {
    if (url.indexOf('%') < 0) {
      return url;
    }
    StringBuilder out = new StringBuilder(url.length());
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '%' && i + 2 < url.length()) {
        int high = Character.digit(url.charAt(i + 1), 16);
        int low = Character.digit(url.charAt(i + 2), 16);
        if (high >= 0 && low >= 0 && RESERVED.indexOf((char) (high * 16 + low)) >= 0) {
          out.append((char) (high * 16 + low));
          i += 2;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
