package io.hookguard.spring;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * Which endpoint a handler method serves: its {@link Webhook}, on the method or else its class.
 * The same lookup for Spring MVC and Spring WebFlux (both map to {@link HandlerMethod}s). Each
 * method is looked up once, by this (per-context) instance rather than statically, so that a
 * restarted context's classes can unload.
 */
final class WebhookHandlers {
  private final Map<HandlerKey, Optional<String>> names = new ConcurrentHashMap<>();

  private record HandlerKey(Class<?> beanType, Method method) {}

  /** The endpoint name of a handler, or null when it has no {@link Webhook}; cached. */
  @Nullable String endpointName(HandlerMethod handler) {
    return names.computeIfAbsent(new HandlerKey(handler.getBeanType(), handler.getMethod()),
        WebhookHandlers::lookUp).orElse(null);
  }

  /** The endpoint name of a handler, or null when it has no {@link Webhook}; not cached (startup checks). */
  static @Nullable String endpointNameOf(HandlerMethod handler) {
    return lookUp(new HandlerKey(handler.getBeanType(), handler.getMethod())).orElse(null);
  }

  private static Optional<String> lookUp(HandlerKey key) {
    Webhook webhook = AnnotatedElementUtils.findMergedAnnotation(key.method(), Webhook.class);
    if (webhook == null) {
      webhook = AnnotatedElementUtils.findMergedAnnotation(key.beanType(), Webhook.class);
    }
    return Optional.ofNullable(webhook).map(Webhook::value);
  }
}
