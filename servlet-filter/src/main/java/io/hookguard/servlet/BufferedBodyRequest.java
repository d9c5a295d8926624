package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.FormEncoding;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request whose body can be read once into memory, bounded, and then as often as the
 * application likes: through {@link #getInputStream()} and {@link #getReader()} (both may be
 * used, unlike on a container request), with form parameters decoded from the same bytes and
 * {@code getContentLength()} matching them. Until {@link #capture} is called it only delegates,
 * so wrapping every request costs nothing for those that are not webhook deliveries.
 *
 * <p>Once captured, the request's parameters are only those {@link #exposeParameters exposed}
 * after verification: the signed form body's, and the query string's only for schemes that
 * sign the URL. The container's own parameters (which would include an unsigned query string)
 * are never consulted again.
 *
 * <p>The reader decodes with the request's declared charset; without one, UTF-8 for JSON
 * (RFC 8259) and ISO-8859-1 (the servlet default) otherwise. Form parameters decode
 * percent-escapes as the declared charset, else UTF-8.
 */
public final class BufferedBodyRequest extends HttpServletRequestWrapper {
  private byte @Nullable [] body;
  private Map<String, String[]> parameters = Map.of();

  private BufferedBodyRequest(HttpServletRequest request) {
    super(request);
  }

  /**
   * Wraps a request, or returns it when it is (or wraps) a {@code BufferedBodyRequest} already.
   *
   * @param request the request
   * @return the wrapper
   */
  public static BufferedBodyRequest wrap(HttpServletRequest request) {
    ServletRequest current = requireNonNull(request, "request");
    while (true) {
      if (current instanceof BufferedBodyRequest buffered) {
        return buffered;
      }
      if (!(current instanceof jakarta.servlet.ServletRequestWrapper wrapper)) {
        return new BufferedBodyRequest(request);
      }
      current = wrapper.getRequest();
    }
  }

  /** A wrapper over what an earlier dispatch of the same request captured and exposed. */
  static BufferedBodyRequest ofCaptured(HttpServletRequest request, Captured captured) {
    BufferedBodyRequest wrapper = new BufferedBodyRequest(request);
    wrapper.body = captured.body();
    wrapper.parameters = captured.parameters();
    return wrapper;
  }

  /** The body and the parameters exposed from it, kept for later dispatches of the request. */
  record Captured(byte[] body, Map<String, String[]> parameters) {}

  synchronized Captured captured() {
    return new Captured(requireNonNull(body, "not captured"), parameters);
  }

  /**
   * Reads the body into memory once; later calls return the same bytes. No form parameter is
   * decoded here: until {@link #exposeParameters} is called (after verification), a captured
   * request has none, so the application never sees parameters from unsigned bytes.
   *
   * @param maxBytes the largest body accepted
   * @param readTimeout how long the whole body may take to arrive; checked each time bytes
   *     arrive, so a sender that sends nothing at all is cut off by the container's own read
   *     timeout instead
   * @return the body
   * @throws BodyTooLargeException when {@code Content-Length} or the bytes read pass the limit;
   *     the rest of the body is left unread
   * @throws BodyReadTimeoutException when the body is still arriving after {@code readTimeout}
   * @throws IOException when the body cannot be read to its end, or ends before its declared length
   */
  public synchronized byte[] capture(int maxBytes, Duration readTimeout) throws IOException {
    if (body != null) {
      if (body.length > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
      return body;
    }
    long declared = getRequest().getContentLengthLong();
    if (declared > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    byte[] read;
    try (InputStream in = getRequest().getInputStream()) {
      read = read(in, (int) declared, maxBytes, System.nanoTime() + readTimeout.toNanos(), readTimeout);
    }
    if (declared >= 0 && read.length < declared) {
      throw new IOException("the body ended after " + read.length + " of " + declared + " declared bytes");
    }
    body = read;
    return read;
  }

  /**
   * Reads up to one byte past the limit. A body of declared length is read into an array of
   * that length when it is small (one copy, the common case); otherwise the array grows as bytes
   * arrive, so a sender that declares much and sends little holds little memory.
   */
  private static byte[] read(InputStream in, int declared, int maxBytes, long deadline, Duration readTimeout)
      throws IOException {
    int initial = declared >= 0 && declared <= 64 * 1024 ? declared + 1 : 8 * 1024;
    byte[] buffer = new byte[Math.min(initial, maxBytes + 1)];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
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

  /** @return whether {@link #capture} has read the body */
  public synchronized boolean isCaptured() {
    return body != null;
  }

  /**
   * Makes the form parameters of the captured body visible to the application: only the body's,
   * and the query string's only when {@code includeQuery} (for schemes that sign the URL). Call
   * it after the delivery is verified, so unsigned bytes are never decoded for the application.
   *
   * @param includeQuery whether the query string is signed and may add parameters
   * @param maxParameters the most parameters accepted
   * @throws FormEncoding.TooManyPairsException when there are more than {@code maxParameters}
   * @throws IllegalArgumentException when a %-escape is malformed
   */
  public synchronized void exposeParameters(boolean includeQuery, int maxParameters) {
    HttpServletRequest request = (HttpServletRequest) getRequest();
    String query = includeQuery ? request.getQueryString() : null;
    boolean form = FormEncoding.isForm(request.getContentType());
    if (query == null && !form) {
      return; // a JSON delivery: nothing to decode, no charset to look up
    }
    Charset declared = declaredCharset(request.getCharacterEncoding());
    // Form bodies are ASCII with UTF-8 percent-escapes in practice (Slack, Twilio).
    Charset charset = declared == null ? StandardCharsets.UTF_8 : declared;
    Map<String, List<String>> collected = new LinkedHashMap<>();
    int remaining = maxParameters;
    if (query != null) {
      List<Map.Entry<String, String>> pairs = FormEncoding.decode(query, charset, remaining);
      remaining -= pairs.size();
      pairs.forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
    }
    if (form) {
      FormEncoding.decode(new String(requireNonNull(body, "not captured"), charset), charset, remaining)
          .forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
    }
    Map<String, String[]> exposed = new LinkedHashMap<>();
    collected.forEach((name, values) -> exposed.put(name, values.toArray(String[]::new)));
    parameters = Collections.unmodifiableMap(exposed);
  }

  /** Whether this JVM can decode a declared charset. */
  static boolean isSupportedCharset(String name) {
    return declaredCharset(name) != null;
  }

  private static @Nullable Charset declaredCharset(@Nullable String name) {
    if (name == null) {
      return null;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return null;
    }
  }

  private synchronized byte @Nullable [] capturedBody() {
    return body;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    byte[] bytes = capturedBody();
    return bytes == null ? super.getInputStream() : new CachedInputStream(bytes);
  }

  @Override
  public BufferedReader getReader() throws IOException {
    byte[] bytes = capturedBody();
    if (bytes == null) {
      return super.getReader();
    }
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), readerCharset()));
  }

  private Charset readerCharset() throws UnsupportedEncodingException {
    String name = getCharacterEncoding();
    if (name != null) {
      Charset charset = declaredCharset(name);
      if (charset == null) {
        throw new UnsupportedEncodingException(name);
      }
      return charset;
    }
    String type = getContentType();
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    boolean json = lower.startsWith("application/json") || lower.matches("^[a-z0-9.+-]+/[a-z0-9.+-]*\\+json\\b.*");
    return json ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
  }

  @Override
  public int getContentLength() {
    byte[] bytes = capturedBody();
    return bytes == null ? super.getContentLength() : bytes.length;
  }

  @Override
  public long getContentLengthLong() {
    byte[] bytes = capturedBody();
    return bytes == null ? super.getContentLengthLong() : bytes.length;
  }

  @Override
  public @Nullable String getParameter(String name) {
    if (!isCaptured()) {
      return super.getParameter(name);
    }
    String[] values = parameters.get(name);
    return values == null ? null : values[0];
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return isCaptured() ? parameters : super.getParameterMap();
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return isCaptured() ? Collections.enumeration(parameters.keySet()) : super.getParameterNames();
  }

  @Override
  public String @Nullable [] getParameterValues(String name) {
    if (!isCaptured()) {
      return super.getParameterValues(name);
    }
    String[] values = parameters.get(name);
    return values == null ? null : values.clone();
  }

  /** The body passed the limit; nothing past the limit was read. */
  public static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    BodyTooLargeException(int limit) {
      super("the body is larger than the limit of " + limit + " bytes");
      this.limit = limit;
    }

    /** @return the limit that was passed, in bytes */
    public int limit() {
      return limit;
    }
  }

  /** The body was still arriving when the endpoint's read timeout passed. */
  public static final class BodyReadTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Duration limit;

    BodyReadTimeoutException(Duration limit) {
      super("the body did not arrive within " + limit);
      this.limit = limit;
    }

    /** @return the read timeout that passed */
    public Duration limit() {
      return limit;
    }
  }

  /** A finished-on-arrival stream over the cached bytes; non-blocking readers get them at once. */
  private static final class CachedInputStream extends ServletInputStream {
    private final ByteArrayInputStream in;

    CachedInputStream(byte[] body) {
      this.in = new ByteArrayInputStream(body);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, len);
    }

    @Override
    public byte[] readAllBytes() {
      return in.readAllBytes();
    }

    @Override
    public int available() {
      return in.available();
    }

    @Override
    public boolean isFinished() {
      return in.available() == 0;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
      try {
        if (!isFinished()) {
          listener.onDataAvailable();
        }
        listener.onAllDataRead();
      } catch (IOException e) {
        listener.onError(e);
      }
    }
  }
}
