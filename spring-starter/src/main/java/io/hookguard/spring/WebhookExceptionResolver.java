package io.hookguard.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a {@link WebhookRejectedException} no {@code @ExceptionHandler} took, as
 * {@code application/problem+json}. Registered after the {@code @ControllerAdvice} resolver, so
 * the application's advice comes first.
 */
final class WebhookExceptionResolver implements HandlerExceptionResolver {

  @Override
  public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
      @Nullable Object handler, Exception ex) {
    if (!(ex instanceof WebhookRejectedException rejected) || response.isCommitted()) {
      return null;
    }
    try {
      io.hookguard.servlet.internal.ServletExchange.write(rejected.answer(), request, response);
    } catch (IOException e) {
      // The sender went away; nothing left to answer.
    }
    return new ModelAndView();
  }
}
