package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * Where an adapter's request body comes from. The lifecycle reads it once, bounded by the
 * endpoint's size limit and read timeout; it never reads past the limit.
 */
@FunctionalInterface
public interface BodySource {
  /**
   * Reads the whole body.
   *
   * @param maxBytes the largest body accepted
   * @param readTimeout how long the whole body may take to arrive
   * @return the body
   * @throws BodyTooLargeException when the body passes {@code maxBytes} (nothing past it was read)
   * @throws BodyReadTimeoutException when the body is still arriving after {@code readTimeout}
   * @throws IOException when the body cannot be read to its end
   */
  byte[] read(int maxBytes, Duration readTimeout) throws IOException;

  /**
   * A body already in memory (an adapter that buffered it, bounded, itself).
   *
   * @param body the bytes, not copied
   * @return the source
   */
  static BodySource of(byte[] body) {
    requireNonNull(body, "body");
    return (maxBytes, readTimeout) -> {
      if (body.length > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
      return body;
    };
  }

  /**
   * A blocking stream, read as bytes arrive (servlet containers). The time limit is checked as
   * bytes arrive, so a sender that sends nothing at all is cut off by the container's own read
   * timeout instead.
   *
   * @param stream opens the stream
   * @param declaredLength the {@code Content-Length}, or -1 when unknown (chunked)
   * @return the source
   */
  static BodySource ofStream(StreamOpener stream, long declaredLength) {
    requireNonNull(stream, "stream");
    return (maxBytes, readTimeout) -> {
      if (declaredLength > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
      long deadline = System.nanoTime() + readTimeout.toNanos();
      byte[] read;
      try (InputStream in = stream.open()) {
        read = readBounded(in, (int) declaredLength, maxBytes, deadline, readTimeout);
      }
      if (declaredLength >= 0 && read.length < declaredLength) {
        throw new IOException("the body ended after " + read.length + " of " + declaredLength + " declared bytes");
      }
      return read;
    };
  }

  /** Opens a request's body stream. */
  @FunctionalInterface
  interface StreamOpener {
    /**
     * @return the stream
     * @throws IOException when it cannot be opened
     */
    InputStream open() throws IOException;
  }

  /**
   * Reads up to one byte past the limit. A small body of declared length is read into an array
   * of exactly that length, and one more byte is asked for to see the end (the common case: one
   * array, no copy); otherwise the array grows as bytes arrive, so a sender that declares much
   * and sends little holds little memory.
   */
  private static byte[] readBounded(InputStream in, int declared, int maxBytes, long deadline, Duration readTimeout)
      throws IOException {
    boolean exact = declared >= 0 && declared <= 64 * 1024 && declared <= maxBytes;
    byte[] buffer = new byte[exact ? declared : Math.min(8 * 1024, maxBytes + 1)];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (exact) {
          // Full at the declared length: the end should come now. One byte tells, without a copy.
          exact = false;
          int next = in.read();
          if (next < 0) {
            return buffer;
          }
          if (length + 1 > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
          }
          if (System.nanoTime() - deadline > 0) {
            throw new BodyReadTimeoutException(readTimeout);
          }
          buffer = Arrays.copyOf(buffer, (int) Math.min((long) maxBytes + 1, Math.max(16L, buffer.length * 2L)));
          buffer[length++] = (byte) next;
          continue;
        }
        if (length > maxBytes) {
          throw new BodyTooLargeException(maxBytes);
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min((long) maxBytes + 1, Math.max(16L, buffer.length * 2L)));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
      if (length > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new BodyReadTimeoutException(readTimeout);
      }
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  /** The body passed the limit; nothing past the limit was read. */
  final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The limit that was passed, in bytes. */
    private final int limit;

    /** @param limit the limit that was passed, in bytes */
    public BodyTooLargeException(int limit) {
      super("the body is larger than the limit of " + limit + " bytes");
      this.limit = limit;
    }

    /** @return the limit that was passed, in bytes */
    public int limit() {
      return limit;
    }
  }

  /** The body was still arriving when the read timeout passed. */
  final class BodyReadTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Duration limit;

    /** @param limit the read timeout that passed */
    public BodyReadTimeoutException(Duration limit) {
      super("the body did not arrive within " + limit);
      this.limit = limit;
    }

    /** @return the read timeout that passed */
    public Duration limit() {
      return limit;
    }
  }
}
