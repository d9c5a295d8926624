package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.List;

/**
 * A shared token sent as a header and compared whole, with no signature over the body
 * (GitLab's classic {@code X-Gitlab-Token}). It proves who sent the request, not what was sent.
 */
final class TokenScheme extends WebhookScheme {
  private final String header;
  private final EventFields fields;

  TokenScheme(String id, String header, List<FieldSource> eventId, List<FieldSource> eventType) {
    super(id, null);
    this.header = header;
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
    return new Keys.TokenKey(requireSecretText(secret, "token"));
  }

  @Override
  Keys.SigningKey signingSecret(String secret) {
    String token = requireSecretText(secret, "token");
    return new Keys.SigningKey() {
      @Override
      public String version() {
        return "";
      }

      @Override
      public byte[] sign(SignedContent content) {
        return token.getBytes(UTF_8);
      }

      @Override
      public String toString() {
        return "TokenSigningKey[****]";
      }
    };
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    byte[] received = requiredHeader(request, header).getBytes(UTF_8);
    boolean match = false;
    for (Keys.VerificationKey key : keys) {
      match |= key.verify(sink -> { }, List.of(received));
    }
    if (!match) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, header + " matches no configured token");
    }
    EventFields.Values values = fields.read(request);
    return new VerifiedWebhook(id(), values.id(), null, values.type());
  }

  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    return request.toBuilder().setHeader(header, new String(key.sign(sink -> { }), UTF_8)).build();
  }
}
