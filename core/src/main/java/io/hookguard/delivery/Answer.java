package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hookguard.HandshakeReply;
import io.hookguard.RejectionReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An answer the lifecycle gives without running the application: a refusal as an RFC 9457
 * problem ({@code application/problem+json}, {@code type} = {@value #TYPE_PREFIX}{@code <slug>}),
 * an acknowledged duplicate (200, {@value #REPLAY_HEADER}{@code : true}), an acknowledged
 * delivery of an unexpected type (200, {@value #IGNORED_HEADER}{@code : event-type}), a sender's
 * {@linkplain io.hookguard.Handshake handshake} answered as the sender expects (its status,
 * content type and body) or, at an endpoint in inbox mode, a delivery stored in the inbox (200, no body). An adapter
 * writes {@link #status()}, {@link #headers()} and {@link #body()} as they are. Immutable. The
 * detail never contains a secret, a signature or the body.
 */
public final class Answer implements Reception {
  /** The prefix of every problem type URI. */
  public static final String TYPE_PREFIX = "urn:hookguard:problem:";

  /** The media type of problem answers. */
  public static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

  /** The header on a 200 that acknowledges a duplicate without running the application. */
  public static final String REPLAY_HEADER = "Hookguard-Replay";

  /** The header on a 200 that acknowledges a delivery of an event type the endpoint does not handle. */
  public static final String IGNORED_HEADER = "Hookguard-Ignored";

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NO_BODY = new byte[0];
  private static final Answer DUPLICATE = new Answer(200, null, "", null, Map.of(REPLAY_HEADER, "true"));
  private static final Answer IGNORED = new Answer(200, null, "", null, Map.of(IGNORED_HEADER, "event-type"));
  private static final Answer STORED = new Answer(200, null, "", null, Map.of());

  private final int status;
  private final @Nullable RejectionReason reason;
  private final String detail;
  private final @Nullable Duration retryAfter;
  private final Map<String, String> headers;
  /** The handshake's answer body; null for every other answer. */
  private final byte @Nullable [] handshakeBody;

  private Answer(int status, @Nullable RejectionReason reason, String detail, @Nullable Duration retryAfter,
      Map<String, String> headers) {
    this(status, reason, detail, retryAfter, headers, null);
  }

  private Answer(int status, @Nullable RejectionReason reason, String detail, @Nullable Duration retryAfter,
      Map<String, String> headers, byte @Nullable [] handshakeBody) {
    this.status = status;
    this.reason = reason;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.headers = headers;
    this.handshakeBody = handshakeBody;
  }

  /**
   * A refusal.
   *
   * @param reason why
   * @param detail what was wrong with this delivery, safe to show the sender
   * @return the answer
   */
  public static Answer refuse(RejectionReason reason, String detail) {
    return refuse(reason, detail, null);
  }

  /**
   * A refusal with a retry hint.
   *
   * @param reason why
   * @param detail what was wrong with this delivery, safe to show the sender
   * @param retryAfter when a retry may succeed, for {@linkplain RejectionReason#retryable() retryable} reasons
   * @return the answer
   */
  public static Answer refuse(RejectionReason reason, String detail, @Nullable Duration retryAfter) {
    requireNonNull(reason, "reason");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", PROBLEM_MEDIA_TYPE);
    headers.put("Cache-Control", "no-store");
    if (retryAfter != null) {
      long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
      headers.put("Retry-After", Long.toString(Math.max(1, seconds)));
    }
    return new Answer(reason.httpStatus(), reason, requireNonNull(detail, "detail"), retryAfter, Map.copyOf(headers));
  }

  static Answer duplicate() {
    return DUPLICATE;
  }

  static Answer ignored() {
    return IGNORED;
  }

  static Answer stored() {
    return STORED;
  }

  /** The answer to a handshake the sender expects: never cached, never sniffed into another type. */
  static Answer handshake(HandshakeReply reply) {
    Map<String, String> headers = new LinkedHashMap<>();
    reply.contentType().ifPresent(type -> headers.put("Content-Type", type));
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    return new Answer(reply.status(), null, "", null, Map.copyOf(headers), reply.body());
  }

  /** @return whether this answers a sender's handshake */
  public boolean isHandshake() {
    return handshakeBody != null;
  }

  /** @return the HTTP status */
  public int status() {
    return status;
  }

  /** @return why the delivery was refused; empty for acknowledgements */
  public Optional<RejectionReason> reason() {
    return Optional.ofNullable(reason);
  }

  /** @return the problem's detail; empty for acknowledgements */
  public String detail() {
    return detail;
  }

  /** @return when to retry, for retryable refusals */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** @return the headers to send, {@code Content-Type} and {@code Retry-After} included */
  public Map<String, String> headers() {
    return headers;
  }

  /** @return whether this acknowledges a delivery stored in the endpoint's inbox */
  public boolean isStored() {
    return this == STORED;
  }

  /**
   * Whether this answer is given without the request's body read to its end (no such endpoint,
   * source not allowed, compressed, too large, too slow, unreadable): the connection cannot carry
   * another request, so adapters answer with {@code Connection: close} when the request had a body.
   *
   * @return whether the body was left unread
   */
  public boolean leftBodyUnread() {
    return reason != null && switch (reason) {
      case NO_SUCH_ENDPOINT, SOURCE_NOT_ALLOWED, UNSUPPORTED_CONTENT_ENCODING, BODY_TOO_LARGE, BODY_READ_TIMEOUT,
          UNREADABLE_BODY -> true;
      default -> false;
    };
  }

  /** @return whether this is a duplicate acknowledged as a replay */
  public boolean isReplay() {
    return this == DUPLICATE;
  }

  /**
   * The body to send: the problem as JSON (type, title, status, detail), the handshake's
   * answer, or nothing for acknowledgements.
   *
   * @return the bytes
   */
  public byte[] body() {
    if (handshakeBody != null) {
      return handshakeBody.clone();
    }
    if (reason == null) {
      return NO_BODY;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      generator.writeStartObject();
      generator.writeStringField("type", TYPE_PREFIX + reason.slug());
      generator.writeStringField("title", reason.title());
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
    return status + (reason == null
        ? (isReplay() ? " replay" : isStored() ? " stored" : isHandshake() ? " handshake" : " ignored")
        : " " + TYPE_PREFIX + reason.slug());
  }
}
