package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What Hookguard answers a sender's {@link Handshake}: the exact response the sender expects (a
 * status, a content type, a body), or a refusal with its reason (a Meta verification request
 * with a wrong verify token is {@link RejectionReason#HANDSHAKE_REFUSED}). Immutable.
 */
public final class HandshakeReply {
  private static final byte[] EMPTY = new byte[0];

  private final Handshake handshake;
  private final @Nullable String contentType;
  private final byte[] body;
  private final @Nullable RejectionReason refusal;
  private final String detail;

  private HandshakeReply(Handshake handshake, @Nullable String contentType, byte[] body,
      @Nullable RejectionReason refusal, String detail) {
    this.handshake = handshake;
    this.contentType = contentType;
    this.body = body;
    this.refusal = refusal;
    this.detail = detail;
  }

  static HandshakeReply answer(Handshake handshake, @Nullable String contentType, byte[] body) {
    return new HandshakeReply(handshake, contentType, body, null, "");
  }

  static HandshakeReply empty(Handshake handshake) {
    return new HandshakeReply(handshake, null, EMPTY, null, "");
  }

  static HandshakeReply refused(Handshake handshake, RejectionReason reason, String detail) {
    return new HandshakeReply(handshake, null, EMPTY, requireNonNull(reason), requireNonNull(detail));
  }

  /** @return the handshake answered */
  public Handshake handshake() {
    return handshake;
  }

  /** @return the refusal's reason, empty when the handshake is answered */
  public Optional<RejectionReason> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** @return what was wrong with a refused handshake, safe to show the sender; empty otherwise */
  public String detail() {
    return detail;
  }

  /** @return the HTTP status: 200 for an answer, the reason's status for a refusal */
  public int status() {
    return refusal == null ? 200 : refusal.httpStatus();
  }

  /** @return the answer's content type, empty for an answer without a body */
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  /** @return a copy of the answer's body; empty for refusals and empty answers */
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return "HandshakeReply[" + handshake + " " + status() + (refusal == null ? "" : " " + refusal.slug()) + "]";
  }
}
