package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Travis CI signs the value of the {@code payload} form field (the JSON of the build) with RSA
 * (PKCS#1 v1.5, SHA-1); the base64 signature is in the {@code Signature} header, and the public
 * key is the one Travis publishes at {@code /config} of its API (travis-ci.com and travis-ci.org
 * have different keys). The body must be a form whose one field is {@code payload}: only that
 * field is signed, so a form with any other field is refused rather than handed on half-verified.
 */
final class TravisScheme extends WebhookScheme {
  static final String SIGNATURE_HEADER = "Signature";
  static final String FIELD = "payload";

  /**
   * The two Travis CI APIs whose {@code /config} publishes the notification key, as an endpoint
   * may name them instead of a key: {@code config.notifications.webhook.public_key}.
   */
  static final java.util.Set<String> CONFIG_URLS = java.util.Set.of(
      "https://api.travis-ci.com/config", "https://api.travis-ci.org/config");
  private static final java.util.regex.Pattern CONFIG_HOST =
      java.util.regex.Pattern.compile("api\\.travis-ci\\.(com|org)");
  private static final java.util.regex.Pattern CONFIG_PATH = java.util.regex.Pattern.compile("/config");
  /** Repeated members refused: the key read must be the one any other reader would read. */
  private static final com.fasterxml.jackson.core.JsonFactory CONFIG_JSON = com.fasterxml.jackson.core.JsonFactory
      .builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  /** One parser for every Travis verifier: the cache keys on it. */
  private static final RemoteDocuments.Parser<Keys.PublicSignatureKey> CONFIG = TravisScheme::configKey;

  private final @Nullable RemoteDocuments documents;

  TravisScheme() {
    this(null);
  }

  private TravisScheme(@Nullable RemoteDocuments documents) {
    super("travis-ci", null);
    this.documents = documents;
  }

  /** It fetches its key when an endpoint names Travis's config URL instead of the key itself. */
  @Override
  public boolean fetchesDocuments() {
    return true;
  }

  @Override
  WebhookScheme withDocuments(RemoteDocuments documents) {
    return new TravisScheme(documents);
  }

  @Override
  public boolean hasTimestamp() {
    return false;
  }

  /** The payload's {@code id} is the build's, shared by its started and finished notifications. */
  @Override
  public boolean signsEventId() {
    return false;
  }

  @Override
  public boolean usesPublicKeys() {
    return true;
  }

  /** The signed payload value: a re-encoded replay of the form is the same delivery. */
  @Override
  public byte[] replayContent(WebhookRequest request) {
    try {
      return payload(request).getBytes(UTF_8);
    } catch (Reject reject) {
      return request.body();
    }
  }

  /**
   * The PEM or base64 DER key, or one of {@link #CONFIG_URLS}: the key is then fetched from that
   * API's {@code /config} (through {@link RemoteDocuments}, cached) when a delivery arrives.
   */
  @Override
  Keys.VerificationKey publicKey(String publicKey) {
    String text = requireSecretText(publicKey, "public key").strip();
    if (CONFIG_URLS.contains(text)) {
      return new ConfigUrlKey(java.net.URI.create(text));
    }
    return Keys.rsaSha1PublicKey("", der(publicKey, "public key"));
  }

  /** A Travis API whose published key an endpoint trusts; it checks no signature itself. */
  static final class ConfigUrlKey extends Keys.VerificationKey {
    final java.net.URI url;

    ConfigUrlKey(java.net.URI url) {
      super("");
      this.url = url;
    }

    @Override
    boolean verify(SignedContent content, List<byte[]> signatures) {
      return false;
    }
  }

  /** The key of {@code config.notifications.webhook.public_key} in Travis's {@code /config} JSON. */
  private static Keys.PublicSignatureKey configKey(byte[] document) throws Exception {
    try (com.fasterxml.jackson.core.JsonParser parser = CONFIG_JSON.createParser(document)) {
      String[] path = {"config", "notifications", "webhook", "public_key"};
      int depth = 0;
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new java.io.IOException("not a JSON object");
      }
      com.fasterxml.jackson.core.JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
          if (parser.currentName().equals(path[depth])) {
            token = parser.nextToken();
            if (depth == path.length - 1) {
              if (token != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                throw new java.io.IOException("public_key is not a string");
              }
              return Keys.rsaSha1PublicKey("", der(parser.getText(), "public key"));
            }
            if (token == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
              depth++;
              continue;
            }
          } else {
            parser.nextToken();
          }
          parser.skipChildren();
        } else if (token == com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
          break; // the object on the path ended without the member
        }
      }
      throw new java.io.IOException("no config.notifications.webhook.public_key");
    }
  }

  @Override
  Keys.SigningKey privateKey(String privateKey) {
    return Keys.rsaSha1PrivateKey("", der(privateKey, "private key"));
  }

  /** Base64 DER, with or without PEM armour; the message names the kind of key, never the key. */
  static byte[] der(String key, String what) {
    String text = requireSecretText(key, what)
        .replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    return PublicKeyEncoding.base64(text, what);
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    byte[] signature = Codec.decodeBase64(requiredHeader(request, SIGNATURE_HEADER));
    byte[] payload = payload(request).getBytes(UTF_8);
    boolean match = false;
    if (signature != null) {
      for (Keys.VerificationKey configured : keys) {
        Keys.VerificationKey key = configured instanceof ConfigUrlKey config
            ? RemoteDocuments.orShared(documents).get(
                RemoteDocuments.pinned(config.url.toString(), CONFIG_HOST, CONFIG_PATH,
                    RejectionReason.MALFORMED_HEADER, "the Travis CI config URL"), CONFIG)
            : configured;
        if (key.verify(sink -> sink.update(payload, 0, payload.length), List.of(signature))) {
          match = true;
          break;
        }
      }
    }
    if (!match) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
          "the " + SIGNATURE_HEADER + " header does not match the payload under a configured key");
    }
    return new VerifiedWebhook(id(), null, null, null);
  }

  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    WebhookRequest form = SortedForm.asFormField(request, FIELD);
    byte[] payload = payload(form).getBytes(UTF_8);
    byte[] signature = key.sign(sink -> sink.update(payload, 0, payload.length));
    return form.toBuilder().setHeader(SIGNATURE_HEADER, Codec.encodeBase64(signature)).build();
  }

  /** The one {@code payload} field of a form body, decoded. */
  private static String payload(WebhookRequest request) {
    if (!SortedForm.isForm(request)) {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "Travis CI posts a form with a payload field");
    }
    // Only the payload is signed: any other field would reach the application unverified.
    List<String[]> fields = SortedForm.parameters(request);
    if (fields.size() != 1 || !fields.get(0)[0].equals(FIELD)) {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "the form must hold exactly one field, payload");
    }
    return fields.get(0)[1];
  }
}
