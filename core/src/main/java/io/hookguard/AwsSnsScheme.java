package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.hookguard.internal.FormEncoding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;

/**
 * AWS SNS over HTTP/S (SES notifications too, which SNS delivers): a JSON message whose
 * {@code Signature} is RSA (PKCS#1 v1.5; {@code SignatureVersion} 1 SHA-1, 2 SHA-256) over
 * {@code Name\nvalue\n} lines of the fields its {@code Type} signs, with the key of the X.509
 * certificate at {@code SigningCertURL}, fetched through {@link RemoteDocuments}. The keys this
 * scheme is configured with are the ARNs of the topics an endpoint accepts: the certificate
 * proves that SNS sent a message, the topic says whose it is.
 */
final class AwsSnsScheme extends WebhookScheme {
  static final String TYPE = "Type";
  static final String NOTIFICATION = "Notification";
  static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
  static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

  /** Every field read, in the byte order the signed lines use (then the unsigned ones). */
  private static final List<String> FIELDS = List.of("Message", "MessageId", "Subject", "SubscribeURL",
      "Timestamp", "Token", "TopicArn", "Type", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL");
  private static final int MESSAGE = 0;
  private static final int MESSAGE_ID = 1;
  private static final int SUBJECT = 2;
  private static final int SUBSCRIBE_URL = 3;
  private static final int TIMESTAMP = 4;
  private static final int TOKEN = 5;
  private static final int TOPIC_ARN = 6;
  private static final int TYPE_FIELD = 7;
  private static final int SIGNATURE_VERSION = 8;
  private static final int SIGNATURE = 9;
  private static final int SIGNING_CERT_URL = 10;
  private static final int UNSUBSCRIBE_URL = 11;
  /** The signed fields of each type, in byte order (AWS's "Verifying the signatures of Amazon SNS messages"). */
  private static final int[] NOTIFICATION_SIGNS = {MESSAGE, MESSAGE_ID, SUBJECT, TIMESTAMP, TOPIC_ARN, TYPE_FIELD};
  private static final int[] CONFIRMATION_SIGNS = {MESSAGE, MESSAGE_ID, SUBSCRIBE_URL, TIMESTAMP, TOKEN, TOPIC_ARN,
      TYPE_FIELD};

  private static final String REGION = "[a-z]{2}(?:-gov)?-[a-z]+-[0-9]{1,2}";
  /** A topic ARN in the aws, aws-cn and aws-us-gov partitions; the region is group 2. */
  static final Pattern TOPIC = Pattern.compile(
      "arn:(aws|aws-cn|aws-us-gov):sns:(" + REGION + "):[0-9]{12}:[A-Za-z0-9_-]{1,256}(?:\\.fifo)?");
  /** SNS's endpoint host of a region: {@code sns.<region>.amazonaws.com}, {@code .com.cn} in China; region group 1. */
  static final Pattern HOST = Pattern.compile("sns\\.(" + REGION + ")\\.amazonaws\\.com(\\.cn)?");
  private static final Pattern CERT_PATH = Pattern.compile("/[A-Za-z0-9._-]{1,200}\\.pem");
  /**
   * The names SNS's signing certificates are issued to: {@code sns.amazonaws.com} (aws-java-sdk
   * v1 {@code SnsMessageManager} expects {@code sns.<partition domain>}), and the regional names
   * it expects in China and GovCloud ({@code sns-cn-north-1.amazonaws.com.cn},
   * {@code sns-us-gov-west-1.amazonaws.com}).
   */
  private static final Pattern CERT_NAME = Pattern.compile("sns(?:[.-]" + REGION + ")?\\.amazonaws\\.com(?:\\.cn)?");

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();
  private static final DateTimeFormatter SNS_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** For the signer: where certificates of the tests' own keys are said to be. */
  static final String DEFAULT_CERT_URL =
      "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hookguard-test.pem";
  /** For the signer: the topic of a body it wraps. */
  static final String DEFAULT_TOPIC = "arn:aws:sns:us-east-1:123456789012:hookguard-test";

  /** One parser for every SNS verifier: the cache keys on it. */
  private static final RemoteDocuments.Parser<X509Certificate> CERTIFICATE = AwsSnsScheme::certificate;

  private static final EventFields EVENT_FIELDS = EventFields.readBy(
      List.of(FieldSource.json("MessageId")), List.of(FieldSource.json(TYPE)), AwsSnsScheme::readFields);

  private final @Nullable RemoteDocuments documents;

  AwsSnsScheme(@Nullable RemoteDocuments documents) {
    // SNS signs a message once and retries it unchanged; its HTTP/S retry policies span at most an hour.
    super("aws-sns", Duration.ofHours(1));
    this.documents = documents;
  }

  @Override
  public boolean hasTimestamp() {
    return true;
  }

  /** {@code MessageId} is one of the signed fields of every type. */
  @Override
  public boolean signsEventId() {
    return true;
  }

  @Override
  public boolean usesPublicKeys() {
    return true;
  }

  @Override
  public Optional<Handshake> handshake() {
    return Optional.of(Handshake.SNS_SUBSCRIPTION);
  }

  @Override
  public boolean fetchesDocuments() {
    return true;
  }

  @Override
  WebhookScheme withDocuments(RemoteDocuments documents) {
    return new AwsSnsScheme(documents);
  }

  /** A configured "key" is a topic ARN: the certificate is fetched, the topic must be allowed. */
  @Override
  Keys.VerificationKey publicKey(String topicArn) {
    String arn = requireSecretText(topicArn, "topic ARN").strip();
    if (!TOPIC.matcher(arn).matches()) {
      throw new IllegalArgumentException("an aws-sns key is the ARN of a topic the endpoint accepts,"
          + " arn:aws:sns:<region>:<account>:<topic>; SNS's signing certificate is fetched, not configured");
    }
    return new TopicKey(arn);
  }

  @Override
  Keys.SigningKey privateKey(String privateKey) {
    return Keys.rsaPrivateKey("2", "SHA256withRSA", TravisScheme.der(privateKey, "private key"));
  }

  @Override
  EventFields eventFields() {
    return EVENT_FIELDS;
  }

  /** A topic an endpoint accepts; it checks no signature itself. */
  static final class TopicKey extends Keys.VerificationKey {
    final String arn;

    TopicKey(String arn) {
      super("");
      this.arn = arn;
    }

    @Override
    boolean verify(SignedContent content, List<byte[]> signatures) {
      return false;
    }
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    String[] message = parse(request.body());
    String type = required(message, TYPE_FIELD);
    int[] signs = signedFields(type);
    for (int field : signs) {
      if (field != SUBJECT) {
        required(message, field);
      }
    }
    String algorithm = switch (required(message, SIGNATURE_VERSION)) {
      case "1" -> "SHA1withRSA";
      case "2" -> "SHA256withRSA";
      default -> throw new Reject(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION,
          "SignatureVersion is neither 1 nor 2");
    };
    // The topic before anything is fetched: a message of another AWS account's topic is signed
    // by SNS just the same, and must not make this endpoint fetch anything.
    String topic = message[TOPIC_ARN];
    if (!allowed(keys, topic)) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, "TopicArn is not a topic this endpoint accepts");
    }
    Matcher topicParts = TOPIC.matcher(topic);
    topicParts.matches(); // it equals a configured ARN, which matched when configured
    String region = topicParts.group(2);
    URI certUrl = RemoteDocuments.pinned(required(message, SIGNING_CERT_URL), HOST, CERT_PATH,
        RejectionReason.UNREADABLE_BODY, "SigningCertURL");
    if (!onRegionHost(certUrl, region)) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
          "SigningCertURL is not on the SNS host of the topic's region");
    }
    Instant timestamp = parseTimestamp(TimestampFormat.RFC_3339, message[TIMESTAMP], "Timestamp");
    byte[] signature = Codec.decodeBase64(required(message, SIGNATURE));
    if (signature == null) {
      // Decided before the fetch: a signature that is not even base64 must not cost one.
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, "Signature is not canonical base64");
    }
    X509Certificate certificate = RemoteDocuments.orShared(documents).get(certUrl, CERTIFICATE);
    try {
      certificate.checkValidity(Date.from(window.clock().instant()));
    } catch (GeneralSecurityException e) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, "the signing certificate is not valid now");
    }
    byte[] signed = canonical(message, signs);
    boolean match = new Keys.PublicSignatureKey("", algorithm, certificate.getPublicKey())
        .verify(sink -> sink.update(signed, 0, signed.length), List.of(signature));
    if (!match) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
          "Signature does not match the message under the certificate at SigningCertURL");
    }
    window.check(timestamp);
    VerifiedWebhook verified = new VerifiedWebhook(id(), message[MESSAGE_ID], timestamp, type);
    if (type.equals(SUBSCRIPTION_CONFIRMATION)) {
      verified.answer(confirm(message, topic, region));
    } else if (type.equals(UNSUBSCRIBE_CONFIRMATION)) {
      verified.answer(HandshakeReply.empty(Handshake.SNS_SUBSCRIPTION));
    }
    return verified;
  }

  private static boolean allowed(List<Keys.VerificationKey> keys, String topic) {
    for (Keys.VerificationKey key : keys) {
      if (key instanceof TopicKey allowed && allowed.arn.equals(topic)) {
        return true;
      }
    }
    return false;
  }

  /** {@code sns.<region>.amazonaws.com}, with {@code .cn} exactly for the China regions. */
  private static boolean onRegionHost(URI url, String region) {
    Matcher host = HOST.matcher(url.getHost().toLowerCase(Locale.ROOT));
    return host.matches() && host.group(1).equals(region) && (host.group(2) != null) == region.startsWith("cn-");
  }

  /**
   * Confirms the subscription: a GET of the SubscribeURL, only when it is SNS's confirmation URL
   * for this very topic on its region's host (the message is verified and the topic allowed by now).
   */
  private HandshakeReply confirm(String[] message, String topic, String region) {
    URI url;
    try {
      url = new URI(message[SUBSCRIBE_URL]);
    } catch (URISyntaxException e) {
      url = null;
    }
    if (url == null || !"https".equals(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
        || (url.getPort() != -1 && url.getPort() != 443) || url.getRawFragment() != null
        || !("/".equals(url.getRawPath()) || "".equals(url.getRawPath())) || !onRegionHost(url, region)
        || !confirmsTopic(url.getRawQuery(), topic, message[TOKEN])) {
      return HandshakeReply.refused(Handshake.SNS_SUBSCRIPTION, RejectionReason.HANDSHAKE_REFUSED,
          "SubscribeURL is not SNS's confirmation URL for this topic");
    }
    if (!RemoteDocuments.orShared(documents).fetchOnce(url)) {
      return HandshakeReply.refused(Handshake.SNS_SUBSCRIPTION, RejectionReason.KEY_UNAVAILABLE,
          "the subscription could not be confirmed with SNS now; retry later");
    }
    return HandshakeReply.empty(Handshake.SNS_SUBSCRIPTION);
  }

  /** {@code Action=ConfirmSubscription}, the message's {@code TopicArn} and {@code Token}, each once, nothing else. */
  private static boolean confirmsTopic(@Nullable String rawQuery, String topic, String token) {
    if (rawQuery == null) {
      return false;
    }
    List<Map.Entry<String, String>> pairs;
    try {
      pairs = FormEncoding.decode(rawQuery, UTF_8, 4);
    } catch (RuntimeException malformed) {
      return false;
    }
    if (pairs == null || pairs.size() != 3) {
      return false;
    }
    String action = null;
    String topicArn = null;
    String tokenValue = null;
    for (Map.Entry<String, String> pair : pairs) {
      switch (pair.getKey()) {
        case "Action" -> action = action == null ? pair.getValue() : "";
        case "TopicArn" -> topicArn = topicArn == null ? pair.getValue() : "";
        case "Token" -> tokenValue = tokenValue == null ? pair.getValue() : "";
        default -> {
          return false;
        }
      }
    }
    return "ConfirmSubscription".equals(action) && topic.equals(topicArn) && token.equals(tokenValue);
  }

  private static int[] signedFields(String type) {
    return switch (type) {
      case NOTIFICATION -> NOTIFICATION_SIGNS;
      case SUBSCRIPTION_CONFIRMATION, UNSUBSCRIBE_CONFIRMATION -> CONFIRMATION_SIGNS;
      default -> throw unreadable("Type is not one SNS sends over HTTP");
    };
  }

  /** The string to sign: {@code Name\nvalue\n} for each signed field present, in byte order. */
  private static byte[] canonical(@Nullable String[] message, int[] signs) {
    StringBuilder text = new StringBuilder(256);
    for (int field : signs) {
      String value = message[field];
      if (value != null) {
        text.append(FIELDS.get(field)).append('\n').append(value).append('\n');
      }
    }
    return text.toString().getBytes(UTF_8);
  }

  private static String required(@Nullable String[] message, int field) {
    String value = message[field];
    if (value == null) {
      throw unreadable("the message has no " + FIELDS.get(field));
    }
    return value;
  }

  private static Reject unreadable(String detail) {
    return new Reject(RejectionReason.UNREADABLE_BODY, detail);
  }

  /**
   * The fields of an SNS message, read in one streaming pass to the end of the body: a JSON
   * object whose read fields are strings (a {@code null} is an absent field, as the AWS SDK for
   * PHP's {@code MessageValidator} reads it). A repeated field name is refused: the signature
   * would be checked over one value while the application's JSON library, keeping the last,
   * read another.
   */
  static @Nullable String[] parse(byte[] body) {
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw unreadable("the body is not a JSON object");
      }
      @Nullable String[] values = new String[FIELDS.size()];
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        int field = FIELDS.indexOf(parser.currentName());
        JsonToken value = parser.nextToken();
        if (field < 0) {
          parser.skipChildren();
        } else if (value == JsonToken.VALUE_STRING) {
          values[field] = parser.getText();
        } else if (value != JsonToken.VALUE_NULL) {
          throw unreadable(FIELDS.get(field) + " is not a string");
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw unreadable("the body is not one JSON object");
      }
      return values;
    } catch (IOException e) {
      // Malformed JSON, a repeated field name, nesting too deep: the parser's message may quote
      // the body, so it is not passed on.
      throw unreadable("the body is not a well-formed SNS message");
    }
  }

  /** A certificate SNS signs with: X.509 (PEM), an RSA key, issued to one of SNS's names. */
  private static X509Certificate certificate(byte[] document) throws GeneralSecurityException {
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(document));
    if (!Keys.isRsaOf2048BitsOrMore(certificate.getPublicKey())) {
      throw new GeneralSecurityException("not an RSA key of 2048 bits or more");
    }
    if (!issuedTo(certificate, CERT_NAME)) {
      throw new GeneralSecurityException("not issued to SNS");
    }
    return certificate;
  }

  /** Whether a DNS subject alternative name or, without any, the subject's CN matches {@code names}. */
  static boolean issuedTo(X509Certificate certificate, Pattern names) throws GeneralSecurityException {
    Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
    boolean anyDns = false;
    if (alternatives != null) {
      for (List<?> alternative : alternatives) {
        if (Integer.valueOf(2).equals(alternative.get(0)) && alternative.get(1) instanceof String dns) {
          anyDns = true;
          if (names.matcher(dns.toLowerCase(Locale.ROOT)).matches()) {
            return true;
          }
        }
      }
    }
    if (anyDns) {
      return false; // RFC 6125: with DNS names present, the CN is not looked at
    }
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn
            && names.matcher(cn.toLowerCase(Locale.ROOT)).matches()) {
          return true;
        }
      }
    } catch (InvalidNameException e) {
      return false;
    }
    return false;
  }

  /** For the signer's checks: what {@link #doVerify} would report, or nothing for another body. */
  private static EventFields.Values readFields(WebhookRequest request) {
    try {
      @Nullable String[] message = parse(request.body());
      return new EventFields.Values(message[MESSAGE_ID], message[TYPE_FIELD], null);
    } catch (Reject notAMessage) {
      return new EventFields.Values(null, null, null);
    }
  }

  /**
   * A body that is an SNS message (it has a {@code Type}) is signed as it is, with
   * {@code Timestamp} now unless it has one (SNS retries a message unchanged), {@code SignatureVersion} 2 and, unless it has one,
   * {@code SigningCertURL} {@link #DEFAULT_CERT_URL}. Any other body becomes the {@code Message} of
   * a {@code Notification} of {@link #DEFAULT_TOPIC}, whose {@code MessageId} is a UUID of the
   * body's bytes, so that the same body is the same event.
   */
  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    @Nullable String[] message;
    try {
      message = parse(request.body());
      if (message[TYPE_FIELD] == null) {
        message = null;
      }
    } catch (Reject notAMessage) {
      message = null;
    }
    if (message == null) {
      message = new String[FIELDS.size()];
      message[TYPE_FIELD] = NOTIFICATION;
      message[MESSAGE_ID] = UUID.nameUUIDFromBytes(request.body()).toString();
      message[TOPIC_ARN] = DEFAULT_TOPIC;
      message[MESSAGE] = new String(request.body(), UTF_8);
      // Unsigned, but SNS sends it with every notification (and the AWS SDK's reader requires it).
      message[UNSUBSCRIBE_URL] = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
          + DEFAULT_TOPIC + ":" + message[MESSAGE_ID];
    }
    if (message[TIMESTAMP] == null) {
      // SNS signs a message once, at publishing, and retries it unchanged: a given Timestamp stays.
      message[TIMESTAMP] = SNS_TIME.format(now.truncatedTo(ChronoUnit.MILLIS));
    }
    message[SIGNATURE_VERSION] = "2";
    if (message[SIGNING_CERT_URL] == null) {
      message[SIGNING_CERT_URL] = DEFAULT_CERT_URL;
    }
    String type = message[TYPE_FIELD];
    byte[] signed = canonical(message, type.equals(NOTIFICATION) ? NOTIFICATION_SIGNS : CONFIRMATION_SIGNS);
    message[SIGNATURE] = Codec.encodeBase64(key.sign(sink -> sink.update(signed, 0, signed.length)));
    // SNS also sends x-amz-sns-* headers, which nothing signs and this scheme does not read.
    return request.toBuilder().body(write(message)).build();
  }

  /** The message as SNS writes it: its fields in SNS's order, the others left out. */
  private static byte[] write(@Nullable String[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      generator.writeStartObject();
      for (int field : new int[] {TYPE_FIELD, MESSAGE_ID, TOKEN, TOPIC_ARN, SUBJECT, MESSAGE, SUBSCRIBE_URL,
          TIMESTAMP, SIGNATURE_VERSION, SIGNATURE, SIGNING_CERT_URL, UNSUBSCRIBE_URL}) {
        if (message[field] != null) {
          generator.writeStringField(FIELDS.get(field), message[field]);
        }
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the message", e);
    }
    return out.toByteArray();
  }
}
