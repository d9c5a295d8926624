package io.hookguard;

import java.util.Locale;

/**
 * Why a delivery was rejected. Each reason has a stable {@linkplain #slug() slug} (used as the
 * problem type in HTTP answers) and the HTTP status Hookguard answers with by default.
 */
public enum RejectionReason {
  /** A header the scheme requires (signature, timestamp, id) is absent. */
  MISSING_HEADER(400),
  /** A required header is present but cannot be parsed, is repeated, or is too long. */
  MALFORMED_HEADER(400),
  /** The timestamp is not a valid number or date in the scheme's format, or is out of range. */
  MALFORMED_TIMESTAMP(400),
  /** The signed timestamp is older than the configured past tolerance. */
  TIMESTAMP_TOO_OLD(401),
  /** The signed timestamp is further in the future than the configured future tolerance. */
  TIMESTAMP_TOO_NEW(401),
  /** Signatures were present, but none matched any configured key. */
  NO_MATCHING_SIGNATURE(401),
  /** Only signatures of versions or algorithms this verifier does not check were present. */
  UNSUPPORTED_SIGNATURE_VERSION(401),
  /** The scheme needs fields from the body (signature, timestamp) and they cannot be read. */
  UNREADABLE_BODY(400),
  /** The body is larger than the configured limit. */
  BODY_TOO_LARGE(413);

  private final int httpStatus;
  private final String slug;

  RejectionReason(int httpStatus) {
    this.httpStatus = httpStatus;
    this.slug = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The HTTP status Hookguard answers with for this reason by default.
   *
   * @return a 4xx status code
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
}
