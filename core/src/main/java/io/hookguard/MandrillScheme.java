package io.hookguard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Mailchimp Transactional (Mandrill) signs the webhook URL exactly as configured, followed by
 * each POST field sorted by name as {@code name + value}: base64 HMAC-SHA1 with the webhook's key
 * in {@code X-Mandrill-Signature}. Its deliveries are always forms ({@code mandrill_events=[…]}),
 * so a body that is not one is refused rather than verified over the URL alone. Like Twilio, the
 * URL is also tried with the default port added or removed.
 */
final class MandrillScheme extends HmacKeyedScheme {
  static final String SIGNATURE_HEADER = "X-Mandrill-Signature";

  MandrillScheme() {
    super("mandrill", null, HmacAlgorithm.SHA1, "webhook key");
  }

  /** A body is a batch of events, each with its own {@code _id}: no single, signed event id. */
  @Override
  public boolean signsEventId() {
    return false;
  }

  /** Mandrill checks a new or changed webhook URL with an unsigned {@code HEAD}. */
  @Override
  public Optional<Handshake> handshake() {
    return Optional.of(Handshake.MANDRILL_HEAD);
  }

  @Override
  public boolean signsUrl() {
    return true;
  }

  /** The sorted, decoded fields it signs, so that a re-encoded replay is the same delivery. */
  @Override
  public byte[] replayContent(WebhookRequest request) {
    return SortedForm.replayContent(request);
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    requireUrl(request, id());
    String signature = requiredHeader(request, SIGNATURE_HEADER);
    List<String[]> fields = formFields(request);
    SortedForm.checkAnyUrlVariant(signature, SIGNATURE_HEADER, keys, request.url(), fields);
    return new VerifiedWebhook(id(), null, null, null);
  }

  /**
   * Signs a form as it is; any other body is first posted the way Mandrill posts it, as the
   * {@code mandrill_events} field of a form (for tests that start from a JSON batch).
   */
  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    requireUrl(request, id());
    WebhookRequest form = SortedForm.asFormField(request, "mandrill_events");
    byte[] signature = key.sign(SortedForm.content(form.url(), formFields(form)));
    return form.toBuilder().setHeader(SIGNATURE_HEADER, Codec.encodeBase64(signature)).build();
  }

  private static List<String[]> formFields(WebhookRequest request) {
    if (!SortedForm.isForm(request)) {
      throw new Reject(RejectionReason.UNREADABLE_BODY,
          "Mandrill posts application/x-www-form-urlencoded fields (mandrill_events=…)");
    }
    List<String[]> fields = SortedForm.parameters(request);
    if (fields.isEmpty()) {
      throw new Reject(RejectionReason.UNREADABLE_BODY, "the form body has no fields");
    }
    return fields;
  }
}
