package io.hookguard.spring;

import io.hookguard.servlet.internal.CapturedRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Wraps requests so that {@link WebhookInterceptor} can read a delivery's body before Spring
 * binds it, and Spring then reads the same bytes. The wrapper only delegates until a
 * {@code @Webhook} handler captures the body, so other requests are untouched.
 */
final class BodyBufferingFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(CapturedRequest.wrap(request), response);
  }
}
