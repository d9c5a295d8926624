package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A body pushed in chunks by a non-blocking server (Netty, Reactor), collected within an
 * endpoint's size limit, and then the request's {@link BodySource}. The adapter asks
 * {@link #refusesDeclaredLength()} before reading anything (a {@code Content-Length} over the
 * limit is refused unread), {@link #offer offers} each chunk as it arrives and stops reading as
 * soon as an offer returns {@code false} (past the limit: nothing more is buffered), and calls
 * {@link #complete()} at the end of the body or {@link #fail} when it could not be read (its read
 * deadline passed: {@link BodySource.BodyReadTimeoutException}). {@link DeliveryLifecycle} then
 * reads the collected bytes and answers each case as it does for every adapter (413, 408, 400).
 *
 * <p>Not thread-safe for offers: one collector per request, chunks offered in order (as a
 * Reactive Streams subscriber receives them). {@link #read} may run on another thread after the
 * last offer (the caller's hand-over, such as a scheduler hop, publishes the bytes).
 */
public final class BodyCollector implements BodySource {
  private final int maxBytes;
  private final long declaredLength;
  private byte[] buffer;
  private int length;
  private boolean overLimit;
  private boolean complete;
  private @Nullable IOException failure;

  private BodyCollector(int maxBytes, long declaredLength) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.declaredLength = declaredLength;
    // A declared small body gets an array of its size (no copy at the end); otherwise the array
    // grows as bytes arrive, so a sender that declares much and sends little holds little.
    boolean exact = declaredLength >= 0 && declaredLength <= Math.min(64 * 1024, maxBytes);
    this.buffer = new byte[exact ? (int) declaredLength : Math.min(8 * 1024, maxBytes)];
    this.overLimit = declaredLength > maxBytes;
  }

  /**
   * A collector for one request to an endpoint.
   *
   * @param endpoint the endpoint, whose {@link WebhookEndpoint#maxBodyBytes()} bounds the body
   * @param declaredLength the request's {@code Content-Length}, or -1 when unknown (chunked)
   * @return the collector
   */
  public static BodyCollector forEndpoint(WebhookEndpoint endpoint, long declaredLength) {
    return new BodyCollector(requireNonNull(endpoint, "endpoint").maxBodyBytes(), declaredLength);
  }

  /**
   * A collector with an explicit limit.
   *
   * @param maxBytes the largest body accepted
   * @param declaredLength the request's {@code Content-Length}, or -1 when unknown (chunked)
   * @return the collector
   */
  public static BodyCollector of(int maxBytes, long declaredLength) {
    return new BodyCollector(maxBytes, declaredLength);
  }

  /** @return whether the declared length alone passes the limit: read nothing, hand the collector over as it is */
  public boolean refusesDeclaredLength() {
    return declaredLength > maxBytes;
  }

  /**
   * Copies a chunk (from its position to its limit; the buffer's position is not moved).
   *
   * @param chunk the bytes that arrived
   * @return {@code true} to go on reading; {@code false} once the body is past the limit (the chunk
   *     was not kept: stop reading and hand the collector over)
   */
  public boolean offer(ByteBuffer chunk) {
    if (overLimit || failure != null) {
      return false;
    }
    int n = chunk.remaining();
    if (n > maxBytes - length) {
      overLimit = true;
      buffer = new byte[0];
      return false;
    }
    if (length + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes, Math.max((long) length + n, buffer.length * 2L)));
    }
    chunk.duplicate().get(buffer, length, n);
    length += n;
    return true;
  }

  /** The body ended: every chunk was offered. */
  public void complete() {
    complete = true;
  }

  /**
   * The body could not be read to its end.
   *
   * @param failure why: a {@link BodySource.BodyReadTimeoutException} when the read deadline
   *     passed, any other {@link IOException} for a body that broke off
   */
  public void fail(IOException failure) {
    if (this.failure == null) {
      this.failure = requireNonNull(failure, "failure");
    }
  }

  /** @return the bytes collected so far */
  public int length() {
    return length;
  }

  @Override
  public byte[] read(int maxBytes, Duration readTimeout) throws IOException {
    int limit = Math.min(maxBytes, this.maxBytes);
    if (overLimit || length > limit || declaredLength > limit) {
      throw new BodyTooLargeException(limit);
    }
    if (failure != null) {
      throw failure;
    }
    if (!complete) {
      throw new IOException("the body was not read to its end");
    }
    if (declaredLength >= 0 && length != declaredLength) {
      throw new IOException("the body had " + length + " of " + declaredLength + " declared bytes");
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }
}
