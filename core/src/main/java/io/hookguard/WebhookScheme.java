package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How one sender signs its webhooks: where the signature and timestamp live, what is signed, with
 * which algorithm and key encoding, and where the event id is. Built-in schemes are in
 * {@link Providers}; {@link #builder(String)} describes others, with the same
 * {@link SchemeBuilder} the built-ins are written with.
 *
 * <p>Schemes are immutable and thread-safe. Only Hookguard implements them.
 */
public abstract class WebhookScheme {
  /** Header values longer than this are rejected before parsing (no real signature header is). */
  static final int MAX_HEADER_LENGTH = 8 * 1024;

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private final String id;
  private final @Nullable Duration defaultTolerance;

  WebhookScheme(String id, @Nullable Duration defaultTolerance) {
    this.id = checkId(id);
    this.defaultTolerance = defaultTolerance;
  }

  /**
   * The scheme's stable id, for example {@code stripe}, used in configuration, metrics and
   * rejection answers.
   *
   * @return the id
   */
  public final String id() {
    return id;
  }

  /**
   * Whether deliveries carry a signed timestamp this scheme checks against a window.
   *
   * @return {@code true} when a timestamp window applies
   */
  public abstract boolean hasTimestamp();

  /**
   * The window applied on each side of now when none is configured: the sender's documented
   * tolerance, or five minutes where it documents none.
   *
   * @return the default tolerance, empty for schemes without timestamps
   */
  public final Optional<Duration> defaultTolerance() {
    return Optional.ofNullable(defaultTolerance);
  }

  /**
   * Whether the event id this scheme reports is covered by the signature: a signed header (such
   * as Standard Webhooks' {@code webhook-id}) or a field of a signed body. When it is not, a
   * captured delivery can be replayed under a fresh id, so deduplication also keys on the body
   * (see {@code DedupEngine}).
   *
   * @return {@code true} when the event id is signed; {@code false} when it is not or the scheme has none
   */
  public abstract boolean signsEventId();

  /**
   * Whether the signature covers the request URL, query string included (Twilio, Square,
   * HubSpot). Only then may query parameters be handed to the application as verified input.
   *
   * @return {@code true} when the URL is signed
   */
  public boolean signsUrl() {
    return false;
  }

  /**
   * The bytes that identify what a verified delivery signed, for telling a replay from a new
   * delivery: the body, for schemes that sign it as received. A scheme that signs something
   * derived from the body (Twilio signs the decoded, sorted form parameters) returns that, so a
   * re-encoded replay (reordered parameters, other percent-escapes) is recognised as the same.
   *
   * @param request a request this scheme verified
   * @return the bytes; the body itself where nothing else is signed
   */
  public byte[] replayContent(WebhookRequest request) {
    return request.body();
  }

  /**
   * The bytes whose SHA-256 is a verified delivery's fingerprint, which tells the sender's retry of
   * an event from other content under the same event id (dedup and the inbox answer the latter 422
   * {@code fingerprint-mismatch}): the body, for senders that resend it byte for byte. A sender that
   * re-stamps each attempt with its time of sending inside the body (Linear's
   * {@code webhookTimestamp}, Mailgun's {@code signature} object, or any scheme built with
   * {@link SchemeBuilder#timestampJsonField}), or counts the attempts there (Pub/Sub's
   * {@code deliveryAttempt}, {@link JwtSchemeBuilder#perAttemptJsonField}), gets the body with
   * that value cut out, so that its retry is still a retry.
   *
   * @param request a request this scheme verified
   * @return the bytes; the body itself where the sender resends it unchanged
   */
  public byte[] fingerprintContent(WebhookRequest request) {
    return request.body();
  }

  /**
   * How this scheme's sender proves an endpoint before delivering to it, answered by Hookguard
   * ({@link WebhookVerifier#answerHandshake} for unsigned handshakes, {@link VerifiedWebhook#handshake()}
   * for signed ones) and never by the application.
   *
   * @return the handshake, empty for senders without one
   */
  public Optional<Handshake> handshake() {
    return Optional.empty();
  }

  /**
   * Whether keys for this scheme are public keys (asymmetric signatures) rather than shared secrets.
   *
   * @return {@code true} for schemes verified with a public key only
   */
  public boolean usesPublicKeys() {
    return false;
  }

  /**
   * Starts describing a scheme for a sender Hookguard does not ship: HMAC, Ed25519 or ECDSA
   * signatures in headers (see {@link SchemeBuilder}).
   *
   * @param id the scheme's id: lower-case letters, digits, '.', '_' or '-'
   * @return a new builder
   * @throws IllegalArgumentException when the id is not of that form
   */
  public static SchemeBuilder builder(String id) {
    return new SchemeBuilder(id);
  }

  /**
   * The same as {@link #builder(String)}, which describes an HMAC scheme unless told otherwise;
   * it reads as what it is for an HMAC sender.
   *
   * @param id the scheme's id: lower-case letters, digits, '.', '_' or '-'
   * @return a new builder
   * @throws IllegalArgumentException when the id is not of that form
   */
  public static SchemeBuilder hmac(String id) {
    return builder(id);
  }

  /**
   * Starts describing a sender that authenticates deliveries with a signed JWT in a header (see
   * {@link JwtSchemeBuilder}).
   *
   * @param id the scheme's id: lower-case letters, digits, '.', '_' or '-'
   * @return a new builder
   * @throws IllegalArgumentException when the id is not of that form
   */
  public static JwtSchemeBuilder jwt(String id) {
    return new JwtSchemeBuilder(id);
  }

  @Override
  public final String toString() {
    return id;
  }

  // ---- Implementation, package-private ----

  /**
   * The future side of the window when the verifier sets none, where it differs from the past
   * side (a JWT's clock-skew leeway); null for the {@linkplain #defaultTolerance() tolerance}.
   */
  @Nullable Duration defaultLeeway() {
    return null;
  }

  /** Parses a configured shared secret in this sender's documented encoding. */
  Keys.VerificationKey secretKey(String secret) {
    throw new IllegalArgumentException(id + " deliveries are verified with a public key, not a secret");
  }

  /** Parses a configured public key in this sender's documented encoding. */
  Keys.VerificationKey publicKey(String publicKey) {
    throw new IllegalArgumentException(id + " deliveries are verified with a secret, not a public key");
  }

  /**
   * Whether this scheme fetches the certificate or key it verifies with (AWS SNS, PayPal) through
   * {@link RemoteDocuments} — cached, from hosts it pins — rather than being configured with it;
   * {@link WebhookVerifier.Builder#remoteDocuments} applies only to such schemes.
   *
   * @return {@code true} for schemes that fetch
   */
  public boolean fetchesDocuments() {
    return false;
  }

  /**
   * This scheme, fetching through {@code documents} instead of {@link RemoteDocuments#shared()};
   * only for schemes that {@linkplain #fetchesDocuments() fetch}. The copy has the same id and
   * behaviour.
   */
  WebhookScheme withDocuments(RemoteDocuments documents) {
    throw new IllegalStateException(id + " fetches no certificates or keys: remoteDocuments does not apply");
  }

  /** Parses a secret for signing. */
  Keys.SigningKey signingSecret(String secret) {
    throw new IllegalArgumentException(id + " deliveries are signed with a private key, not a secret");
  }

  /** Parses a private key for signing. */
  Keys.SigningKey privateKey(String privateKey) {
    throw new IllegalArgumentException(id + " deliveries are signed with a secret, not a private key");
  }

  final VerificationResult verify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    try {
      return doVerify(request, keys, window);
    } catch (Reject reject) {
      return reject.toRejection(id);
    }
  }

  /** Verifies; bad input deep in parsing may throw {@link Reject} instead of returning a rejection. */
  abstract VerificationResult doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window);

  /**
   * Where this scheme reads a delivery's event id and type, for the signer to fill them in the way
   * the sender does; none for schemes that carry neither.
   */
  EventFields eventFields() {
    return EventFields.NONE;
  }

  /**
   * The header of the message id this scheme signs and takes as the event id (Standard Webhooks'
   * {@code webhook-id}), for the signer to set an explicit id in; null for schemes without one.
   */
  @Nullable String signedIdHeader() {
    return null;
  }

  /** A fresh event id of the form this sender uses, for the signer to fill in. */
  String newEventId() {
    return UUID.randomUUID().toString();
  }

  /** Returns the request with the scheme's signature headers set (replaced if present). */
  abstract WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now);

  // ---- Helpers shared by the schemes ----

  static String checkId(String id) {
    if (!ID.matcher(requireNonNull(id, "id")).matches()) {
      throw new IllegalArgumentException(
          "scheme id must be 1-63 lower-case letters, digits, '.', '_' or '-': " + id);
    }
    return id;
  }

  /** The one value of a required header. */
  static String requiredHeader(WebhookRequest request, String name) {
    String value = optionalHeader(request, name);
    if (value == null) {
      throw new Reject(RejectionReason.MISSING_HEADER, name + " header is missing");
    }
    return value;
  }

  /** The one value of a header, or null; repeated or oversized headers are malformed. */
  static @Nullable String optionalHeader(WebhookRequest request, String name) {
    List<String> values = request.headers().all(name);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new Reject(RejectionReason.MALFORMED_HEADER, name + " header is repeated");
    }
    String value = values.get(0);
    if (value.length() > MAX_HEADER_LENGTH) {
      throw new Reject(RejectionReason.MALFORMED_HEADER,
          name + " header is longer than " + MAX_HEADER_LENGTH + " characters");
    }
    return value.strip();
  }

  static Instant parseTimestamp(TimestampFormat format, String text, String where) {
    Instant instant = format.parse(text);
    if (instant == null) {
      throw malformedTimestamp(format, where);
    }
    return instant;
  }

  /** The rejection for a timestamp that does not parse; callers build {@code where} only then. */
  static Reject malformedTimestamp(TimestampFormat format, String where) {
    return new Reject(RejectionReason.MALFORMED_TIMESTAMP,
        where + " is not a timestamp in " + format + " format");
  }

  /**
   * For schemes that sign the request URL: a request without one is a caller bug (the adapter did
   * not pass the URL the sender called), not bad input, and is said as such rather than reported as
   * a signature mismatch that no sender could ever fix.
   */
  static void requireUrl(WebhookRequest request, String schemeId) {
    if (request.url().isEmpty()) {
      throw new IllegalArgumentException(schemeId + " signs the request URL, and this request has"
          + " none: set WebhookRequest.Builder.url(...) to the full URL the sender called");
    }
  }

  /**
   * Refuses key text that is obviously not what the user meant: empty, blank, or an unresolved
   * {@code ${...}} placeholder (the configuration never substituted it). The message shows the
   * placeholder, which is configuration text, never a secret.
   */
  static String requireSecretText(@Nullable String secret, String what) {
    requireNonNull(secret, what);
    if (secret.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty or blank");
    }
    String stripped = secret.strip();
    if (stripped.startsWith("${") && stripped.endsWith("}")) {
      throw new IllegalArgumentException(what + " " + abbreviate(stripped)
          + " looks like an unresolved ${…} placeholder: set the variable or property it names");
    }
    return secret;
  }

  private static String abbreviate(String placeholder) {
    return placeholder.length() <= 100 ? placeholder : placeholder.substring(0, 99) + "…}";
  }
}
