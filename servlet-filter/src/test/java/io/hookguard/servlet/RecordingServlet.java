package io.hookguard.servlet;

import io.hookguard.VerifiedWebhook;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application behind the filter: counts its runs per event id and answers with what it
 * could read. Query parameters steer it: {@code status}, {@code sleep} (ms), {@code throw},
 * {@code async} (answer from an async dispatch).
 */
public final class RecordingServlet extends HttpServlet {
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  /** @return how many requests reached the servlet's handling (async first halves excluded) */
  public int requests() {
    return requests.get();
  }

  /**
   * @param eventId an event id
   * @return how often the servlet handled it
   */
  public int runsOf(String eventId) {
    AtomicInteger count = runs.get(eventId);
    return count == null ? 0 : count.get();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (control(request, "async") != null && request.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
      AsyncContext async = request.startAsync();
      async.start(() -> {
        sleep(Long.parseLong(valueOr(control(request, "sleep"), "50")));
        async.dispatch();
      });
      return;
    }
    requests.incrementAndGet();
    VerifiedWebhook verified = WebhookFilter.verifiedWebhook(request).orElse(null);
    if (verified != null) {
      runs.computeIfAbsent(verified.eventId().orElse("(none)"), id -> new AtomicInteger()).incrementAndGet();
    }
    if (control(request, "async") == null) {
      sleep(Long.parseLong(valueOr(control(request, "sleep"), "0")));
    }
    if (control(request, "throw") != null) {
      throw new IllegalStateException("application failure");
    }
    byte[] streamed = request.getInputStream().readAllBytes();
    // Only the filter's request may be read twice and through both APIs; a container's may not.
    byte[] again = verified == null ? streamed : request.getInputStream().readAllBytes();
    StringWriter read = new StringWriter();
    if (verified != null) {
      request.getReader().transferTo(read);
    }
    response.setStatus(Integer.parseInt(valueOr(control(request, "status"), "200")));
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write("{\"provider\":\"" + (verified == null ? "" : verified.provider())
        + "\",\"eventId\":\"" + (verified == null ? "" : verified.eventId().orElse("")) + "\""
        + ",\"eventType\":\"" + (verified == null ? "" : verified.eventType().orElse("")) + "\""
        + ",\"sha256\":\"" + sha256(streamed) + "\""
        + ",\"rereadEqual\":" + java.util.Arrays.equals(streamed, again)
        + ",\"readerChars\":" + read.toString().length()
        + ",\"contentLength\":" + request.getContentLength()
        + ",\"command\":\"" + valueOr(request.getParameter("command"), "") + "\""
        + ",\"text\":\"" + valueOr(request.getParameter("text"), "").replace("\"", "\\\"") + "\""
        + ",\"dispatch\":\"" + request.getDispatcherType() + "\"}");
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A test control (status, sleep, throw, async) from the raw query string: the filter hides
   * unsigned query parameters from getParameter, as it should, so the test reads them itself.
   */
  static @org.jspecify.annotations.Nullable String control(HttpServletRequest request, String name) {
    String query = request.getQueryString();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (key.equals(name)) {
        return equals < 0 ? "" : pair.substring(equals + 1);
      }
    }
    return null;
  }

  private static String valueOr(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
