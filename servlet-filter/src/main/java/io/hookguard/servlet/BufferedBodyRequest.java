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

  /** A wrapper over bytes captured by an earlier dispatch of the same request. */
  static BufferedBodyRequest ofCaptured(HttpServletRequest request, byte[] body) {
    BufferedBodyRequest wrapper = new BufferedBodyRequest(request);
    wrapper.body = body;
    wrapper.parameters = decodeParameters(request, body);
    return wrapper;
  }

  /**
   * Reads the body into memory once; later calls return the same bytes.
   *
   * @param maxBytes the largest body accepted
   * @return the body
   * @throws BodyTooLargeException when {@code Content-Length} or the bytes read pass the limit;
   *     the rest of the body is left unread
   * @throws IOException when the body cannot be read to its end
   * @throws IllegalArgumentException when the query string or a form body has a malformed
   *     %-escape (the bytes stay captured)
   */
  public synchronized byte[] capture(int maxBytes) throws IOException {
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
      read = declared >= 0 ? readDeclared(in, (int) declared, maxBytes) : in.readNBytes(maxBytes + 1);
    }
    if (read.length > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    body = read;
    parameters = decodeParameters((HttpServletRequest) getRequest(), read);
    return read;
  }

  /**
   * Reads a body whose length was declared straight into an array of that length (the common
   * case, and one copy fewer than reading in chunks); a body that runs past its declared length
   * is read on up to the limit, so the limit holds whatever the header said.
   */
  private static byte[] readDeclared(InputStream in, int declared, int maxBytes) throws IOException {
    byte[] body = in.readNBytes(declared); // grows as bytes arrive, not allocated up front
    if (body.length < declared) {
      return body; // ended early; the container reports a short body this way
    }
    int next = in.read();
    if (next < 0) {
      return body;
    }
    byte[] rest = in.readNBytes(maxBytes - declared);
    byte[] all = java.util.Arrays.copyOf(body, declared + 1 + rest.length);
    all[declared] = (byte) next;
    System.arraycopy(rest, 0, all, declared + 1, rest.length);
    return all;
  }

  /** @return whether {@link #capture} has read the body */
  public synchronized boolean isCaptured() {
    return body != null;
  }

  private static Map<String, String[]> decodeParameters(HttpServletRequest request, byte[] body) {
    String query = request.getQueryString();
    boolean form = FormEncoding.isForm(request.getContentType());
    if (query == null && !form) {
      return Map.of(); // a JSON delivery to a plain path: nothing to decode, no charset to look up
    }
    Charset declared = declaredCharset(request.getCharacterEncoding());
    // Form bodies are ASCII with UTF-8 percent-escapes in practice (Slack, Twilio).
    Charset charset = declared == null ? StandardCharsets.UTF_8 : declared;
    Map<String, List<String>> collected = new LinkedHashMap<>();
    if (query != null) {
      FormEncoding.decode(query, charset)
          .forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
    }
    if (form) {
      FormEncoding.decode(new String(body, charset), charset)
          .forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
    }
    Map<String, String[]> parameters = new LinkedHashMap<>();
    collected.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
    return Collections.unmodifiableMap(parameters);
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

  private synchronized byte @Nullable [] captured() {
    return body;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    byte[] bytes = captured();
    return bytes == null ? super.getInputStream() : new CachedInputStream(bytes);
  }

  @Override
  public BufferedReader getReader() throws IOException {
    byte[] bytes = captured();
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
    byte[] bytes = captured();
    return bytes == null ? super.getContentLength() : bytes.length;
  }

  @Override
  public long getContentLengthLong() {
    byte[] bytes = captured();
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
