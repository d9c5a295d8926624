package io.hookguard.spring;

import io.hookguard.delivery.WebhookEndpoint;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Serves each endpoint in inbox mode at its path on Spring WebFlux, as the servlet side's filter
 * does: the delivery lifecycle reads the body within the limit, verifies it, stores it in the
 * inbox and answers (200 stored, 200 replay, 422, 503 with {@code Retry-After}); no handler is
 * involved. It runs inside {@link WebhookWebFilter}, which writes refusals as problems; the
 * blocking parts (verification, the store) run on the {@code hookguardScheduler}, never on the
 * event loop.
 */
final class InboxWebFilter implements WebFilter, Ordered {
  private final Map<String, WebhookEndpoint> byPath;
  private final HookguardWebFlux hookguard;

  /**
   * @param byPath the endpoints by {@linkplain #canonicalPath canonical} path
   * @param hookguard the adapter that runs the lifecycle
   */
  InboxWebFilter(Map<String, WebhookEndpoint> byPath, HookguardWebFlux hookguard) {
    this.byPath = Map.copyOf(byPath);
    this.hookguard = hookguard;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    WebhookEndpoint endpoint = byPath.get(canonicalPath(exchange.getRequest().getPath().pathWithinApplication()));
    if (endpoint == null) {
      return chain.filter(exchange);
    }
    // An endpoint in inbox mode only ever answers; a running delivery here would be a bug, and
    // the error releases it (WebhookWebFilter) rather than letting anything run.
    return hookguard.receive(endpoint, exchange).flatMap(running -> Mono.<Void>error(new IllegalStateException(
        "the endpoint " + endpoint.name() + " is in inbox mode but a delivery was handed to run")));
  }

  /** A path as endpoints are matched: decoded segments without path parameters, no empty segments. */
  static String canonicalPath(PathContainer path) {
    StringBuilder canonical = new StringBuilder();
    for (PathContainer.Element element : path.elements()) {
      if (element instanceof PathContainer.PathSegment segment && !segment.valueToMatch().isEmpty()) {
        canonical.append('/').append(segment.valueToMatch());
      }
    }
    return canonical.length() == 0 ? "/" : canonical.toString();
  }

  /** The canonical form of a configured path. */
  static String canonicalPath(String path) {
    return canonicalPath(PathContainer.parsePath(path));
  }

  @Override
  public int getOrder() {
    // Inside WebhookWebFilter (which renders refusals and finishes deliveries), before the
    // application's filters: nothing of the application sees an inbox endpoint's request.
    return Ordered.HIGHEST_PRECEDENCE + 150;
  }
}
