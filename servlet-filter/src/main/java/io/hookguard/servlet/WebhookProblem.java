package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hookguard.RejectionReason;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why a delivery was not handed to the application, as an RFC 9457 problem: a status, a stable
 * type URI per kind ({@value #TYPE_PREFIX}{@code <slug>}, e.g.
 * {@code urn:hookguard:problem:no-matching-signature}), a title, a detail that never carries a
 * secret, an expected signature or the body, and a retry hint where a retry helps.
 */
public final class WebhookProblem {
  /** The prefix of every problem type. */
  public static final String TYPE_PREFIX = "urn:hookguard:problem:";

  /** The media type of problem bodies. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final JsonFactory JSON = new JsonFactory();

  private final int status;
  private final String slug;
  private final String title;
  private final String detail;
  private final @Nullable Duration retryAfter;

  private WebhookProblem(int status, String slug, String title, String detail, @Nullable Duration retryAfter) {
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }

  static WebhookProblem of(RejectionReason reason, String detail) {
    return new WebhookProblem(reason.httpStatus(), reason.slug(), title(reason), requireNonNull(detail), null);
  }

  static WebhookProblem unsupportedContentEncoding(String encoding) {
    return new WebhookProblem(415, "unsupported-content-encoding", "Unsupported content encoding",
        "bodies are verified as sent, uncompressed; Content-Encoding "
            + (encoding.length() > 40 ? "(too long)" : "'" + encoding + "'") + " is not accepted", null);
  }

  static WebhookProblem unsupportedCharset(String charset) {
    return new WebhookProblem(415, "unsupported-charset", "Unsupported charset",
        "the body's declared charset " + (charset.length() > 40 || !charset.matches("[\\x20-\\x7e]*")
            ? "(not shown)" : "'" + charset + "'") + " is not one this receiver can decode", null);
  }

  static WebhookProblem noSuchEndpoint() {
    return new WebhookProblem(404, "no-such-endpoint", "No such webhook endpoint",
        "no webhook endpoint is configured at this path", null);
  }

  static WebhookProblem bodyReadTimeout(Duration limit) {
    return new WebhookProblem(408, "body-read-timeout", "Body read timed out",
        "the body did not arrive within the endpoint's limit of " + limit.toMillis() + " ms", null);
  }

  static WebhookProblem tooManyParameters(int limit) {
    return new WebhookProblem(413, "too-many-parameters", "Too many form parameters",
        "the form body has more than the endpoint's limit of " + limit + " parameters", null);
  }

  static WebhookProblem sourceNotAllowed() {
    return new WebhookProblem(403, "source-not-allowed", "Source not allowed",
        "deliveries to this endpoint are accepted from its senders' published addresses only", null);
  }

  static WebhookProblem unexpectedEventType(@Nullable String type) {
    String shown = type == null ? "no type" : type.length() > 80 ? "a type" : "type '" + type + "'";
    return new WebhookProblem(422, "unexpected-event-type", "Unexpected event type",
        "this endpoint does not handle deliveries of " + shown, null);
  }

  static WebhookProblem inProgress(Duration retryAfter) {
    return new WebhookProblem(409, "in-progress", "Delivery in progress",
        "the same event is being processed by another delivery; retry later", retryAfter);
  }

  static WebhookProblem fingerprintMismatch() {
    return new WebhookProblem(422, "fingerprint-mismatch", "Event id reused with another body",
        "an event with this id was received with a different body", null);
  }

  static WebhookProblem missingEventId() {
    return new WebhookProblem(400, "missing-event-id", "No event id",
        "the signed delivery carries no event id to deduplicate on", null);
  }

  static WebhookProblem storeUnavailable(Duration retryAfter) {
    return new WebhookProblem(503, "store-unavailable", "Deduplication store unavailable",
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

  /** @return the HTTP status */
  public int status() {
    return status;
  }

  /** @return the stable short name, e.g. {@code timestamp-too-old} */
  public String slug() {
    return slug;
  }

  /** @return the problem type URI, {@value #TYPE_PREFIX} and the slug */
  public String type() {
    return TYPE_PREFIX + slug;
  }

  /** @return a short human-readable summary of the kind */
  public String title() {
    return title;
  }

  /** @return what was wrong with this delivery, safe to show the sender */
  public String detail() {
    return detail;
  }

  /** @return when to retry, for answers a retry can change (409, 503) */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * The {@code Retry-After} header value: whole seconds, rounded up, at least 1.
   *
   * @return the value, when there is a retry hint
   */
  public Optional<String> retryAfterHeader() {
    return retryAfter().map(after -> {
      long seconds = after.getSeconds() + (after.getNano() > 0 ? 1 : 0);
      return Long.toString(Math.max(1, seconds));
    });
  }

  /**
   * Writes the problem as the response and commits it. A response already committed (the container does so
   * when the client's connection failed while its body was read) is left alone: no answer can
   * reach that client, and the container closes the connection.
   *
   * @param response the response
   * @throws IOException when writing fails
   */
  public void writeTo(HttpServletResponse response) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setHeader("Cache-Control", "no-store");
    retryAfterHeader().ifPresent(value -> response.setHeader("Retry-After", value));
    byte[] json = json();
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
    // Committed now: a container that marked the request failed (a body it could not read)
    // would otherwise replace this answer with its own error page.
    response.flushBuffer();
  }

  /** @return the problem as JSON: type, title, status, detail */
  public byte[] json() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField("type", type());
      generator.writeStringField("title", title);
      generator.writeNumberField("status", status);
      generator.writeStringField("detail", detail);
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return status + " " + type();
  }
}
