package io.hookguard.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hookguard.RejectionReason;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem the filter answers with, {@code application/problem+json}. The type is a
 * stable URI per kind ({@value #TYPE_PREFIX}{@code <slug>}); the detail never carries a secret,
 * an expected signature or the body.
 */
record Problem(int status, String slug, String title, String detail, @Nullable Duration retryAfter) {
  static final String TYPE_PREFIX = "urn:hookguard:problem:";
  static final String MEDIA_TYPE = "application/problem+json";
  private static final JsonFactory JSON = new JsonFactory();

  static Problem of(RejectionReason reason, String detail) {
    return new Problem(reason.httpStatus(), reason.slug(), title(reason), detail, null);
  }

  static Problem unsupportedContentEncoding(String encoding) {
    return new Problem(415, "unsupported-content-encoding", "Unsupported content encoding",
        "bodies are verified as sent, uncompressed; Content-Encoding "
            + (encoding.length() > 40 ? "(too long)" : "'" + encoding + "'") + " is not accepted", null);
  }

  static Problem inProgress(Duration retryAfter) {
    return new Problem(409, "in-progress", "Delivery in progress",
        "the same event is being processed by another delivery; retry later", retryAfter);
  }

  static Problem fingerprintMismatch() {
    return new Problem(422, "fingerprint-mismatch", "Event id reused with another body",
        "an event with this id was received with a different body", null);
  }

  static Problem missingEventId() {
    return new Problem(400, "missing-event-id", "No event id",
        "the signed delivery carries no event id to deduplicate on", null);
  }

  static Problem storeUnavailable(Duration retryAfter) {
    return new Problem(503, "store-unavailable", "Deduplication store unavailable",
        "the delivery cannot be deduplicated now; retry later", retryAfter);
  }

  private static String title(RejectionReason reason) {
    return switch (reason) {
      case MISSING_HEADER -> "Missing signature header";
      case MALFORMED_HEADER -> "Malformed signature header";
      case MALFORMED_TIMESTAMP -> "Malformed timestamp";
      case TIMESTAMP_TOO_OLD -> "Timestamp too old";
      case TIMESTAMP_TOO_NEW -> "Timestamp in the future";
      case NO_MATCHING_SIGNATURE -> "Signature does not match";
      case UNSUPPORTED_SIGNATURE_VERSION -> "Unsupported signature version";
      case UNREADABLE_BODY -> "Unreadable body";
      case BODY_TOO_LARGE -> "Body too large";
    };
  }

  /** Writes the problem; the response must not be committed. */
  void writeTo(HttpServletResponse response) throws IOException {
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setHeader("Cache-Control", "no-store");
    if (retryAfter != null) {
      response.setHeader("Retry-After", Long.toString(Math.max(1, ceilSeconds(retryAfter))));
    }
    byte[] json = json();
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }

  byte[] json() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField("type", TYPE_PREFIX + slug);
      generator.writeStringField("title", title);
      generator.writeNumberField("status", status);
      generator.writeStringField("detail", detail);
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static long ceilSeconds(Duration duration) {
    long seconds = duration.getSeconds();
    return duration.getNano() > 0 ? seconds + 1 : seconds;
  }
}
