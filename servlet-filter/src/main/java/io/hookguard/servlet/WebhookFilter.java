package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.RejectionReason;
import io.hookguard.TrustedProxies;
import io.hookguard.VerifiedWebhook;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.DeliveryAuditListener;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.Reception;
import io.hookguard.delivery.RunningDelivery;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.servlet.internal.CapturedRequest;
import io.hookguard.servlet.internal.ServletExchange;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The servlet adapter of the {@link DeliveryLifecycle}: verifies and deduplicates webhook
 * deliveries before the application reads a byte. For a request to a configured endpoint path it
 * hands the request to the lifecycle; an {@link Answer} (a refusal as
 * {@code application/problem+json}, an acknowledged duplicate or ignored type) is written as it
 * is, and a verified delivery runs the rest of the chain with a request that serves exactly the
 * verified bytes (stream, reader, parameters from signed bytes) and carries its
 * {@link #verifiedWebhook verified metadata}. The application's status finishes the delivery: a
 * 2xx completes the event, anything else or an exception releases it so the sender's retry runs;
 * async requests are finished when their async cycle completes.
 *
 * <p>Map it to the paths of its endpoints (e.g. {@code /webhooks/*}) for the {@code REQUEST} and
 * {@code ASYNC} dispatcher types (and {@code ERROR} if you like): a request is verified once, on
 * its first dispatch; later dispatches see the same bytes. Endpoints are matched against the path
 * the container resolved, repeated and trailing slashes ignored; a request under the mapping that
 * matches no endpoint is answered 404 unless {@link Builder#passUnmatchedRequests()}. Immutable
 * and thread-safe.
 */
public final class WebhookFilter implements Filter {
  /** The request attribute holding the {@link VerifiedWebhook} of a verified delivery. */
  public static final String VERIFIED_WEBHOOK_ATTRIBUTE = VerifiedWebhook.class.getName();

  /** Marks a request this filter handled, so that later dispatches serve the same bytes. */
  private static final String CAPTURED_ATTRIBUTE = WebhookFilter.class.getName() + ".captured";

  private static final Answer NO_SUCH_ENDPOINT = Answer.refuse(RejectionReason.NO_SUCH_ENDPOINT,
      "no webhook endpoint is configured at this path");

  private final Map<String, WebhookEndpoint> endpoints;
  private final DeliveryLifecycle lifecycle;
  private final boolean passUnmatched;

  private WebhookFilter(Builder builder) {
    this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(builder.endpoints));
    if (builder.lifecycle != null) {
      this.lifecycle = builder.lifecycle;
    } else {
      DeliveryLifecycle.Builder lifecycle = DeliveryLifecycle.builder()
          .proxies(builder.proxies == null ? TrustedProxies.none() : builder.proxies);
      builder.listeners.forEach(lifecycle::listener);
      this.lifecycle = lifecycle.build();
    }
    this.passUnmatched = builder.passUnmatched;
  }

  /**
   * Starts configuring a filter.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The verified metadata of the delivery a request carries (provider, event id, timestamp,
   * type), for the application behind the filter.
   *
   * @param request the request the application received
   * @return the metadata, or empty when the filter did not verify this request
   */
  public static Optional<VerifiedWebhook> verifiedWebhook(ServletRequest request) {
    Object value = request.getAttribute(VERIFIED_WEBHOOK_ATTRIBUTE);
    return value instanceof VerifiedWebhook verified ? Optional.of(verified) : Optional.empty();
  }

  /** @return the configured endpoints by path */
  public Map<String, WebhookEndpoint> endpoints() {
    return endpoints;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    if (request.getAttribute(CAPTURED_ATTRIBUTE) instanceof CapturedRequest.Captured captured) {
      // A later dispatch (async, error) of a delivery checked already: same bytes, no second check.
      chain.doFilter(CapturedRequest.ofCaptured(request, captured), response);
      return;
    }
    DispatcherType dispatch = request.getDispatcherType();
    if (dispatch != DispatcherType.REQUEST && dispatch != DispatcherType.ASYNC) {
      chain.doFilter(request, response);
      return;
    }
    WebhookEndpoint endpoint = endpoints.get(canonicalPath(path(request)));
    if (endpoint == null) {
      if (passUnmatched || dispatch != DispatcherType.REQUEST) {
        chain.doFilter(request, response);
      } else {
        // Under the filter's mapping but no endpoint: a near miss of a configured path must not
        // reach the application unverified.
        ServletExchange.write(NO_SUCH_ENDPOINT, request, response);
      }
      return;
    }
    Reception reception = ServletExchange.receive(lifecycle, endpoint, request);
    if (reception instanceof Answer answer) {
      ServletExchange.write(answer, request, response);
      return;
    }
    RunningDelivery delivery = (RunningDelivery) reception;
    CapturedRequest verified = CapturedRequest.wrap(request);
    request.setAttribute(CAPTURED_ATTRIBUTE, verified.install(delivery));
    request.setAttribute(VERIFIED_WEBHOOK_ATTRIBUTE, delivery.webhook());
    try {
      chain.doFilter(verified, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      delivery.fail(500);
      throw e;
    }
    if (verified.isAsyncStarted()) {
      verified.getAsyncContext().addListener(new FinishOnCompletion(delivery, response));
    } else {
      delivery.finish(response.getStatus());
    }
  }

  /** Finishes a delivery when the async cycle of its request ends. */
  private record FinishOnCompletion(RunningDelivery delivery, HttpServletResponse response) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      delivery.finish(response.getStatus());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      delivery.fail(response.getStatus());
    }

    @Override
    public void onError(AsyncEvent event) {
      delivery.fail(response.getStatus());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // A new async cycle on the same request: keep listening until the request really ends.
      event.getAsyncContext().addListener(this);
    }
  }

  private static String path(HttpServletRequest request) {
    String pathInfo = request.getPathInfo();
    return pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
  }

  /**
   * A path as endpoints are matched: repeated slashes as one, no trailing slash. The container
   * has decoded it and removed dot segments and path parameters already.
   */
  static String canonicalPath(String path) {
    StringBuilder canonical = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c != '/' || canonical.length() == 0 || canonical.charAt(canonical.length() - 1) != '/') {
        canonical.append(c);
      }
    }
    if (canonical.length() > 1 && canonical.charAt(canonical.length() - 1) == '/') {
      canonical.setLength(canonical.length() - 1);
    }
    return canonical.length() == 0 ? "/" : canonical.toString();
  }

  @Override
  public String toString() {
    return "WebhookFilter" + endpoints.keySet();
  }

  /** Configures a {@link WebhookFilter}. */
  public static final class Builder {
    private final Map<String, WebhookEndpoint> endpoints = new LinkedHashMap<>();
    private final java.util.List<DeliveryAuditListener> listeners = new java.util.ArrayList<>();
    private @Nullable TrustedProxies proxies;
    private @Nullable DeliveryLifecycle lifecycle;
    private boolean passUnmatched;

    private Builder() {}

    /**
     * Serves an endpoint at a path.
     *
     * @param path the path inside the web application, e.g. {@code /webhooks/stripe}: matched
     *     against the path the container resolved (servlet path plus path info: decoded, dot
     *     segments and path parameters removed), with repeated and trailing slashes ignored
     * @param endpoint the endpoint
     * @return this builder
     * @throws IllegalArgumentException when the path does not start with '/', or another
     *     endpoint has the same path or the same name
     */
    public Builder endpoint(String path, WebhookEndpoint endpoint) {
      requireNonNull(endpoint, "endpoint");
      if (!requireNonNull(path, "path").startsWith("/")) {
        throw new IllegalArgumentException("an endpoint path starts with '/': " + path);
      }
      if (endpoints.values().stream().anyMatch(other -> other.name().equals(endpoint.name()))) {
        // The name is the dedup namespace: two endpoints under one name would share their keys.
        throw new IllegalArgumentException("two endpoints named " + endpoint.name());
      }
      if (endpoints.putIfAbsent(canonicalPath(path), endpoint) != null) {
        throw new IllegalArgumentException("two endpoints for the path " + path);
      }
      return this;
    }

    /**
     * The proxies in front of the application, trusted to name the client (for source
     * allowlists) and the public URL (for Twilio, Square and HubSpot, which sign it) in the one
     * header family they write. Without this no forwarded header is believed: the client is the
     * peer and the URL is the container's, which is also right when the container handles
     * forwarded headers itself (Tomcat's {@code RemoteIpValve}).
     *
     * @param proxies the trusted proxies
     * @return this builder
     */
    public Builder proxies(TrustedProxies proxies) {
      this.proxies = requireNonNull(proxies, "proxies");
      return this;
    }

    /**
     * Lets requests that match no endpoint through to the application. Off by default: the
     * filter answers them 404, because under its mapping (e.g. {@code /webhooks/*}) a request
     * matching no endpoint is a near miss of one ({@code /webhooks/Stripe},
     * {@code /webhooks/stripe.json}) that the application might still route to a handler,
     * unverified. Turn it on only when the filter is mapped more widely than its endpoints.
     *
     * @return this builder
     */
    public Builder passUnmatchedRequests() {
      this.passUnmatched = true;
      return this;
    }

    /**
     * Sends one {@link io.hookguard.delivery.DeliveryAudit} per delivery to a listener, e.g. a
     * {@link io.hookguard.delivery.Slf4jDeliveryAuditLogger}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder audit(DeliveryAuditListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Runs deliveries through this lifecycle — its proxies and its listeners — instead of one
     * the filter builds from {@link #proxies} and {@link #audit}: for an application that already
     * has a lifecycle (the Spring Boot starter's bean, or the application's own), so that every
     * endpoint, in whichever adapter, trusts the same proxies and reports to the same listeners.
     *
     * @param lifecycle the lifecycle
     * @return this builder
     */
    public Builder lifecycle(DeliveryLifecycle lifecycle) {
      this.lifecycle = requireNonNull(lifecycle, "lifecycle");
      return this;
    }

    /**
     * Makes the filter.
     *
     * @return the filter
     * @throws IllegalStateException when no endpoint was added, or a {@link #lifecycle} was given
     *     together with {@link #proxies} or {@link #audit} (which it would ignore)
     */
    public WebhookFilter build() {
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("a WebhookFilter needs at least one endpoint");
      }
      if (lifecycle != null && (proxies != null || !listeners.isEmpty())) {
        throw new IllegalStateException("a WebhookFilter with its own lifecycle takes the proxies and listeners "
            + "of that lifecycle: configure them there");
      }
      return new WebhookFilter(this);
    }
  }
}
