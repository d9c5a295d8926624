package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Mailgun puts the signature inside the JSON body: {@code signature.timestamp},
 * {@code signature.token} and {@code signature.signature}, the hex HMAC-SHA256 of
 * {@code timestamp + token}. This is the one scheme that must read the body before verifying.
 */
final class MailgunScheme extends HmacKeyedScheme {
  private static final JsonFields FIELDS = new JsonFields(List.of(
      "signature.timestamp", "signature.token", "signature.signature",
      "event-data.id", "event-data.event"));
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Where {@link #doVerify} finds id and type, for the signer; read there with the signature. */
  private static final EventFields EVENT_FIELDS = new EventFields(
      List.of(FieldSource.json("event-data.id")), List.of(FieldSource.json("event-data.event")), null);

  /** The signature object's fields, new on every attempt: cut from the fingerprint. */
  private static final JsonFields SIGNATURE = new JsonFields(List.of(
      "signature.timestamp", "signature.token", "signature.signature"));

  MailgunScheme() {
    super("mailgun", Duration.ofMinutes(5), HmacAlgorithm.SHA256, "signing key");
  }

  /** Mailgun signs its timestamp and token, not the body that carries {@code event-data.id}. */
  @Override
  public boolean signsEventId() {
    return false;
  }

  /** Each attempt is signed anew (timestamp, token, signature): the event is what remains. */
  @Override
  public byte[] fingerprintContent(WebhookRequest request) {
    return SIGNATURE.without(request.body());
  }

  /**
   * What Mailgun signed, its timestamp and token, and not the body, which it does not sign: a
   * captured signature reused with another event (under a fresh id, within the window) is then a
   * replay of the token, which Mailgun advises receivers to refuse. Its own retries carry new tokens.
   */
  @Override
  public byte[] replayContent(WebhookRequest request) {
    @Nullable String[] values = FIELDS.read(request.body());
    if (values[0] == null || values[1] == null) {
      return request.body(); // not a delivery this scheme verified
    }
    return (values[0] + values[1]).getBytes(UTF_8);
  }

  @Override
  EventFields eventFields() {
    return EVENT_FIELDS;
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    @Nullable String[] values = FIELDS.read(request.body());
    String timestampText = values[0];
    String token = values[1];
    String signature = values[2];
    if (timestampText == null || token == null || signature == null) {
      throw new Reject(RejectionReason.UNREADABLE_BODY,
          "the body has no signature object with timestamp, token and signature");
    }
    Instant timestamp = parseTimestamp(TimestampFormat.UNIX_SECONDS, timestampText, "signature.timestamp");
    DeclarativeScheme.checkSignatures(List.of(new SignatureFormat.Candidate("", signature)),
        SignatureEncoding.HEX, keys, content(timestampText, token), "signature.signature");
    window.check(timestamp);
    return new VerifiedWebhook(id(), values[3], timestamp, values[4]);
  }

  private static SignedContent content(String timestamp, String token) {
    return sink -> {
      sink.update(timestamp);
      sink.update(token);
    };
  }

  /** Wraps the request body as {@code event-data} in a signed Mailgun envelope. */
  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    String timestamp = TimestampFormat.UNIX_SECONDS.format(now);
    byte[] tokenBytes = new byte[25];
    RANDOM.nextBytes(tokenBytes);
    String token = Codec.encodeHex(tokenBytes);
    String signature = Codec.encodeHex(key.sign(content(timestamp, token)));
    ByteArrayOutputStream body = new ByteArrayOutputStream(request.body().length + 200);
    body.writeBytes(("{\"signature\":{\"timestamp\":\"" + timestamp + "\",\"token\":\"" + token
        + "\",\"signature\":\"" + signature + "\"},\"event-data\":").getBytes(UTF_8));
    body.writeBytes(request.body().length == 0 ? "{}".getBytes(UTF_8) : request.body());
    body.write('}');
    return request.toBuilder().body(body.toByteArray()).build();
  }
}
