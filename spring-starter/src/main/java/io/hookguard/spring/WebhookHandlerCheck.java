package io.hookguard.spring;

import io.hookguard.VerifiedWebhook;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.web.method.HandlerMethod;

/**
 * Checks the handler methods (Spring MVC's or Spring WebFlux's) against the configured endpoints at startup, instead of
 * at the first delivery: a {@link Webhook} naming an endpoint that is not configured fails
 * startup, and so does a {@link VerifiedWebhook} parameter on a handler without {@link Webhook}
 * (its deliveries would never be verified). A configured endpoint no handler uses is logged as a
 * warning: the handler meant for it is probably missing its annotation.
 */
final class WebhookHandlerCheck implements SmartInitializingSingleton {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandlerCheck.class);

  private final WebhookEndpoints endpoints;
  private final Supplier<Collection<HandlerMethod>> handlerMethods;
  private final Supplier<Set<String>> usedElsewhere;

  /**
   * @param endpoints the endpoints
   * @param handlerMethods every handler method of the web stack's request mappings
   * @param usedElsewhere endpoints used other than by {@link Webhook} (WebFlux functional routes)
   */
  WebhookHandlerCheck(WebhookEndpoints endpoints, Supplier<Collection<HandlerMethod>> handlerMethods,
      Supplier<Set<String>> usedElsewhere) {
    this.endpoints = endpoints;
    this.handlerMethods = handlerMethods;
    this.usedElsewhere = usedElsewhere;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Collection<HandlerMethod> handlers = handlerMethods.get();
    Set<String> used = new LinkedHashSet<>(usedElsewhere.get());
    for (HandlerMethod handler : handlers) {
      String name = WebhookHandlers.endpointNameOf(handler);
      if (name == null) {
        continue;
      }
      if (endpoints.get(name).isEmpty()) {
        throw new HookguardConfigurationException("hookguard.endpoints." + name,
            "@Webhook(\"" + name + "\") on " + handler.getShortLogMessage() + " names no configured endpoint",
            "Configure hookguard.endpoints." + name + ".provider and .secrets, or fix the name in @Webhook.");
      }
      used.add(name);
    }
    for (HandlerMethod handler : handlers) {
      if (WebhookHandlers.endpointNameOf(handler) == null && takesVerifiedWebhook(handler)) {
        throw new HookguardConfigurationException("hookguard.endpoints",
            handler.getShortLogMessage() + " takes a VerifiedWebhook but has no @Webhook, so its deliveries"
                + " would never be verified",
            "Annotate the method or its controller with @Webhook(\"<name>\") naming one of the configured"
                + " endpoints " + endpoints.all().keySet() + ", or remove the VerifiedWebhook parameter.");
      }
    }
    for (String name : endpoints.all().keySet()) {
      if (!used.contains(name)) {
        LOG.warn("hookguard.endpoints.{} is configured but no @Webhook(\"{}\") handler uses it: a controller"
            + " meant for it without the annotation runs unverified", name, name);
      }
    }
  }

  private static boolean takesVerifiedWebhook(HandlerMethod handler) {
    for (MethodParameter parameter : handler.getMethodParameters()) {
      if (VerifiedWebhook.class.equals(parameter.getParameterType())) {
        return true;
      }
    }
    return false;
  }
}
