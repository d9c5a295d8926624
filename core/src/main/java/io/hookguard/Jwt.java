package io.hookguard;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The strict parts of JSON Web Tokens (RFC 7519) and keys (RFC 7517) that Hookguard reads: the
 * compact serialisation, unpadded canonical base64url, and small JSON objects.
 *
 * <p>JSON objects are read with Jackson's streaming parser with duplicate detection on: a header
 * or claims set with a repeated member ({@code {"alg":"ES256","alg":"none"}}) is refused, because
 * RFC 7515 section 5.2 lets parsers disagree on which value wins, and a token that means one thing
 * to its signer's library and another to us must mean nothing.
 */
final class Jwt {
  /** Longer compact tokens are refused before decoding; Google's ID tokens are about 1.2 KB. */
  static final int MAX_TOKEN_LENGTH = 4096;
  /** JWK sets are larger: Google's has two or three RSA keys, about 1.5 KB. */
  static final int MAX_DOCUMENT_LENGTH = 64 * 1024;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(8).maxStringLength(MAX_DOCUMENT_LENGTH).maxNumberLength(32).build())
      .build();
  private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();
  private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {}

  /** A token split into its parts; {@code signingInput} is the ASCII of {@code header.payload}. */
  record Compact(byte[] signingInput, byte[] header, byte[] payload, byte[] signature) {}

  /**
   * Splits and decodes a compact JWS: exactly three non-empty base64url parts without padding or
   * whitespace. Returns null for anything else (the caller names the header in its rejection).
   */
  static @Nullable Compact parseCompact(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return null;
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || second == first + 1 || second == token.length() - 1
        || token.indexOf('.', second + 1) >= 0) {
      return null;
    }
    byte[] header = decodeBase64Url(token.substring(0, first));
    byte[] payload = decodeBase64Url(token.substring(first + 1, second));
    byte[] signature = decodeBase64Url(token.substring(second + 1));
    if (header == null || payload == null || signature == null) {
      return null;
    }
    return new Compact(token.substring(0, second).getBytes(US_ASCII), header, payload, signature);
  }

  /**
   * Unpadded base64url in its one canonical spelling (the unused low bits of the last character
   * zero), so that no two texts decode to the same bytes; null otherwise.
   */
  static byte @Nullable [] decodeBase64Url(String text) {
    if (text.isEmpty() || text.length() % 4 == 1) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        return null;
      }
    }
    byte[] bytes;
    try {
      bytes = URL_DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return URL_ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
  }

  static String encodeBase64Url(byte[] bytes) {
    return URL_ENCODER.encodeToString(bytes);
  }

  /**
   * One JSON object: member values are {@code String}, {@code Long} (integers that fit),
   * {@code Boolean}, {@code null} as {@link #NULL}, a {@code List} of such values, or a nested
   * {@code Map}; other numbers are kept as their text in a {@link OtherNumber}.
   *
   * @throws IOException when the bytes are not exactly one JSON object, or repeat a member
   */
  static Map<String, Object> parseObject(byte[] json) throws IOException {
    if (json.length > MAX_DOCUMENT_LENGTH) {
      throw new IOException("longer than " + MAX_DOCUMENT_LENGTH + " bytes");
    }
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      Map<String, Object> object = readObject(parser);
      if (parser.nextToken() != null) {
        throw new IOException("text after the object");
      }
      return object;
    } catch (RuntimeException e) {
      // Jackson reports exceeded constraints as unchecked exceptions: bad input all the same.
      throw new IOException("not a readable JSON object", e);
    }
  }

  static Map<String, Object> parseObject(String json) throws IOException {
    return parseObject(json.getBytes(UTF_8));
  }

  /** A JSON {@code null}, kept apart from an absent member. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A number that is not an integer within {@code long}'s range, kept as written. */
  record OtherNumber(String text) {}

  private static Map<String, Object> readObject(JsonParser parser) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      object.put(name, readValue(parser));
    }
    if (token != JsonToken.END_OBJECT) {
      throw new IOException("truncated object");
    }
    return object;
  }

  private static Object readValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new IOException("truncated");
    }
    switch (token) {
      case START_OBJECT:
        return readObject(parser);
      case START_ARRAY: {
        List<Object> values = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          if (parser.currentToken() == null) {
            throw new IOException("truncated array");
          }
          values.add(readValue(parser));
        }
        return values;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.INT
            || parser.getNumberType() == JsonParser.NumberType.LONG
            ? (Object) parser.getLongValue() : new OtherNumber(parser.getText());
      case VALUE_NUMBER_FLOAT:
        return new OtherNumber(parser.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return NULL;
      default:
        throw new IOException("unexpected " + token);
    }
  }

  /** Writes a flat JSON object of strings, longs, booleans and string lists (for signing). */
  static String writeObject(Map<String, Object> members) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      generator.writeStartObject();
      for (Map.Entry<String, Object> member : members.entrySet()) {
        generator.writeFieldName(member.getKey());
        writeValue(generator, member.getValue());
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string", e);
    }
    return out.toString();
  }

  private static void writeValue(JsonGenerator generator, Object value) throws IOException {
    if (value instanceof String text) {
      generator.writeString(text);
    } else if (value instanceof List<?> list) {
      generator.writeStartArray();
      for (Object element : list) {
        writeValue(generator, element);
      }
      generator.writeEndArray();
    } else if (value instanceof Long number) {
      generator.writeNumber(number);
    } else if (value instanceof Integer number) {
      generator.writeNumber(number);
    } else if (value instanceof Boolean flag) {
      generator.writeBoolean(flag);
    } else {
      throw new IllegalArgumentException("not a JSON value this writer writes: " + value.getClass().getName());
    }
  }
}
