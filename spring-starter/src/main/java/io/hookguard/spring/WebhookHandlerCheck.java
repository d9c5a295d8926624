package io.hookguard.spring;

import io.hookguard.VerifiedWebhook;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Checks the Spring MVC handler methods against the configured endpoints at startup, instead of
 * at the first delivery: a {@link Webhook} naming an endpoint that is not configured fails
 * startup, and so does a {@link VerifiedWebhook} parameter on a handler without {@link Webhook}
 * (its deliveries would never be verified). A configured endpoint no handler uses is logged as a
 * warning: the handler meant for it is probably missing its annotation.
 */
final class WebhookHandlerCheck implements SmartInitializingSingleton {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandlerCheck.class);

  private final WebhookEndpoints endpoints;
  private final ObjectProvider<RequestMappingHandlerMapping> mappings;

  WebhookHandlerCheck(WebhookEndpoints endpoints, ObjectProvider<RequestMappingHandlerMapping> mappings) {
    this.endpoints = endpoints;
    this.mappings = mappings;
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<HandlerMethod> handlers = new ArrayList<>();
    mappings.orderedStream().forEach(mapping -> handlers.addAll(mapping.getHandlerMethods().values()));
    Set<String> used = new LinkedHashSet<>();
    for (HandlerMethod handler : handlers) {
      String name = WebhookInterceptor.endpointName(handler);
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
      if (WebhookInterceptor.endpointName(handler) == null && takesVerifiedWebhook(handler)) {
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
