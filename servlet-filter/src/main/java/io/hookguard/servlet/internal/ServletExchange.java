package io.hookguard.servlet.internal;

import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.IncomingRequest;
import io.hookguard.delivery.Reception;
import io.hookguard.delivery.RunningDelivery;
import io.hookguard.delivery.WebhookEndpoint;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The servlet side of the delivery lifecycle, shared by Hookguard's servlet adapters (the filter
 * and the Spring MVC integration): HTTP in, answers out. Internal to Hookguard.
 */
public final class ServletExchange {
  private ServletExchange() {}

  /**
   * Runs the lifecycle on a servlet request: its neutral view (headers read from the container as
   * the lifecycle asks for them, the body from the request's stream), then the checks.
   *
   * @param lifecycle the lifecycle
   * @param endpoint the endpoint the request is addressed to
   * @param request the request, its body not yet read
   * @return the answer to send, or the delivery to run
   */
  public static Reception receive(DeliveryLifecycle lifecycle, WebhookEndpoint endpoint, HttpServletRequest request) {
    // What the container saw, not what a wrapper in front of Hookguard says: an application filter
    // that rewrites the peer, host or scheme from forwarded headers (Spring's ForwardedHeaderFilter
    // trusts every client) must not decide the client address or the signed URL. Only the
    // TrustedProxies model does. The body is read through the chain as given.
    HttpServletRequest container = innermost(request);
    ContainerHeaders headers = new ContainerHeaders(container);
    String host = container.getHeader("Host");
    String authority = host != null ? host : container.getServerName() + ":" + container.getServerPort();
    IncomingRequest incoming = new IncomingRequest(container.getMethod(), container.getScheme(), authority,
        container.getRequestURI(), container.getQueryString(), headers, container.getRemoteAddr(),
        BodySource.ofStream(request::getInputStream, request.getContentLengthLong()));
    try {
      Reception reception = lifecycle.receive(endpoint, incoming);
      if (reception instanceof RunningDelivery running) {
        // Its event id and type may come from headers and are read lazily: read them now, while
        // the request is the container's (the lifecycle does already; this keeps it so).
        running.webhook().eventId();
      }
      return reception;
    } finally {
      // The request object is the container's, recycled after the exchange: nothing the delivery
      // carries on may reach it through the headers.
      headers.detach();
    }
  }

  private static HttpServletRequest innermost(HttpServletRequest request) {
    jakarta.servlet.ServletRequest current = request;
    while (current instanceof jakarta.servlet.ServletRequestWrapper wrapper
        && wrapper.getRequest() instanceof HttpServletRequest inner) {
      current = inner;
    }
    return (HttpServletRequest) current;
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
    if (answer.leftBodyUnread() && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null)) {
      // The body was not read (or not to its end): the connection cannot carry another request,
      // and a client that reused it would find it closed under its next one.
      response.setHeader("Connection", "close");
    }
    byte[] body = answer.body();
    response.setContentLength(body.length);
    if (body.length > 0) {
      response.getOutputStream().write(body);
    }
    response.flushBuffer();
  }
}
