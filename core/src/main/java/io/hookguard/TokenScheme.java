package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A shared credential sent in a header and compared whole, with no signature over the body:
 * GitLab's classic {@code X-Gitlab-Token}, Telegram's secret token, a bearer token, or HTTP basic
 * authentication ({@link SchemeBuilder#sharedToken()}, {@link SchemeBuilder#basicAuth()}). It
 * proves who sent the request, not what was sent.
 *
 * <p>Every configured credential is compared with what was received, through SHA-256 digests
 * with {@code MessageDigest.isEqual}, so neither the length nor the position of a mismatch shows
 * in the time taken, and several credentials can be active during a rotation.
 */
final class TokenScheme extends WebhookScheme {
  /** What the header value holds after its prefix. */
  enum Form {
    /** The token itself. */
    TOKEN,
    /** RFC 7617: {@code Basic base64(user-id ":" password)}; the credential is {@code user:password}. */
    BASIC
  }

  private static final String BASIC_PREFIX = "Basic ";

  private final String header;
  private final String prefix;
  private final Form form;
  private final EventFields fields;

  TokenScheme(String id, String header, List<FieldSource> eventId, List<FieldSource> eventType) {
    this(id, header, "", Form.TOKEN, eventId, eventType);
  }

  TokenScheme(String id, String header, String prefix, Form form, List<FieldSource> eventId,
      List<FieldSource> eventType) {
    super(id, null);
    this.header = header;
    this.prefix = form == Form.BASIC ? BASIC_PREFIX : prefix;
    this.form = form;
    this.fields = new EventFields(eventId, eventType, null);
  }

  @Override
  EventFields eventFields() {
    return fields;
  }

  @Override
  public boolean hasTimestamp() {
    return false;
  }

  /** A token proves the sender, not the content: nothing, the id included, is signed. */
  @Override
  public boolean signsEventId() {
    return false;
  }

  @Override
  Keys.VerificationKey secretKey(String secret) {
    return new Keys.TokenKey(credential(secret));
  }

  @Override
  Keys.SigningKey signingSecret(String secret) {
    String credential = credential(secret);
    String value = prefix + (form == Form.BASIC
        ? Base64.getEncoder().encodeToString(credential.getBytes(UTF_8)) : credential);
    return new Keys.SigningKey() {
      @Override
      public String version() {
        return "";
      }

      @Override
      public byte[] sign(SignedContent content) {
        return value.getBytes(UTF_8);
      }

      @Override
      public String toString() {
        return "TokenSigningKey[****]";
      }
    };
  }

  private String credential(String secret) {
    String credential = requireSecretText(secret, form == Form.BASIC ? "credentials" : "token");
    if (form == Form.BASIC && credential.indexOf(':') <= 0) {
      // The message names the form, never the text: it may be a password.
      throw new IllegalArgumentException(id() + " credentials must be user:password, with a non-empty user");
    }
    return credential;
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    String value = requiredHeader(request, header);
    // Auth-scheme names are case-insensitive (RFC 9110 section 11.1); other prefixes are literal.
    boolean prefixed = form == Form.BASIC
        ? value.regionMatches(true, 0, prefix, 0, prefix.length())
        : value.startsWith(prefix);
    if (!prefixed) {
      throw new Reject(RejectionReason.MALFORMED_HEADER, header + " does not start with " + prefix);
    }
    byte[] received;
    if (form == Form.BASIC) {
      received = Codec.decodeBase64(value, prefix.length(), value.length());
      if (received == null) {
        throw new Reject(RejectionReason.MALFORMED_HEADER, header + " is not Basic with canonical base64");
      }
    } else {
      received = value.substring(prefix.length()).getBytes(UTF_8);
    }
    boolean match = false;
    for (Keys.VerificationKey key : keys) {
      match |= key.verify(sink -> { }, List.of(received));
    }
    if (!match) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, header + " matches no configured "
          + (form == Form.BASIC ? "credentials" : "token"));
    }
    EventFields.Values values = fields.read(request);
    return new VerifiedWebhook(id(), values.id(), null, values.type());
  }

  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    return request.toBuilder().setHeader(header, new String(key.sign(sink -> { }), UTF_8)).build();
  }
}
