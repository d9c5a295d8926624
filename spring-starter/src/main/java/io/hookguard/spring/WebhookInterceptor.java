package io.hookguard.spring;

import io.hookguard.servlet.BufferedBodyRequest;
import io.hookguard.servlet.DeliveryAuditor;
import io.hookguard.servlet.WebhookEndpoint;
import io.hookguard.servlet.WebhookFilter;
import io.hookguard.servlet.WebhookGate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Runs the {@link WebhookGate} for {@link Webhook} handlers before their arguments are bound,
 * and finishes the dedup claim with the handler's outcome afterwards.
 */
final class WebhookInterceptor implements HandlerInterceptor {
  private static final String PROCEED_ATTRIBUTE = WebhookInterceptor.class.getName() + ".proceed";

  private final WebhookEndpoints endpoints;
  private final WebhookGate gate;
  private final @Nullable WebhookMetrics metrics;
  private final DeliveryAuditor auditor;

  WebhookInterceptor(WebhookEndpoints endpoints, WebhookGate gate, @Nullable WebhookMetrics metrics,
      DeliveryAuditor auditor) {
    this.endpoints = endpoints;
    this.gate = gate;
    this.metrics = metrics;
    this.auditor = auditor;
  }

  /**
   * Handler methods' endpoint names, looked up once each rather than on every request; held by
   * this (per-context) interceptor, not statically, so a restarted context's classes can unload.
   */
  private final Map<HandlerKey, Optional<String>> names = new ConcurrentHashMap<>();

  private record HandlerKey(Class<?> beanType, Method method) {}

  /** The endpoint name of a handler, from the method's annotation or else its class's. */
  static @Nullable String endpointName(HandlerMethod handler) {
    return lookUp(new HandlerKey(handler.getBeanType(), handler.getMethod())).orElse(null);
  }

  private static Optional<String> lookUp(HandlerKey key) {
    Webhook webhook = AnnotatedElementUtils.findMergedAnnotation(key.method(), Webhook.class);
    if (webhook == null) {
      webhook = AnnotatedElementUtils.findMergedAnnotation(key.beanType(), Webhook.class);
    }
    return Optional.ofNullable(webhook).map(Webhook::value);
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws Exception {
    if (!(handler instanceof HandlerMethod method) || request.getAttribute(PROCEED_ATTRIBUTE) != null) {
      // Not a handler method, or a later (async) dispatch of a delivery checked already.
      return true;
    }
    String name = names.computeIfAbsent(new HandlerKey(method.getBeanType(), method.getMethod()),
        WebhookInterceptor::lookUp).orElse(null);
    if (name == null) {
      return true;
    }
    WebhookEndpoint endpoint = endpoints.get(name).orElseThrow(() -> new IllegalStateException(
        "@Webhook(\"" + name + "\") on " + method + " but hookguard.endpoints." + name + " is not configured"));
    String provider = endpoint.verifier().scheme().id();
    long start = System.nanoTime();
    WebhookGate.Decision decision;
    try {
      decision = gate.check(endpoint, BufferedBodyRequest.wrap(request));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WebhookRejectedException(WebhookGate.interrupted());
    }
    if (metrics != null) {
      metrics.checked(name, provider, Duration.ofNanos(System.nanoTime() - start));
    }
    if (decision instanceof WebhookGate.Refuse refuse) {
      record(name, provider, refuse.problem().slug());
      auditor.refused(endpoint, request, refuse.problem());
      throw new WebhookRejectedException(refuse.problem());
    }
    if (decision instanceof WebhookGate.Acknowledge) {
      record(name, provider, "duplicate");
      auditor.duplicate(endpoint, request);
      WebhookFilter.acknowledge(response);
      return false;
    }
    if (decision instanceof WebhookGate.Ignore) {
      record(name, provider, "ignored");
      auditor.ignored(endpoint, request);
      WebhookFilter.ignore(response);
      return false;
    }
    request.setAttribute(PROCEED_ATTRIBUTE,
        new Running(name, endpoint, (WebhookGate.Proceed) decision, System.nanoTime()));
    return true;
  }

  @Override
  public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
      @Nullable Exception ex) {
    if (request.isAsyncStarted()) {
      // The async dispatch that ends the request completes it again.
      return;
    }
    Object attribute = request.getAttribute(PROCEED_ATTRIBUTE);
    if (attribute instanceof Running running) {
      request.removeAttribute(PROCEED_ATTRIBUTE);
      int status = ex != null && response.getStatus() < 400 ? 500 : response.getStatus();
      boolean succeeded = ex == null && running.endpoint().succeeded(status);
      boolean recorded = running.proceed().finish(succeeded);
      record(running.name(), running.endpoint().verifier().scheme().id(), succeeded ? "processed" : "failed");
      auditor.handled(running.endpoint(), request, running.proceed(), status, succeeded, recorded,
          Duration.ofNanos(System.nanoTime() - running.start()));
    }
  }

  private void record(String name, String provider, String outcome) {
    if (metrics != null) {
      metrics.outcome(name, provider, outcome);
    }
  }

  private record Running(String name, WebhookEndpoint endpoint, WebhookGate.Proceed proceed, long start) {}
}
