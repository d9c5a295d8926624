package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SNS messages as SNS writes them, signed here independently of {@code AwsSnsScheme}: the string
 * to sign is built from AWS's documented field lists, and the JDK signs it.
 */
final class SnsMessages {
  static final String TOPIC = Fixtures.SNS_TOPIC;
  static final String CERT_URL = AwsSnsScheme.DEFAULT_CERT_URL;
  static final PrivateKey KEY = privateKey(Fixtures.SNS_PRIVATE_KEY);

  private static final List<String> NOTIFICATION = List.of("Message", "MessageId", "Subject", "Timestamp",
      "TopicArn", "Type");
  private static final List<String> CONFIRMATION = List.of("Message", "MessageId", "SubscribeURL", "Timestamp",
      "Token", "TopicArn", "Type");

  private SnsMessages() {}

  static Map<String, String> notification(String message, Instant at) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Type", "Notification");
    fields.put("MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
    fields.put("TopicArn", TOPIC);
    fields.put("Message", message);
    fields.put("Timestamp", at.toString());
    fields.put("SignatureVersion", "2");
    fields.put("SigningCertURL", CERT_URL);
    fields.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TOPIC
        + ":c9135db0-26c4-47ec-8998-413945fb5a96");
    return fields;
  }

  static Map<String, String> confirmation(String type, Instant at) {
    Map<String, String> fields = new LinkedHashMap<>();
    String token = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736";
    fields.put("Type", type);
    fields.put("MessageId", "165545c9-2a5c-472c-8df2-7ff2be2b3b1b");
    fields.put("Token", token);
    fields.put("TopicArn", TOPIC);
    fields.put("Message", "You have chosen to subscribe to the topic " + TOPIC
        + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
    fields.put("SubscribeURL", confirmUrl(TOPIC, token));
    fields.put("Timestamp", at.toString());
    fields.put("SignatureVersion", "2");
    fields.put("SigningCertURL", CERT_URL);
    return fields;
  }

  static String confirmUrl(String topic, String token) {
    return "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=" + token;
  }

  /** The fields with {@code Signature} set: the documented string to sign, signed with {@code key}. */
  static Map<String, String> signed(Map<String, String> fields, PrivateKey key) {
    String version = fields.get("SignatureVersion");
    StringBuilder toSign = new StringBuilder();
    for (String name : "Notification".equals(fields.get("Type")) ? NOTIFICATION : CONFIRMATION) {
      if (fields.get(name) != null) {
        toSign.append(name).append('\n').append(fields.get(name)).append('\n');
      }
    }
    try {
      Signature signer = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
      signer.initSign(key);
      signer.update(toSign.toString().getBytes(UTF_8));
      Map<String, String> signed = new LinkedHashMap<>(fields);
      signed.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
      return signed;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> signed(Map<String, String> fields) {
    return signed(fields, KEY);
  }

  /** The JSON SNS posts, pretty-printed as SNS does. */
  static String json(Map<String, String> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
      generator.writeStartObject();
      for (Map.Entry<String, String> field : fields.entrySet()) {
        if (field.getValue() == null) {
          generator.writeNullField(field.getKey());
        } else {
          generator.writeStringField(field.getKey(), field.getValue());
        }
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(UTF_8);
  }

  static WebhookRequest request(Map<String, String> fields) {
    return request(json(fields));
  }

  static WebhookRequest request(String body) {
    return WebhookRequest.builder().url("https://hooks.example.com/sns")
        .header("Content-Type", "text/plain; charset=UTF-8")
        .header("x-amz-sns-message-type", "Notification")
        .body(body.getBytes(UTF_8)).build();
  }

  static PrivateKey privateKey(String pem) {
    try {
      String base64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
