package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.TrustedProxies;
import io.hookguard.VerifiedWebhook;
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

/**
 * Verifies and deduplicates webhook deliveries before the application reads a byte. For a request
 * to a configured {@link WebhookEndpoint} path it:
 *
 * <ol>
 *   <li>rejects compressed bodies (415: senders sign the uncompressed body, and inflating
 *       unverified input invites decompression bombs) and bodies over the limit (413, from
 *       {@code Content-Length} before reading, or once the read passes the limit);
 *   <li>reads the body once and verifies it over exactly those bytes; a rejection is answered as
 *       {@code application/problem+json} (400/401) and never reaches the application;
 *   <li>with dedup configured, claims the event: duplicates of a processed event are answered
 *       200 with {@value #REPLAY_HEADER}{@code : true}, a duplicate while the first still runs
 *       409, the same id with another body 422, no event id 400, a store outage 503 (each with
 *       {@code Retry-After} where a retry helps);
 *   <li>runs the rest of the chain with a request whose body can be read again (stream, reader,
 *       form parameters) and whose {@link #verifiedWebhook verified metadata} is an attribute;
 *       a 2xx answer completes the event, anything else or an exception releases it so the
 *       sender's retry runs. Async requests are finished when their async cycle completes.
 * </ol>
 *
 * <p>Map it to the paths of its endpoints (e.g. {@code /webhooks/*}) for the {@code REQUEST} and
 * {@code ASYNC} dispatcher types (and {@code ERROR} if you like): a request is verified once, on
 * its first dispatch; later dispatches see the same cached body. Endpoints are matched against
 * the path the container resolved, repeated and trailing slashes ignored; a request under the
 * mapping that matches no endpoint is answered 404 unless {@link Builder#passUnmatchedRequests()}.
 * Immutable and thread-safe.
 *
 * <p>The URL handed to URL-signing schemes (Twilio, Square, HubSpot) and the client address
 * checked by source allowlists are the container's, unless {@link Builder#proxies} names the
 * proxies trusted to report them.
 */
public final class WebhookFilter implements Filter {
  /** The request attribute holding the {@link VerifiedWebhook} of a verified delivery. */
  public static final String VERIFIED_WEBHOOK_ATTRIBUTE = VerifiedWebhook.class.getName();

  /** The header on a 200 that acknowledges a duplicate without running the application. */
  public static final String REPLAY_HEADER = "Hookguard-Replay";

  /** Marks a request this filter handled, so that later dispatches reuse its cached body. */
  private static final String BODY_ATTRIBUTE = WebhookFilter.class.getName() + ".body";

  /** The header on a 200 that acknowledges a delivery of an event type the endpoint does not handle. */
  public static final String IGNORED_HEADER = "Hookguard-Ignored";

  private final Map<String, WebhookEndpoint> endpoints;
  private final WebhookGate gate;
  private final DeliveryAuditor auditor;
  private final boolean passUnmatched;

  private WebhookFilter(Builder builder) {
    this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(builder.endpoints));
    this.gate = WebhookGate.create(builder.proxies);
    this.auditor = new DeliveryAuditor(builder.auditListeners);
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
    Object cached = request.getAttribute(BODY_ATTRIBUTE);
    if (cached instanceof BufferedBodyRequest.Captured captured) {
      // A later dispatch (async, error) of a delivery checked already: same bytes, no second check.
      chain.doFilter(BufferedBodyRequest.ofCaptured(request, captured), response);
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
        WebhookProblem.noSuchEndpoint().writeTo(response);
      }
      return;
    }
    BufferedBodyRequest buffered = BufferedBodyRequest.wrap(request);
    WebhookGate.Decision decision;
    try {
      decision = gate.check(endpoint, buffered);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      WebhookGate.interrupted().writeTo(response);
      return;
    }
    if (buffered.isCaptured()) {
      request.setAttribute(BODY_ATTRIBUTE, buffered.captured());
    }
    if (decision instanceof WebhookGate.Refuse refuse) {
      auditor.refused(endpoint, request, refuse.problem());
      refuse.problem().writeTo(response);
    } else if (decision instanceof WebhookGate.Acknowledge) {
      auditor.duplicate(endpoint, request);
      acknowledge(response);
    } else if (decision instanceof WebhookGate.Ignore) {
      auditor.ignored(endpoint, request);
      ignore(response);
    } else {
      run(endpoint, (WebhookGate.Proceed) decision, buffered, response, chain);
    }
  }

  /**
   * Answers a delivery of an unexpected event type: 200, {@value #IGNORED_HEADER}{@code : event-type}.
   *
   * @param response the response
   */
  public static void ignore(HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader(IGNORED_HEADER, "event-type");
    response.setContentLength(0);
  }

  /**
   * Answers a duplicate of a processed event: 200, {@value #REPLAY_HEADER}{@code : true}, no body.
   *
   * @param response the response
   */
  public static void acknowledge(HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader(REPLAY_HEADER, "true");
    response.setContentLength(0);
  }

  private void run(WebhookEndpoint endpoint, WebhookGate.Proceed proceed, BufferedBodyRequest request,
      HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    long start = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      finish(endpoint, proceed, request, 500, false, start);
      throw e;
    }
    if (request.isAsyncStarted()) {
      request.getAsyncContext().addListener(new FinishOnCompletion(this, endpoint, proceed, request, response, start));
    } else {
      int status = response.getStatus();
      finish(endpoint, proceed, request, status, endpoint.succeeded(status), start);
    }
  }

  private void finish(WebhookEndpoint endpoint, WebhookGate.Proceed proceed, HttpServletRequest request, int status,
      boolean succeeded, long start) {
    boolean recorded = proceed.finish(succeeded);
    auditor.handled(endpoint, request, proceed, status, succeeded, recorded,
        java.time.Duration.ofNanos(System.nanoTime() - start));
  }

  /** Finishes a delivery when the async cycle of its request ends. */
  private record FinishOnCompletion(WebhookFilter filter, WebhookEndpoint endpoint, WebhookGate.Proceed proceed,
      HttpServletRequest request, HttpServletResponse response, long start) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      int status = response.getStatus();
      filter.finish(endpoint, proceed, request, status, endpoint.succeeded(status), start);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      filter.finish(endpoint, proceed, request, response.getStatus(), false, start);
    }

    @Override
    public void onError(AsyncEvent event) {
      filter.finish(endpoint, proceed, request, response.getStatus(), false, start);
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
    private final java.util.List<DeliveryAuditListener> auditListeners = new java.util.ArrayList<>();
    private TrustedProxies proxies = TrustedProxies.none();
    private boolean passUnmatched;

    private Builder() {}

    /**
     * Adds an endpoint.
     *
     * @param endpoint the endpoint
     * @return this builder
     * @throws IllegalArgumentException when another endpoint has the same path
     */
    public Builder endpoint(WebhookEndpoint endpoint) {
      requireNonNull(endpoint, "endpoint");
      if (endpoints.putIfAbsent(canonicalPath(endpoint.path()), endpoint) != null) {
        throw new IllegalArgumentException("two endpoints for the path " + endpoint.path());
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
     * Sends one {@link DeliveryAudit} per delivery to a listener, e.g. a
     * {@link Slf4jDeliveryAuditLogger}.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder audit(DeliveryAuditListener listener) {
      auditListeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Makes the filter.
     *
     * @return the filter
     * @throws IllegalStateException when no endpoint was added
     */
    public WebhookFilter build() {
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("a WebhookFilter needs at least one endpoint");
      }
      return new WebhookFilter(this);
    }
  }
}
