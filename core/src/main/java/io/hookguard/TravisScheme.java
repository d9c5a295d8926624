package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.List;

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

  TravisScheme() {
    super("travis-ci", null);
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

  @Override
  Keys.VerificationKey publicKey(String publicKey) {
    return Keys.rsaSha1PublicKey("", der(publicKey, "public key"));
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
      for (Keys.VerificationKey key : keys) {
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
