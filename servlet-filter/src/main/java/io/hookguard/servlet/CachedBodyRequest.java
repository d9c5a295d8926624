package io.hookguard.servlet;

import io.hookguard.FormEncoding;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The request the application sees after verification: the body bytes the filter read and
 * verified, readable as often as the application likes through {@link #getInputStream()} and
 * {@link #getReader()} (both may be used, unlike on a container request), with form parameters
 * decoded from those same bytes.
 */
final class CachedBodyRequest extends HttpServletRequestWrapper {
  private final byte[] body;
  private final Map<String, String[]> parameters;

  /**
   * Wraps a request whose body was read.
   *
   * @throws IllegalArgumentException when the query string or a form body has a malformed escape
   */
  CachedBodyRequest(HttpServletRequest request, byte[] body) {
    super(request);
    this.body = body;
    this.parameters = decodeParameters(request, body);
  }

  private static Map<String, String[]> decodeParameters(HttpServletRequest request, byte[] body) {
    Charset charset = declaredCharset(request);
    if (charset == null) {
      // Form bodies are ASCII with UTF-8 percent-escapes in practice (Slack, Twilio).
      charset = StandardCharsets.UTF_8;
    }
    Map<String, List<String>> collected = new LinkedHashMap<>();
    String query = request.getQueryString();
    if (query != null) {
      FormEncoding.decode(query, charset)
          .forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
    }
    if (FormEncoding.isForm(request.getContentType())) {
      FormEncoding.decode(new String(body, charset), charset)
          .forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
    }
    Map<String, String[]> parameters = new LinkedHashMap<>();
    collected.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
    return Collections.unmodifiableMap(parameters);
  }

  private static @Nullable Charset declaredCharset(HttpServletRequest request) {
    String name = request.getCharacterEncoding();
    if (name == null) {
      return null;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return null;
    }
  }

  byte[] body() {
    return body;
  }

  @Override
  public ServletInputStream getInputStream() {
    return new CachedInputStream(body);
  }

  @Override
  public BufferedReader getReader() throws UnsupportedEncodingException {
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), readerCharset()));
  }

  /** The declared charset; UTF-8 for JSON without one (RFC 8259); else the servlet default. */
  private Charset readerCharset() throws UnsupportedEncodingException {
    String name = getCharacterEncoding();
    if (name != null) {
      try {
        return Charset.forName(name);
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        throw new UnsupportedEncodingException(name);
      }
    }
    String type = getContentType();
    String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
    boolean json = lower.startsWith("application/json") || lower.matches("^[a-z0-9.+-]+/[a-z0-9.+-]*\\+json\\b.*");
    return json ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public @Nullable String getParameter(String name) {
    String[] values = parameters.get(name);
    return values == null ? null : values[0];
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return parameters;
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(parameters.keySet());
  }

  @Override
  public String @Nullable [] getParameterValues(String name) {
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
