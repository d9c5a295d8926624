package io.hookguard.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The peer baseline of {@link FilterThroughput}: the Stripe webhook filter a competent user would
 * write by hand instead of using Hookguard, so that the benchmark can say what Hookguard costs
 * against that rather than only against no filter at all. Per request it
 *
 * <ul>
 *   <li>reads the body into a {@code byte[]}, refusing (413) past a 1 MiB cap;
 *   <li>parses {@code Stripe-Signature} ({@code t=…}, one or more {@code v1=<hex>}; 400 when
 *       missing or malformed);
 *   <li>computes HMAC-SHA256 over {@code t.body} with a pre-initialised {@link Mac}, one clone per
 *       thread, hex-decodes each {@code v1} and compares with {@link MessageDigest#isEqual} (401);
 *   <li>checks the timestamp against a five-minute window on both sides (401);
 *   <li>reads the event {@code id} with Jackson's streaming parser (400 without one);
 *   <li>deduplicates on the id in a {@link ConcurrentHashMap}: {@code putIfAbsent} claims it
 *       (in progress), a 2xx completes it, any other status or an exception removes it so the
 *       sender's retry runs; a completed duplicate gets 200 and an in-progress one 409, neither
 *       reaching the servlet;
 *   <li>hands the servlet a wrapper that serves the cached body (stream and reader).
 * </ul>
 *
 * <p>What it leaves out, compared with Hookguard's {@code WebhookFilter} over the delivery
 * lifecycle: no body fingerprint (a different body under a seen id is taken as a duplicate
 * instead of 422), no leases or TTL (an in-progress id whose handler hangs stays claimed; the map
 * grows without bound, where Hookguard's Caffeine store retains 72 h and is size-bounded), no
 * problem+json answers or refusal catalogue (bare status codes), no read timeout or
 * Content-Encoding check, no charset check, no form-parameter handling from signed bytes, no
 * trusted-proxy or source allowlist, no key rotation, no audit or metrics listeners, no async
 * request support, no verified metadata for the application, and one provider hard-wired. It is a
 * benchmark baseline, not code to copy.
 */
public final class HandRolledStripeFilter implements Filter {
  private static final int MAX_BODY = 1 << 20;
  private static final long TOLERANCE_SECONDS = 300;
  private static final JsonFactory JSON = new JsonFactory();

  private final Mac prototype;
  private final ThreadLocal<Mac> macs;
  /** FALSE: in progress; TRUE: completed. */
  private final ConcurrentMap<String, Boolean> seen = new ConcurrentHashMap<>();

  /**
   * @param secret the endpoint's signing secret ({@code whsec_…}), used as UTF-8 bytes as Stripe does
   */
  public HandRolledStripeFilter(String secret) {
    try {
      prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    macs = ThreadLocal.withInitial(() -> {
      try {
        return (Mac) prototype.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (request.getContentLengthLong() > MAX_BODY) {
      response.sendError(413);
      return;
    }
    byte[] body = readBody(request.getInputStream(), (int) request.getContentLengthLong());
    if (body == null) {
      response.sendError(413);
      return;
    }
    String header = request.getHeader("Stripe-Signature");
    if (header == null) {
      response.sendError(400);
      return;
    }
    long timestamp = -1;
    String timestampText = null;
    java.util.List<String> signatures = new java.util.ArrayList<>(1);
    for (String item : header.split(",")) {
      int equals = item.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      String key = item.substring(0, equals).trim();
      String value = item.substring(equals + 1).trim();
      if (key.equals("t")) {
        try {
          timestamp = Long.parseLong(value);
          timestampText = value;
        } catch (NumberFormatException e) {
          response.sendError(400);
          return;
        }
      } else if (key.equals("v1")) {
        signatures.add(value);
      }
    }
    if (timestampText == null || signatures.isEmpty()) {
      response.sendError(400);
      return;
    }
    Mac mac = macs.get();
    mac.update(timestampText.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) '.');
    byte[] expected = mac.doFinal(body);
    boolean matched = false;
    for (String signature : signatures) {
      try {
        matched |= MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature));
      } catch (IllegalArgumentException e) {
        // not hex: no match
      }
    }
    if (!matched || Math.abs(System.currentTimeMillis() / 1000 - timestamp) > TOLERANCE_SECONDS) {
      response.sendError(401);
      return;
    }
    String id = eventId(body);
    if (id == null) {
      response.sendError(400);
      return;
    }
    Boolean previous = seen.putIfAbsent(id, Boolean.FALSE);
    if (previous != null) {
      response.setStatus(previous ? 200 : 409);
      return;
    }
    try {
      chain.doFilter(new CachedBodyRequest(request, body), response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      seen.remove(id, Boolean.FALSE);
      throw e;
    }
    int status = response.getStatus();
    if (status >= 200 && status < 300) {
      seen.replace(id, Boolean.FALSE, Boolean.TRUE);
    } else {
      seen.remove(id, Boolean.FALSE);
    }
  }

  /** The body, or null past the cap. */
  private static byte @Nullable [] readBody(InputStream in, int declared) throws IOException {
    byte[] buffer = new byte[declared >= 0 ? Math.min(declared + 1, MAX_BODY + 1) : 8192];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (length > MAX_BODY) {
          return null;
        }
        buffer = Arrays.copyOf(buffer, Math.min(MAX_BODY + 1, buffer.length * 2));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
    }
    return length > MAX_BODY ? null : Arrays.copyOf(buffer, length);
  }

  /** The top-level {@code id} string of a JSON object, or null. */
  private static @Nullable String eventId(byte[] body) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("id")) {
          return value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /** Serves the cached body to the servlet. */
  private static final class CachedBodyRequest extends HttpServletRequestWrapper {
    private final byte[] body;

    CachedBodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
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
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("blocking reads only");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
