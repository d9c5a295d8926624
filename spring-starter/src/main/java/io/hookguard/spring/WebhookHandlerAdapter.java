package io.hookguard.spring;

import io.hookguard.delivery.WebhookEndpoint;
import org.springframework.core.Ordered;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.DispatchExceptionHandler;
import org.springframework.web.reactive.HandlerAdapter;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The Spring WebFlux adapter of the delivery lifecycle for {@link Webhook} handler methods: ahead
 * of Spring's own {@link RequestMappingHandlerAdapter} (it is ordered first and supports exactly
 * the {@code @Webhook} handlers), it reads, verifies and claims the delivery before any argument
 * is bound, then lets Spring's adapter run the handler on the verified exchange. It notes whether
 * the answer is the handler's own (only that may complete the event) or an exception handler's.
 */
final class WebhookHandlerAdapter implements HandlerAdapter, Ordered {
  private final WebhookEndpoints endpoints;
  private final HookguardWebFlux hookguard;
  private final HandlerAdapter delegate;
  private final WebhookHandlers handlers = new WebhookHandlers();

  WebhookHandlerAdapter(WebhookEndpoints endpoints, HookguardWebFlux hookguard, RequestMappingHandlerAdapter delegate) {
    this.endpoints = endpoints;
    this.hookguard = hookguard;
    this.delegate = delegate;
  }

  @Override
  public boolean supports(Object handler) {
    return handler instanceof HandlerMethod method && handlers.endpointName(method) != null;
  }

  @Override
  public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
    HandlerMethod method = (HandlerMethod) handler;
    String name = handlers.endpointName(method);
    WebhookEndpoint endpoint = name == null ? null : endpoints.get(name).orElse(null);
    if (endpoint == null) {
      // The startup check makes this unreachable; refuse rather than run the handler unverified.
      return Mono.error(new IllegalStateException(
          "@Webhook(\"" + name + "\") on " + method + " but hookguard.endpoints." + name + " is not configured"));
    }
    return hookguard.receive(endpoint, exchange).flatMap(verified -> HookguardWebFlux.invoking(verified.slot(),
            () -> delegate.handle(verified.exchange(), handler))
        .doOnNext(result -> {
          if (isFrom(result, method)) {
            verified.slot().returned();
            DispatchExceptionHandler later = result.getExceptionHandler();
            if (later != null) {
              // A reactive return value that fails while its answer is written: advice answers.
              result.setExceptionHandler((failed, error) -> {
                verified.slot().failed();
                return later.handleError(failed, error);
              });
            }
          } else {
            verified.slot().failed(); // the handler threw and an @ExceptionHandler answered
          }
        })
        .transform(ReactiveExchange.resultOnEventLoop(exchange)));
  }

  /** Whether a result is the handler's own rather than an exception handler's. */
  private static boolean isFrom(HandlerResult result, HandlerMethod method) {
    return result.getHandler() instanceof HandlerMethod from && from.getMethod().equals(method.getMethod());
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
