package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hookguard.internal.FormEncoding;
import io.hookguard.internal.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shape checks and answers of the built-in {@link Handshake}s. Unsigned shapes are matched
 * exactly: anything that does not match is left to verification (null), never answered.
 */
final class Handshakes {
  /** Meta's challenge is a number in practice; unreserved URL characters, bounded, are all we echo. */
  private static final Pattern META_CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{1,256}");
  /** What braintree-java's {@code verify} accepts (it refuses anything else). */
  private static final Pattern BRAINTREE_CHALLENGE = Pattern.compile("[a-f0-9]{20,32}");
  private static final Pattern WOOCOMMERCE_PING = Pattern.compile("webhook_id=[1-9][0-9]{0,18}");
  private static final int MAX_TOKEN_LENGTH = 256;
  private static final JsonFactory JSON = new JsonFactory();
  private static final JsonFields SLACK_FIELDS = new JsonFields(List.of("type", "challenge"));
  private static final JsonFields ZOOM_FIELDS = new JsonFields(List.of("event", "payload.plainToken"));
  private static final byte[] SLACK_MARKER = "url_verification".getBytes(UTF_8);
  private static final byte[] ZOOM_MARKER = "endpoint.url_validation".getBytes(UTF_8);

  private Handshakes() {}

  /**
   * The answer to an unsigned handshake of exactly its shape, or null: not a handshake.
   *
   * @param verifyTokens SHA-256 digests of the configured verify tokens (Meta)
   */
  static @Nullable HandshakeReply unsigned(Handshake handshake, WebhookRequest request,
      List<Keys.VerificationKey> keys, List<byte[]> verifyTokens) {
    if (handshake.signed() || !handshake.method().equals(request.method())) {
      return null;
    }
    return switch (handshake) {
      case META_SUBSCRIBE -> meta(request, verifyTokens);
      case MANDRILL_HEAD -> request.body().length == 0 ? HandshakeReply.empty(handshake) : null;
      case WOOCOMMERCE_PING -> wooCommercePing(request);
      case BRAINTREE_CHALLENGE -> braintree(request, keys);
      default -> null;
    };
  }

  /** The answer to a signed handshake in a verified request, or null: an ordinary delivery. */
  static @Nullable HandshakeReply signed(Handshake handshake, WebhookRequest request, Keys.VerificationKey key) {
    return switch (handshake) {
      case SLACK_URL_VERIFICATION -> slack(request);
      case ZOOM_URL_VALIDATION -> zoom(request, key);
      default -> null;
    };
  }

  /** Whether a verified body may hold the signed handshake at all: a scan, not a parse, per delivery. */
  static boolean mayHold(Handshake handshake, byte[] body) {
    return switch (handshake) {
      case SLACK_URL_VERIFICATION -> contains(body, SLACK_MARKER);
      case ZOOM_URL_VALIDATION -> contains(body, ZOOM_MARKER);
      default -> false;
    };
  }

  private static @Nullable HandshakeReply meta(WebhookRequest request, List<byte[]> verifyTokens) {
    if (request.body().length != 0) {
      return null;
    }
    List<Map.Entry<String, String>> pairs = query(request, 3);
    if (pairs == null || pairs.size() != 3) {
      return null;
    }
    String mode = null;
    String token = null;
    String challenge = null;
    for (Map.Entry<String, String> pair : pairs) {
      switch (pair.getKey()) {
        case "hub.mode" -> mode = mode == null ? pair.getValue() : "";
        case "hub.verify_token" -> token = token == null ? pair.getValue() : "";
        case "hub.challenge" -> challenge = challenge == null ? pair.getValue() : "";
        default -> {
          return null;
        }
      }
    }
    if (!"subscribe".equals(mode) || token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH
        || challenge == null || !META_CHALLENGE.matcher(challenge).matches()) {
      return null;
    }
    if (verifyTokens.isEmpty()) {
      return HandshakeReply.refused(Handshake.META_SUBSCRIBE, RejectionReason.HANDSHAKE_REFUSED,
          "this endpoint has no verify token configured, so it answers no subscription verification");
    }
    byte[] received = Sha256.digest(token.getBytes(UTF_8));
    boolean match = false;
    for (byte[] expected : verifyTokens) {
      match |= MessageDigest.isEqual(expected, received); // every token compared: no early exit
    }
    if (!match) {
      return HandshakeReply.refused(Handshake.META_SUBSCRIBE, RejectionReason.HANDSHAKE_REFUSED,
          "hub.verify_token does not match the endpoint's verify token");
    }
    return HandshakeReply.answer(Handshake.META_SUBSCRIBE, "text/plain;charset=UTF-8", challenge.getBytes(UTF_8));
  }

  private static @Nullable HandshakeReply wooCommercePing(WebhookRequest request) {
    if (!request.headers().all("X-WC-Webhook-Signature").isEmpty()) {
      return null;
    }
    List<String> types = request.headers().all("Content-Type");
    if (types.size() > 1 || (types.size() == 1 && !FormEncoding.isForm(types.get(0)))) {
      return null;
    }
    byte[] body = request.body();
    if (body.length > 30 || !WOOCOMMERCE_PING.matcher(new String(body, UTF_8)).matches()) {
      return null;
    }
    return HandshakeReply.empty(Handshake.WOOCOMMERCE_PING);
  }

  private static @Nullable HandshakeReply braintree(WebhookRequest request, List<Keys.VerificationKey> keys) {
    if (request.body().length != 0) {
      return null;
    }
    List<Map.Entry<String, String>> pairs = query(request, 1);
    if (pairs == null || pairs.size() != 1 || !pairs.get(0).getKey().equals("bt_challenge")
        || !BRAINTREE_CHALLENGE.matcher(pairs.get(0).getValue()).matches()) {
      return null;
    }
    for (Keys.VerificationKey key : keys) {
      if (key instanceof BraintreeScheme.KeyPair pair) {
        return HandshakeReply.answer(Handshake.BRAINTREE_CHALLENGE, "text/plain;charset=UTF-8",
            pair.challengeAnswer(pairs.get(0).getValue()).getBytes(UTF_8));
      }
    }
    return null;
  }

  private static @Nullable HandshakeReply slack(WebhookRequest request) {
    @Nullable String[] fields = SLACK_FIELDS.read(request.body());
    if (!"url_verification".equals(fields[0])) {
      return null;
    }
    if (fields[1] == null || fields[1].isEmpty() || fields[1].length() > MAX_TOKEN_LENGTH) {
      return HandshakeReply.refused(Handshake.SLACK_URL_VERIFICATION, RejectionReason.UNREADABLE_BODY,
          "a url_verification request carries a challenge of 1 to " + MAX_TOKEN_LENGTH + " characters");
    }
    return HandshakeReply.answer(Handshake.SLACK_URL_VERIFICATION, "application/json",
        json("challenge", fields[1], null, null));
  }

  private static @Nullable HandshakeReply zoom(WebhookRequest request, Keys.VerificationKey key) {
    @Nullable String[] fields = ZOOM_FIELDS.read(request.body());
    if (!"endpoint.url_validation".equals(fields[0])) {
      return null;
    }
    String plainToken = fields[1];
    if (plainToken == null || plainToken.isEmpty() || plainToken.length() > MAX_TOKEN_LENGTH
        || !(key instanceof Keys.HmacKey hmac)) {
      return HandshakeReply.refused(Handshake.ZOOM_URL_VALIDATION, RejectionReason.UNREADABLE_BODY,
          "an endpoint.url_validation request carries a payload.plainToken of 1 to " + MAX_TOKEN_LENGTH
              + " characters");
    }
    byte[] token = plainToken.getBytes(UTF_8);
    String encrypted = Codec.encodeHex(hmac.sign(sink -> sink.update(token, 0, token.length)));
    return HandshakeReply.answer(Handshake.ZOOM_URL_VALIDATION, "application/json",
        json("plainToken", plainToken, "encryptedToken", encrypted));
  }

  /** The decoded pairs of the request URL's query, at most {@code max}; null when there is none or it is malformed. */
  private static @Nullable List<Map.Entry<String, String>> query(WebhookRequest request, int max) {
    String url = request.url();
    int question = url.indexOf('?');
    if (question < 0 || url.indexOf('#') >= 0) {
      return null;
    }
    try {
      return FormEncoding.decode(url.substring(question + 1), UTF_8, max);
    } catch (IllegalArgumentException e) { // too many pairs, or a malformed escape: not a handshake
      return null;
    }
  }

  private static byte[] json(String name, String value, @Nullable String name2, @Nullable String value2) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField(name, value);
      if (name2 != null && value2 != null) {
        generator.writeStringField(name2, value2);
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static boolean contains(byte[] body, byte[] marker) {
    outer:
    for (int i = 0, last = body.length - marker.length; i <= last; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (body[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
