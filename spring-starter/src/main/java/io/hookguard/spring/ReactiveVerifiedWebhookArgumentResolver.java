package io.hookguard.spring;

import io.hookguard.VerifiedWebhook;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/** Gives a WebFlux {@link Webhook} handler the {@link VerifiedWebhook} of its delivery. */
final class ReactiveVerifiedWebhookArgumentResolver implements SyncHandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return VerifiedWebhook.class.equals(parameter.getParameterType());
  }

  @Override
  public Object resolveArgumentValue(MethodParameter parameter, BindingContext bindingContext,
      ServerWebExchange exchange) {
    return HookguardWebFlux.verifiedWebhook(exchange).orElseThrow(() -> new IllegalStateException(
        "no verified delivery: a VerifiedWebhook parameter needs @Webhook on "
            + parameter.getExecutable().toGenericString()));
  }
}
