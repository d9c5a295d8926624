package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.hookguard.internal.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Adyen's standard webhooks (payments, modifications, disputes): a JSON notification whose
 * {@code notificationItems} each carry their own signature in
 * {@code NotificationRequestItem.additionalData.hmacSignature}, the base64 HMAC-SHA256, keyed
 * with the hex-decoded HMAC key, of eight of the item's fields joined by {@code ':'}:
 * {@code pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success}
 * ({@code value} and {@code currency} from {@code amount}; an absent or null field is the empty
 * string; values as decoded from the JSON, not escaped). Hand-written: the signature is in the
 * body, once per item, and no header layout describes it.
 *
 * <p>Every item must verify: the body reaches the application whole, so one unsigned or forged
 * item appended to a genuine one would otherwise be processed as if Adyen had sent it. A body
 * that is not one JSON object, repeats a field name anywhere (two parsers could read different
 * values of it), or has more than {@link #MAX_ITEMS} items is unreadable.
 */
final class AdyenScheme extends WebhookScheme {
  /** Adyen sends one item per request today; batches of several were an option of older accounts. */
  static final int MAX_ITEMS = 100;

  /** The signed fields, in signing order; {@code value} and {@code currency} are in {@code amount}. */
  private static final List<String> SIGNED = List.of("pspReference", "originalReference",
      "merchantAccountCode", "merchantReference", "value", "currency", "eventCode", "success");
  private static final int PSP_REFERENCE = 0;
  private static final int VALUE = 4;
  private static final int CURRENCY = 5;
  private static final int EVENT_CODE = 6;
  private static final int SUCCESS = 7;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  private static final String ITEM_PATH = "notificationItems[].NotificationRequestItem";
  private static final EventFields EVENT_FIELDS = EventFields.readBy(
      List.of(FieldSource.json(ITEM_PATH + ".{eventCode:pspReference:success}")),
      List.of(FieldSource.json(ITEM_PATH + ".eventCode")),
      AdyenScheme::readFields);

  AdyenScheme() {
    super("adyen", null);
  }

  @Override
  public boolean hasTimestamp() {
    return false;
  }

  /** Event code, PSP reference and success, the parts of the id, are all signed. */
  @Override
  public boolean signsEventId() {
    return true;
  }

  @Override
  Keys.VerificationKey secretKey(String secret) {
    return hmacKey(secret);
  }

  @Override
  Keys.SigningKey signingSecret(String secret) {
    return hmacKey(secret);
  }

  /** The HMAC key as the Customer Area shows it: hexadecimal, either case. */
  private static Keys.HmacKey hmacKey(String secret) {
    return new Keys.HmacKey("", HmacAlgorithm.SHA256,
        SecretEncoding.HEX.decode(requireSecretText(secret, "HMAC key").strip()));
  }

  @Override
  EventFields eventFields() {
    return EVENT_FIELDS;
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    List<Item> items = items(request.body());
    for (int n = 0; n < items.size(); n++) {
      Item item = items.get(n);
      String where = "notification item " + (n + 1) + "'s hmacSignature";
      if (item.signature == null || item.signature.isEmpty()) {
        throw new Reject(RejectionReason.UNREADABLE_BODY,
            "notification item " + (n + 1) + " has no additionalData.hmacSignature");
      }
      DeclarativeScheme.checkSignatures(List.of(new SignatureFormat.Candidate("", item.signature)),
          SignatureEncoding.BASE64, keys, item.content(), where);
    }
    EventFields.Values values = values(items);
    return new VerifiedWebhook(id(), values.id(), null, values.type());
  }

  /**
   * One item's id is {@code eventCode:pspReference:success}: Adyen names duplicates by event
   * code and PSP reference (dispute events share the payment's reference, so the reference alone
   * is not enough), and a {@code success=false} event may be followed by a {@code true} one of
   * the same code and reference, which is a new event, not a retry. Several items: their ids
   * joined by {@code ','}. None where an item lacks its code or reference. The type is the items'
   * event code when they share one.
   */
  private static EventFields.Values values(List<Item> items) {
    StringBuilder id = new StringBuilder();
    boolean everyItemHasAnId = true;
    String type = items.get(0).signed[EVENT_CODE];
    for (Item item : items) {
      String itemId = item.eventId();
      everyItemHasAnId &= itemId != null;
      if (itemId != null) {
        id.append(id.length() > 0 ? "," : "").append(itemId);
      }
      if (!item.signed[EVENT_CODE].equals(type)) {
        type = "";
      }
    }
    return new EventFields.Values(everyItemHasAnId ? id.toString() : null,
        type.isEmpty() ? null : type, null);
  }

  /** For the signer's checks: what {@link #doVerify} would report, or nothing for another body. */
  private static EventFields.Values readFields(WebhookRequest request) {
    try {
      return values(items(request.body()));
    } catch (Reject notANotification) {
      return new EventFields.Values(null, null, null);
    }
  }

  // ---- Reading a notification ----

  /** One {@code NotificationRequestItem}: its signed fields ({@code ""} where absent) and signature. */
  static final class Item {
    final String[] signed = new String[SIGNED.size()];
    @Nullable String signature;

    Item() {
      Arrays.fill(signed, "");
    }

    @Nullable String eventId() {
      if (signed[EVENT_CODE].isEmpty() || signed[PSP_REFERENCE].isEmpty()) {
        return null;
      }
      return signed[EVENT_CODE] + ':' + signed[PSP_REFERENCE] + ':' + signed[SUCCESS];
    }

    SignedContent content() {
      return sink -> {
        for (int i = 0; i < signed.length; i++) {
          if (i > 0) {
            sink.update(":");
          }
          sink.update(signed[i]);
        }
      };
    }
  }

  /** The items of a notification body, read in one streaming pass to its end. */
  static List<Item> items(byte[] body) {
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw unreadable("the body is not a JSON object");
      }
      List<Item> items = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("notificationItems")) {
          if (value != JsonToken.START_ARRAY) {
            throw unreadable("notificationItems is not an array");
          }
          items = readItems(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw unreadable("the body is not one JSON object");
      }
      if (items == null || items.isEmpty()) {
        throw unreadable("the body has no notificationItems");
      }
      return items;
    } catch (IOException e) {
      // Malformed JSON, a repeated field name, nesting too deep: the parser's message may quote
      // the body, so it is not passed on.
      throw unreadable("the body is not a well-formed Adyen notification");
    }
  }

  private static List<Item> readItems(JsonParser parser) throws IOException {
    List<Item> items = new ArrayList<>(1);
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_OBJECT) {
        throw unreadable("a notification item is not an object");
      }
      if (items.size() == MAX_ITEMS) {
        throw unreadable("the body has more than " + MAX_ITEMS + " notification items");
      }
      Item item = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("NotificationRequestItem")) {
          if (value != JsonToken.START_OBJECT) {
            throw unreadable("a NotificationRequestItem is not an object");
          }
          item = readItem(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (item == null) {
        throw unreadable("a notification item has no NotificationRequestItem");
      }
      items.add(item);
    }
    return items;
  }

  private static Item readItem(JsonParser parser) throws IOException {
    Item item = new Item();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (name.equals("amount")) {
        if (value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken fieldValue = parser.nextToken();
            if (field.equals("value")) {
              item.signed[VALUE] = scalar(parser, fieldValue, "amount.value");
            } else if (field.equals("currency")) {
              item.signed[CURRENCY] = scalar(parser, fieldValue, "amount.currency");
            } else {
              parser.skipChildren();
            }
          }
        } else if (value != JsonToken.VALUE_NULL) {
          throw unreadable("amount is not an object");
        }
      } else if (name.equals("additionalData")) {
        if (value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken fieldValue = parser.nextToken();
            if (field.equals("hmacSignature")) {
              if (fieldValue != JsonToken.VALUE_STRING) {
                throw unreadable("additionalData.hmacSignature is not a string");
              }
              item.signature = parser.getText();
            } else {
              parser.skipChildren();
            }
          }
        } else if (value != JsonToken.VALUE_NULL) {
          throw unreadable("additionalData is not an object");
        }
      } else {
        int index = SIGNED.indexOf(name);
        if (index >= 0 && index != VALUE && index != CURRENCY) {
          item.signed[index] = scalar(parser, value, name);
        } else {
          parser.skipChildren();
        }
      }
    }
    return item;
  }

  /** A signed value's text as decoded: strings unescaped, numbers and booleans as written. */
  private static String scalar(JsonParser parser, JsonToken token, String name) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return "";
    }
    if (!token.isScalarValue()) {
      throw unreadable(name + " is not a single value");
    }
    return parser.getText();
  }

  private static Reject unreadable(String detail) {
    return new Reject(RejectionReason.UNREADABLE_BODY, detail);
  }

  // ---- Signing, for tests and demo senders ----

  /**
   * A body that is an Adyen notification gets each item's {@code hmacSignature} set (replaced
   * where present; the rest of the body re-written, values unchanged). Any other body is wrapped
   * as the {@code reason} of one {@code AUTHORISATION} item whose {@code pspReference} is 16
   * digits of the body's SHA-256, so that the same body is the same event.
   */
  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    List<Item> items;
    try {
      items = items(request.body());
    } catch (Reject notANotification) {
      items = null;
    }
    try {
      byte[] body = items != null
          ? resign(request.body(), items, key)
          : wrap(request.body(), key, now);
      return request.toBuilder().body(body).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the notification", e);
    }
  }

  private static String signature(Item item, Keys.SigningKey key) {
    return Codec.encodeBase64(key.sign(item.content()));
  }

  private static byte[] resign(byte[] body, List<Item> items, Keys.SigningKey key) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 80 * items.size());
    try (JsonParser parser = FACTORY.createParser(body);
        JsonGenerator generator = FACTORY.createGenerator(out)) {
      parser.nextToken();
      generator.writeStartObject();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        generator.writeFieldName(name);
        if (!name.equals("notificationItems")) {
          copy(parser, generator);
          continue;
        }
        generator.writeStartArray();
        int n = 0;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          generator.writeStartObject();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            generator.writeFieldName(field);
            if (field.equals("NotificationRequestItem")) {
              copyItem(parser, generator, signature(items.get(n), key));
            } else {
              copy(parser, generator);
            }
          }
          generator.writeEndObject();
          n++;
        }
        generator.writeEndArray();
      }
      generator.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Copies one item with its {@code additionalData.hmacSignature} set to the signature. */
  private static void copyItem(JsonParser parser, JsonGenerator generator, String signature)
      throws IOException {
    generator.writeStartObject();
    boolean signed = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      generator.writeFieldName(name);
      if (!name.equals("additionalData")) {
        copy(parser, generator);
        continue;
      }
      generator.writeStartObject();
      if (value == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          if (field.equals("hmacSignature")) {
            parser.skipChildren();
          } else {
            generator.writeFieldName(field);
            copy(parser, generator);
          }
        }
      }
      generator.writeStringField("hmacSignature", signature);
      generator.writeEndObject();
      signed = true;
    }
    if (!signed) {
      generator.writeObjectFieldStart("additionalData");
      generator.writeStringField("hmacSignature", signature);
      generator.writeEndObject();
    }
    generator.writeEndObject();
  }

  /** Copies the current value, numbers as written (the signed text must not change). */
  private static void copy(JsonParser parser, JsonGenerator generator) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        generator.writeStartObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          generator.writeFieldName(parser.currentName());
          parser.nextToken();
          copy(parser, generator);
        }
        generator.writeEndObject();
      }
      case START_ARRAY -> {
        generator.writeStartArray();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          copy(parser, generator);
        }
        generator.writeEndArray();
      }
      case VALUE_STRING -> generator.writeString(parser.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
      case VALUE_TRUE, VALUE_FALSE -> generator.writeBoolean(token == JsonToken.VALUE_TRUE);
      default -> generator.writeNull();
    }
  }

  private static byte[] wrap(byte[] body, Keys.SigningKey key, Instant now) throws IOException {
    Item item = new Item();
    item.signed[PSP_REFERENCE] = pspReference(body);
    item.signed[2] = "HookguardTest";
    item.signed[3] = "hookguard-test";
    item.signed[VALUE] = "1000";
    item.signed[CURRENCY] = "EUR";
    item.signed[EVENT_CODE] = "AUTHORISATION";
    item.signed[SUCCESS] = "true";
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 400);
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField("live", "false");
      generator.writeArrayFieldStart("notificationItems");
      generator.writeStartObject();
      generator.writeObjectFieldStart("NotificationRequestItem");
      generator.writeObjectFieldStart("additionalData");
      generator.writeStringField("hmacSignature", signature(item, key));
      generator.writeEndObject();
      generator.writeObjectFieldStart("amount");
      generator.writeStringField("currency", item.signed[CURRENCY]);
      generator.writeNumberField("value", Long.parseLong(item.signed[VALUE]));
      generator.writeEndObject();
      generator.writeStringField("eventCode", item.signed[EVENT_CODE]);
      generator.writeStringField("eventDate", now.toString());
      generator.writeStringField("merchantAccountCode", item.signed[2]);
      generator.writeStringField("merchantReference", item.signed[3]);
      generator.writeStringField("pspReference", item.signed[PSP_REFERENCE]);
      generator.writeStringField("reason", new String(body, UTF_8));
      generator.writeStringField("success", item.signed[SUCCESS]);
      generator.writeEndObject();
      generator.writeEndObject();
      generator.writeEndArray();
      generator.writeEndObject();
    }
    return out.toByteArray();
  }

  /** 16 digits, as Adyen's PSP references have, from the body's SHA-256. */
  static String pspReference(byte[] body) {
    byte[] digest = Sha256.digest(body);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    return String.format("%016d", Long.remainderUnsigned(value, 10_000_000_000_000_000L));
  }
}
