package io.hookguard.servlet.internal;

import static java.util.Objects.requireNonNull;

import io.hookguard.delivery.RunningDelivery;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request that serves a verified delivery's bytes, as often as the application likes: through
 * {@link #getInputStream()} and {@link #getReader()} (both may be used, unlike on a container
 * request), with {@code getContentLength()} matching them, and with exactly the parameters the
 * lifecycle decoded from signed bytes ({@link RunningDelivery#parameters()}) — never the
 * container's, which would include an unsigned query string. Until {@link #install} it only
 * delegates, so that the Spring starter can wrap every request at no cost. Internal to Hookguard's
 * servlet adapters.
 *
 * <p>The reader decodes with the request's declared charset (which the lifecycle checked); without
 * one, UTF-8 for JSON (RFC 8259) and ISO-8859-1 (the servlet default) otherwise.
 */
public final class CapturedRequest extends HttpServletRequestWrapper {
  private byte @Nullable [] body;
  private Map<String, String[]> parameters = Map.of();

  private CapturedRequest(HttpServletRequest request) {
    super(request);
  }

  /**
   * Wraps a request, or returns it when it is (or wraps) a {@code CapturedRequest} already.
   *
   * @param request the request
   * @return the wrapper
   */
  public static CapturedRequest wrap(HttpServletRequest request) {
    ServletRequest current = requireNonNull(request, "request");
    while (true) {
      if (current instanceof CapturedRequest captured) {
        return captured;
      }
      if (!(current instanceof jakarta.servlet.ServletRequestWrapper wrapper)) {
        return new CapturedRequest(request);
      }
      current = wrapper.getRequest();
    }
  }

  /**
   * A wrapper over what an earlier dispatch of the same request installed (async, error).
   *
   * @param request the request of the later dispatch
   * @param captured what was installed
   * @return the wrapper
   */
  public static CapturedRequest ofCaptured(HttpServletRequest request, Captured captured) {
    CapturedRequest wrapper = new CapturedRequest(request);
    wrapper.body = captured.body();
    wrapper.parameters = captured.parameters();
    return wrapper;
  }

  /**
   * The body and parameters served, kept for later dispatches of the request.
   *
   * @param body the verified bytes
   * @param parameters the parameters from signed bytes
   */
  public record Captured(byte[] body, Map<String, String[]> parameters) {}

  /**
   * Serves a verified delivery from now on.
   *
   * @param delivery the delivery
   * @return what is served, for later dispatches
   */
  public synchronized Captured install(RunningDelivery delivery) {
    Map<String, String[]> exposed = new LinkedHashMap<>();
    delivery.parameters().forEach((name, values) -> exposed.put(name, values.toArray(String[]::new)));
    body = delivery.body();
    parameters = Collections.unmodifiableMap(exposed);
    return new Captured(body, parameters);
  }

  /** @return whether a delivery was installed */
  public synchronized boolean isCaptured() {
    return body != null;
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
