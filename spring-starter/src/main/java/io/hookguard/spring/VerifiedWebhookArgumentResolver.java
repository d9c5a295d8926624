package io.hookguard.spring;

import io.hookguard.VerifiedWebhook;
import io.hookguard.servlet.WebhookFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives a {@link Webhook} handler the {@link VerifiedWebhook} of its delivery. */
final class VerifiedWebhookArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return VerifiedWebhook.class.equals(parameter.getParameterType());
  }

  @Override
  public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
    Object verified = webRequest.getAttribute(WebhookFilter.VERIFIED_WEBHOOK_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (verified == null) {
      throw new IllegalStateException("no verified delivery: a VerifiedWebhook parameter needs @Webhook on "
          + parameter.getExecutable().toGenericString());
    }
    return verified;
  }
}
