package io.hookguard.spring;

import io.hookguard.Handshake;
import io.hookguard.VerifiedWebhook;
import io.hookguard.delivery.WebhookEndpoint;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;

/**
 * Checks the handler methods (Spring MVC's or Spring WebFlux's) against the configured endpoints at startup, instead of
 * at the first delivery: a {@link Webhook} naming an endpoint that is not configured fails
 * startup, and so does a {@link VerifiedWebhook} parameter on a handler without {@link Webhook}
 * (its deliveries would never be verified). So does an endpoint whose sender proves it with a
 * {@code GET} or {@code HEAD} handshake (Meta, Braintree, Mandrill) when no handler of it is mapped
 * for that method: the framework would answer the handshake 405 before Hookguard saw it, and the
 * sender could not be subscribed. A configured endpoint no handler uses is logged as a warning:
 * the handler meant for it is probably missing its annotation.
 */
final class WebhookHandlerCheck implements SmartInitializingSingleton {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandlerCheck.class);

  private final WebhookEndpoints endpoints;
  private final Supplier<Collection<Mapped>> handlerMethods;
  private final Supplier<Set<String>> usedElsewhere;

  /**
   * @param endpoints the endpoints
   * @param handlerMethods every handler method of the web stack's request mappings, with the HTTP
   *     methods each is mapped for
   * @param usedElsewhere endpoints used other than by {@link Webhook} (WebFlux functional routes)
   */
  WebhookHandlerCheck(WebhookEndpoints endpoints, Supplier<Collection<Mapped>> handlerMethods,
      Supplier<Set<String>> usedElsewhere) {
    this.endpoints = endpoints;
    this.handlerMethods = handlerMethods;
    this.usedElsewhere = usedElsewhere;
  }

  /**
   * One request mapping's handler method.
   *
   * @param handler the method
   * @param methods the HTTP methods it is mapped for; empty when it is mapped for every method
   */
  record Mapped(HandlerMethod handler, Set<RequestMethod> methods) {}

  @Override
  public void afterSingletonsInstantiated() {
    Collection<Mapped> mapped = handlerMethods.get();
    Set<String> used = new LinkedHashSet<>(usedElsewhere.get());
    Map<String, Set<RequestMethod>> methodsByEndpoint = new LinkedHashMap<>();
    for (Mapped mapping : mapped) {
      HandlerMethod handler = mapping.handler();
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
      methodsByEndpoint.computeIfAbsent(name, unused -> EnumSet.noneOf(RequestMethod.class))
          .addAll(mapping.methods().isEmpty() ? EnumSet.allOf(RequestMethod.class) : mapping.methods());
    }
    methodsByEndpoint.forEach(this::checkHandshakeIsRouted);
    for (Mapped mapping : mapped) {
      HandlerMethod handler = mapping.handler();
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

  private void checkHandshakeIsRouted(String name, Set<RequestMethod> methods) {
    WebhookEndpoint endpoint = endpoints.get(name).orElseThrow();
    Handshake handshake = endpoint.verifier().scheme().handshake().orElse(null);
    if (handshake == null) {
      return;
    }
    RequestMethod method = RequestMethod.valueOf(handshake.method());
    // Both stacks serve HEAD with a GET handler when nothing maps HEAD itself.
    if (methods.contains(method) || (method == RequestMethod.HEAD && methods.contains(RequestMethod.GET))) {
      return;
    }
    throw new HookguardConfigurationException("hookguard.endpoints." + name,
        "hookguard.endpoints." + name + " verifies " + endpoint.verifier().scheme().id() + ", which proves the"
            + " endpoint with a " + method + " request (" + handshake + "), but its @Webhook(\"" + name
            + "\") handlers are mapped only for " + methods + ": the framework would answer that request 405"
            + " before Hookguard could",
        "Map a @Webhook(\"" + name + "\") handler for " + method + " as well, e.g. @RequestMapping(path = ..., method"
            + " = {RequestMethod." + method + ", RequestMethod.POST}); Hookguard answers the handshake itself"
            + " and the handler never sees it.");
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
