package io.hookguard.spring;

import io.hookguard.delivery.Answer;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.Reception;
import io.hookguard.delivery.RunningDelivery;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.servlet.WebhookFilter;
import io.hookguard.servlet.internal.CapturedRequest;
import io.hookguard.servlet.internal.ServletExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The Spring MVC adapter of the {@link DeliveryLifecycle}: runs it for {@link Webhook} handlers
 * before their arguments are bound, and finishes the delivery with the handler's outcome.
 */
final class WebhookInterceptor implements HandlerInterceptor {
  /** The running delivery between preHandle and afterCompletion: Spring MVC's only channel. */
  private static final String RUNNING_ATTRIBUTE = WebhookInterceptor.class.getName() + ".running";

  /** Set when the handler returned normally: only then may its answer complete the event. */
  private static final String HANDLED_ATTRIBUTE = WebhookInterceptor.class.getName() + ".handled";

  private final WebhookEndpoints endpoints;
  private final DeliveryLifecycle lifecycle;

  WebhookInterceptor(WebhookEndpoints endpoints, DeliveryLifecycle lifecycle) {
    this.endpoints = endpoints;
    this.lifecycle = lifecycle;
  }

  private final WebhookHandlers handlers = new WebhookHandlers();

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws Exception {
    if (!(handler instanceof HandlerMethod method) || request.getAttribute(RUNNING_ATTRIBUTE) != null) {
      // Not a handler method, or a later (async) dispatch of a delivery checked already.
      return true;
    }
    String name = handlers.endpointName(method);
    if (name == null) {
      return true;
    }
    WebhookEndpoint endpoint = endpoints.get(name).orElseThrow(() -> new IllegalStateException(
        "@Webhook(\"" + name + "\") on " + method + " but hookguard.endpoints." + name + " is not configured"));
    CapturedRequest captured = CapturedRequest.wrap(request);
    Reception reception = ServletExchange.receive(lifecycle, endpoint, captured);
    if (reception instanceof Answer answer) {
      if (answer.reason().isPresent()) {
        throw new WebhookRejectedException(answer);
      }
      ServletExchange.write(answer, request, response);
      return false;
    }
    RunningDelivery delivery = (RunningDelivery) reception;
    captured.install(delivery);
    request.setAttribute(WebhookFilter.VERIFIED_WEBHOOK_ATTRIBUTE, delivery.webhook());
    request.setAttribute(RUNNING_ATTRIBUTE, delivery);
    return true;
  }

  @Override
  public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
      org.springframework.web.servlet.@Nullable ModelAndView modelAndView) {
    if (request.getAttribute(RUNNING_ATTRIBUTE) != null) {
      request.setAttribute(HANDLED_ATTRIBUTE, Boolean.TRUE);
    }
  }

  @Override
  public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
      @Nullable Exception ex) {
    if (request.isAsyncStarted()) {
      // The async dispatch that ends the request completes it again.
      return;
    }
    if (request.getAttribute(RUNNING_ATTRIBUTE) instanceof RunningDelivery delivery) {
      request.removeAttribute(RUNNING_ATTRIBUTE);
      boolean handled = request.getAttribute(HANDLED_ATTRIBUTE) != null;
      request.removeAttribute(HANDLED_ATTRIBUTE);
      if (ex != null) {
        delivery.fail(response.getStatus() < 400 ? 500 : response.getStatus());
      } else if (!handled) {
        // The handler threw (and advice answered) or a later interceptor stopped the request:
        // whatever the status, the handler's work was not done, so the sender's retry must run.
        delivery.fail(response.getStatus());
      } else {
        delivery.finish(response.getStatus());
      }
    }
  }
}
