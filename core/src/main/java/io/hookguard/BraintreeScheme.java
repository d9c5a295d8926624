package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hookguard.internal.FormEncoding;
import java.net.URLEncoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Braintree posts a form of two fields: {@code bt_payload}, the notification's XML in base64
 * (with line breaks), and {@code bt_signature}, {@code publicKey|hex} pairs joined by {@code &},
 * each pair a lower-case hex HMAC-SHA1 over the {@code bt_payload} text keyed with the SHA-1 of
 * that public key's private key (braintree-java's {@code WebhookNotificationGateway} and
 * {@code Sha1Hasher}). As the SDKs do, the HMAC over the payload followed by one {@code \n} is
 * accepted too: Braintree's payload ends with a line break that some form decoders strip; the
 * decoded notification is the same either way. Hand-written: a signature in a form field keyed
 * by a derived key is not a template.
 *
 * <p>The private key also answers the {@code bt_challenge} handshake (HMAC-SHA1 over a hex
 * challenge, same key), which makes that handshake an oracle for signatures over short hex
 * strings: a hex string is valid base64, so a verified payload must also decode to XML (its first
 * byte {@code <}), which no hex challenge does.
 */
final class BraintreeScheme extends WebhookScheme {
  static final String PAYLOAD = "bt_payload";
  static final String SIGNATURE = "bt_signature";
  /** What the SDKs accept in a payload: base64 and line breaks only. */
  private static final Pattern PAYLOAD_TEXT = Pattern.compile("[A-Za-z0-9+/=\n]+");
  private static final Pattern PUBLIC_KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern KIND = Pattern.compile("<kind>([a-z_]{1,64})</kind>");

  BraintreeScheme() {
    super("braintree", null);
  }

  @Override
  public boolean hasTimestamp() {
    return false;
  }

  /** Notifications carry no id of their own (only a kind, a timestamp and a subject). */
  @Override
  public boolean signsEventId() {
    return false;
  }

  @Override
  public Optional<Handshake> handshake() {
    return Optional.of(Handshake.BRAINTREE_CHALLENGE);
  }

  /**
   * The signed payload without a final line break: a re-encoded form, or the payload with its
   * line break stripped (which the {@code \n} variant still verifies), is the same delivery.
   */
  @Override
  public byte[] replayContent(WebhookRequest request) {
    try {
      String payload = fields(request)[0];
      return (payload.endsWith("\n") ? payload.substring(0, payload.length() - 1) : payload).getBytes(UTF_8);
    } catch (Reject reject) {
      return request.body();
    }
  }

  @Override
  Keys.VerificationKey secretKey(String secret) {
    return KeyPair.parse(secret);
  }

  @Override
  Keys.SigningKey signingSecret(String secret) {
    return KeyPair.parse(secret);
  }

  @Override
  VerificationResult doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    String[] fields = fields(request);
    String payload = fields[0];
    List<String[]> pairs = signaturePairs(fields[1]);
    byte[] exact = payload.getBytes(UTF_8);
    byte[] withNewline = (payload + "\n").getBytes(UTF_8);
    boolean match = false;
    boolean keyNamed = false;
    for (Keys.VerificationKey key : keys) {
      KeyPair pair = (KeyPair) key;
      List<byte[]> candidates = new ArrayList<>(1);
      for (String[] signature : pairs) {
        if (signature[0].equals(pair.publicKey)) {
          keyNamed = true;
          byte[] decoded = Codec.decodeHex(signature[1]);
          if (decoded != null) {
            candidates.add(decoded);
          }
        }
      }
      if (!candidates.isEmpty()) {
        match |= pair.verify(sink -> sink.update(exact, 0, exact.length), candidates)
            | pair.verify(sink -> sink.update(withNewline, 0, withNewline.length), candidates);
      }
    }
    if (!match) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, keyNamed
          ? "bt_signature does not match bt_payload under the configured key"
          : "bt_signature has no signature for a configured public key");
    }
    // After the signature: a payload that is not base64 of XML (a hex challenge answered by the
    // bt_challenge handshake is valid base64) never reaches the application.
    byte[] xml;
    try {
      xml = Base64.getMimeDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      xml = new byte[0];
    }
    if (xml.length == 0 || xml[0] != '<') {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "bt_payload is not base64 of an XML notification");
    }
    byte[] notification = xml;
    return new VerifiedWebhook(id(), null, () -> new @Nullable String[] {null, kind(notification)});
  }

  /** The notification's kind: the first {@code kind} element, which precedes its subject. */
  private static @Nullable String kind(byte[] xml) {
    java.util.regex.Matcher matcher = KIND.matcher(new String(xml, UTF_8));
    return matcher.find() ? matcher.group(1) : null;
  }

  /** Posts the body (a notification's XML, unless it is a Braintree form already) as Braintree does. */
  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    String payload;
    if (SortedForm.isForm(request)) {
      payload = fields(request)[0];
    } else {
      byte[] body = request.body();
      // A notification as is; any other body (a test's JSON) is the subject of a "check" notification.
      byte[] xml = body.length > 0 && body[0] == '<' ? body
          : ("<notification><kind>check</kind><subject><![CDATA[" + new String(body, UTF_8) + "]]></subject>"
              + "</notification>").getBytes(UTF_8);
      // Ruby's Base64.encode64, as Braintree's servers write it: 60-character lines, each ending in \n.
      payload = Base64.getMimeEncoder(60, "\n".getBytes(UTF_8)).encodeToString(xml) + "\n";
    }
    byte[] signed = payload.getBytes(UTF_8);
    String signature = ((KeyPair) key).publicKey + "|"
        + Codec.encodeHex(key.sign(sink -> sink.update(signed, 0, signed.length)));
    // The payload first: a tampering helper that flips the body's last letter then changes the
    // signature, not a %0A escape into a malformed one.
    String body = PAYLOAD + "=" + URLEncoder.encode(payload, UTF_8) + "&" + SIGNATURE + "="
        + URLEncoder.encode(signature, UTF_8);
    return request.toBuilder().setHeader("Content-Type", FormEncoding.MEDIA_TYPE).body(body.getBytes(UTF_8)).build();
  }

  /** {@code [bt_payload, bt_signature]}, each exactly once, and no other field (it would be unsigned). */
  private static String[] fields(WebhookRequest request) {
    if (!SortedForm.isForm(request)) {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "Braintree posts a form with bt_signature and bt_payload");
    }
    String payload = null;
    String signature = null;
    for (String[] field : SortedForm.parameters(request)) {
      if (field[0].equals(PAYLOAD) && payload == null) {
        payload = field[1];
      } else if (field[0].equals(SIGNATURE) && signature == null) {
        signature = field[1];
      } else {
        throw new Reject(RejectionReason.UNREADABLE_BODY,
            "the form must hold bt_signature and bt_payload once each, and nothing else");
      }
    }
    if (signature == null) {
      throw new Reject(RejectionReason.MISSING_HEADER, "the bt_signature field is missing");
    }
    if (payload == null || !PAYLOAD_TEXT.matcher(payload).matches()) {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "bt_payload is missing or not base64 text");
    }
    if (signature.length() > MAX_HEADER_LENGTH) {
      throw new Reject(RejectionReason.MALFORMED_HEADER, "bt_signature is longer than " + MAX_HEADER_LENGTH);
    }
    return new String[] {payload, signature};
  }

  /** The {@code publicKey|hex} pairs; a pair without exactly one {@code |} is malformed. */
  private static List<String[]> signaturePairs(String signature) {
    List<String[]> pairs = new ArrayList<>(2);
    for (String pair : signature.split("&", -1)) {
      int bar = pair.indexOf('|');
      if (bar <= 0 || bar != pair.lastIndexOf('|') || bar == pair.length() - 1) {
        throw new Reject(RejectionReason.MALFORMED_HEADER, "bt_signature is not publicKey|signature pairs");
      }
      pairs.add(new String[] {pair.substring(0, bar), pair.substring(bar + 1)});
    }
    return pairs;
  }

  /**
   * A Braintree API key pair, configured as {@code publicKey:privateKey}: the public key names the
   * signature, the SHA-1 of the private key keys the HMAC.
   */
  static final class KeyPair extends Keys.VerificationKey implements Keys.SigningKey {
    final String publicKey;
    private final Keys.HmacKey hmac;

    private KeyPair(String publicKey, Keys.HmacKey hmac) {
      super("");
      this.publicKey = publicKey;
      this.hmac = hmac;
    }

    static KeyPair parse(String secret) {
      String text = requireSecretText(secret, "Braintree key pair").strip();
      int colon = text.indexOf(':');
      if (colon <= 0 || colon == text.length() - 1 || !PUBLIC_KEY.matcher(text.substring(0, colon)).matches()) {
        throw new IllegalArgumentException("a Braintree key is configured as publicKey:privateKey");
      }
      return new KeyPair(text.substring(0, colon), new Keys.HmacKey("", HmacAlgorithm.SHA1,
          sha1(text.substring(colon + 1).getBytes(UTF_8))));
    }

    /** {@code publicKey|hex HMAC} over the challenge, what braintree-java's {@code verify} answers. */
    String challengeAnswer(String challenge) {
      byte[] bytes = challenge.getBytes(UTF_8);
      return publicKey + "|" + Codec.encodeHex(hmac.sign(sink -> sink.update(bytes, 0, bytes.length)));
    }

    @Override
    boolean verify(SignedContent content, List<byte[]> signatures) {
      return hmac.verify(content, signatures);
    }

    @Override
    public String version() {
      return "";
    }

    @Override
    public byte[] sign(SignedContent content) {
      return hmac.sign(content);
    }

    private static byte[] sha1(byte[] bytes) {
      try {
        return MessageDigest.getInstance("SHA-1").digest(bytes);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-1", e);
      }
    }
  }
}
