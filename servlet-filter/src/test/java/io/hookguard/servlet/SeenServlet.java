package io.hookguard.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookguard.VerifiedWebhook;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The application behind the filter in the attack tests: records every request it sees
 * (verified or not) with the probe id of its {@code X-Probe} header, reads a verified delivery's
 * body as an application would (stream, then reader, then parameters), and answers 200 with what
 * it saw as JSON.
 */
final class SeenServlet extends HttpServlet {
  static final String PROBE_HEADER = "X-Probe";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request the servlet handled. */
  record Seen(@Nullable String probe, String method, String uri, @Nullable String query, boolean verified,
      @Nullable String eventId, String bodySha256, Map<String, List<String>> parameters) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  /** @return every request seen so far */
  List<Seen> seen() {
    return List.copyOf(seen);
  }

  /**
   * @param probe a probe id
   * @return the requests that carried it
   */
  List<Seen> seen(String probe) {
    return seen.stream().filter(s -> probe.equals(s.probe())).toList();
  }

  /**
   * @param sha256 the hex SHA-256 of a body
   * @return how many requests with that body the servlet handled
   */
  long runsWithBody(String sha256) {
    return seen.stream().filter(s -> s.bodySha256().equals(sha256)).count();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    VerifiedWebhook verified = WebhookFilter.verifiedWebhook(request).orElse(null);
    byte[] body = request.getInputStream().readAllBytes();
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    String reader = null;
    if (verified != null) {
      // What an application does with a verified delivery: read it again, as text, as parameters.
      StringWriter text = new StringWriter();
      request.getReader().transferTo(text);
      reader = text.toString();
      request.getParameterMap().forEach((name, values) -> parameters.put(name, List.of(values)));
    }
    seen.add(new Seen(request.getHeader(PROBE_HEADER), request.getMethod(), request.getRequestURI(),
        request.getQueryString(), verified != null, verified == null ? null : verified.eventId().orElse(null),
        RecordingServlet.sha256(body), parameters));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("verified", verified != null);
    answer.put("eventId", verified == null ? null : verified.eventId().orElse(null));
    answer.put("sha256", RecordingServlet.sha256(body));
    answer.put("readerChars", reader == null ? -1 : reader.length());
    answer.put("parameters", parameters);
    answer.put("command", request.getParameter("command"));
    String[] commands = request.getParameterValues("command");
    answer.put("commandValues", commands == null ? null : new ArrayList<>(Arrays.asList(commands)));
    answer.put("extra", request.getParameter("extra"));
    response.setStatus(200);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(JSON.writeValueAsString(answer));
  }
}
