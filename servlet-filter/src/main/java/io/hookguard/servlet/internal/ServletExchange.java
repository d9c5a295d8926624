package io.hookguard.servlet.internal;

import io.hookguard.WebhookHeaders;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.IncomingRequest;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Map;

/**
 * The servlet side of the delivery lifecycle, shared by Hookguard's servlet adapters (the filter
 * and the Spring MVC integration): HTTP in, answers out. Internal to Hookguard.
 */
public final class ServletExchange {
  private ServletExchange() {}

  /**
   * The neutral view of a servlet request; its body is read from the request's stream.
   *
   * @param request the request, its body not yet read
   * @return the view
   */
  public static IncomingRequest incoming(HttpServletRequest request) {
    WebhookHeaders.Builder headers = WebhookHeaders.builder();
    // Walked directly: a list copy of every enumeration cost an ArrayList per header.
    for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
      String name = names.nextElement();
      for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
        headers.add(name, values.nextElement());
      }
    }
    String host = request.getHeader("Host");
    String authority = host != null ? host : request.getServerName() + ":" + request.getServerPort();
    return new IncomingRequest(request.getMethod(), request.getScheme(), authority, request.getRequestURI(),
        request.getQueryString(), headers.build(), request.getRemoteAddr(),
        BodySource.ofStream(request::getInputStream, request.getContentLengthLong()));
  }

  /**
   * Writes an answer and commits it. A response the container committed already (it does so
   * when the client's connection failed while its body was read) is left alone: no answer can
   * reach that client.
   *
   * @param answer the answer
   * @param request the request, whose container-recorded read failure is cleared so that the
   *     container does not replace the answer with its 500 page
   * @param response the response
   * @throws IOException when writing fails
   */
  public static void write(Answer answer, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(answer.status());
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    byte[] body = answer.body();
    response.setContentLength(body.length);
    if (body.length > 0) {
      response.getOutputStream().write(body);
    }
    response.flushBuffer();
  }
}
