package io.hookguard.spring;

import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Fails startup when a {@link Webhook} handler names an endpoint that is not configured, instead
 * of answering its first delivery with a server error.
 */
final class WebhookHandlerCheck implements SmartInitializingSingleton {
  private final WebhookEndpoints endpoints;
  private final ObjectProvider<RequestMappingHandlerMapping> mappings;

  WebhookHandlerCheck(WebhookEndpoints endpoints, ObjectProvider<RequestMappingHandlerMapping> mappings) {
    this.endpoints = endpoints;
    this.mappings = mappings;
  }

  @Override
  public void afterSingletonsInstantiated() {
    mappings.orderedStream().forEach(mapping -> {
      for (Map.Entry<RequestMappingInfo, HandlerMethod> handler : mapping.getHandlerMethods().entrySet()) {
        String name = WebhookInterceptor.endpointName(handler.getValue());
        if (name != null && endpoints.get(name).isEmpty()) {
          throw new HookguardConfigurationException("hookguard.endpoints." + name,
              "@Webhook(\"" + name + "\") on " + handler.getValue().getShortLogMessage() + " names no configured endpoint",
              "Configure hookguard.endpoints." + name + ".provider and .secrets, or fix the name in @Webhook.");
        }
      }
    });
  }
}
