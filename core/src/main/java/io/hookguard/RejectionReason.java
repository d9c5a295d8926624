package io.hookguard;

import java.util.Locale;

/**
 * Why a delivery was refused: the one catalogue of refusals, used unchanged by problem details
 * ({@code type} = {@code urn:hookguard:problem:<slug>}), the audit trail, metrics and logs. Each
 * reason has a stable {@linkplain #slug() slug}, the HTTP status Hookguard answers with, a title,
 * and whether a later retry of the same delivery can succeed. Verification produces the reasons
 * up to {@link #UNREADABLE_BODY} and {@link #KEY_UNAVAILABLE}; the delivery lifecycle
 * ({@code io.hookguard.delivery}) the rest.
 */
public enum RejectionReason {
  /** A header the scheme requires (signature, timestamp, id) is absent. */
  MISSING_HEADER(400, "Missing signature header"),
  /** A required header is present but cannot be parsed, is repeated, or is too long. */
  MALFORMED_HEADER(400, "Malformed signature header"),
  /** The timestamp is not a valid number or date in the scheme's format, or is out of range. */
  MALFORMED_TIMESTAMP(400, "Malformed timestamp"),
  /** The signed timestamp is older than the configured past tolerance. */
  TIMESTAMP_TOO_OLD(401, "Timestamp too old"),
  /** The signed timestamp is further in the future than the configured future tolerance. */
  TIMESTAMP_TOO_NEW(401, "Timestamp in the future"),
  /** Signatures were present, but none matched any configured key. */
  NO_MATCHING_SIGNATURE(401, "Signature does not match"),
  /** Only signatures of versions or algorithms this verifier does not check were present. */
  UNSUPPORTED_SIGNATURE_VERSION(401, "Unsupported signature version"),
  /** The body cannot be read to its end, or fields the scheme needs from it are not there. */
  UNREADABLE_BODY(400, "Unreadable body"),
  /** The body is larger than the endpoint's limit. */
  BODY_TOO_LARGE(413, "Body too large"),
  /** The body was still arriving when the endpoint's read timeout passed. */
  BODY_READ_TIMEOUT(408, "Body read timed out"),
  /** The body is compressed: senders sign the uncompressed bytes. */
  UNSUPPORTED_CONTENT_ENCODING(415, "Unsupported content encoding"),
  /** The signed body declares a charset the receiver cannot decode. */
  UNSUPPORTED_CHARSET(415, "Unsupported charset"),
  /** The signed form body has more parameters than the endpoint's limit. */
  TOO_MANY_PARAMETERS(413, "Too many form parameters"),
  /** The request came from outside the endpoint's source allowlist. */
  SOURCE_NOT_ALLOWED(403, "Source not allowed"),
  /** No endpoint is configured at the path (an adapter's answer for near misses). */
  NO_SUCH_ENDPOINT(404, "No such webhook endpoint"),
  /** A verified delivery of an event type the endpoint rejects. */
  UNEXPECTED_EVENT_TYPE(422, "Unexpected event type"),
  /** A verified delivery without the event id deduplication needs. */
  MISSING_EVENT_ID(400, "No event id"),
  /** The event id was seen with another body. */
  FINGERPRINT_MISMATCH(422, "Event id reused with another body"),
  /** The same event is being processed by another delivery: retry later. */
  IN_PROGRESS(409, "Delivery in progress", true),
  /** The dedup store (or inbox) cannot be reached: retry later. */
  STORE_UNAVAILABLE(503, "Deduplication store unavailable", true),
  /** The endpoint's inbox holds as many unprocessed deliveries as it may: retry later. */
  INBOX_FULL(503, "Inbox full", true),
  /** A handshake of the sender's exact shape that this endpoint does not answer: a wrong or unconfigured verify token. */
  HANDSHAKE_REFUSED(403, "Handshake refused"),
  /**
   * The adapter cannot take the delivery on now (a non-blocking adapter's bounded scheduler is
   * saturated); nothing was verified or claimed: retry later.
   */
  SERVER_BUSY(503, "Server busy", true),
  /**
   * The certificate or key the delivery must be verified with cannot be fetched now (a fetching
   * scheme, see {@link RemoteDocuments}): nothing was verified or claimed; retry later. A
   * verification reason, produced by the scheme.
   */
  KEY_UNAVAILABLE(503, "Verification key unavailable", true);

  private final int httpStatus;
  private final String slug;
  private final String title;
  private final boolean retryable;

  RejectionReason(int httpStatus, String title) {
    this(httpStatus, title, false);
  }

  RejectionReason(int httpStatus, String title, boolean retryable) {
    this.httpStatus = httpStatus;
    this.slug = name().toLowerCase(Locale.ROOT).replace('_', '-');
    this.title = title;
    this.retryable = retryable;
  }

  /**
   * The HTTP status Hookguard answers with for this reason.
   *
   * @return a 4xx status code, or 503 for {@link #STORE_UNAVAILABLE}, {@link #INBOX_FULL},
   *     {@link #SERVER_BUSY} and {@link #KEY_UNAVAILABLE}
   */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * A stable, lower-case identifier such as {@code no-matching-signature}.
   *
   * @return the slug
   */
  public String slug() {
    return slug;
  }

  /**
   * A short, human-readable summary, the problem's {@code title}.
   *
   * @return the title
   */
  public String title() {
    return title;
  }

  /**
   * Whether the same delivery may succeed when retried later; such answers carry
   * {@code Retry-After}.
   *
   * @return {@code true} for {@link #IN_PROGRESS}, {@link #STORE_UNAVAILABLE}, {@link #INBOX_FULL},
   *     {@link #SERVER_BUSY} and {@link #KEY_UNAVAILABLE}
   */
  public boolean retryable() {
    return retryable;
  }
}
