package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.RejectionReason;
import io.hookguard.Rejection;
import io.hookguard.VerificationResult;
import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.dedup.Admission;
import io.hookguard.dedup.DedupClaim;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupOutcome;
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
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
 * <p>Register it for the {@code REQUEST} and {@code ASYNC} dispatcher types (and {@code ERROR}
 * if you like): a request is verified once, on its first dispatch; later dispatches see the same
 * cached body. Requests to other paths pass through untouched. Immutable and thread-safe.
 *
 * <p>The URL handed to URL-signing schemes (Twilio, Square, HubSpot) is the one the container
 * saw; behind a proxy, {@link Builder#trustForwardedHeaders()} rebuilds it from
 * {@code Forwarded} / {@code X-Forwarded-*}. Trust them only when a proxy you run sets them.
 */
public final class WebhookFilter implements Filter {
  /** The request attribute holding the {@link VerifiedWebhook} of a verified delivery. */
  public static final String VERIFIED_WEBHOOK_ATTRIBUTE = VerifiedWebhook.class.getName();

  /** The header on a 200 that acknowledges a duplicate without running the application. */
  public static final String REPLAY_HEADER = "Hookguard-Replay";

  /** Marks a request this filter handled, so that later dispatches reuse its cached body. */
  private static final String BODY_ATTRIBUTE = WebhookFilter.class.getName() + ".body";

  private final Map<String, WebhookEndpoint> endpoints;
  private final boolean trustForwardedHeaders;

  private WebhookFilter(Builder builder) {
    this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(builder.endpoints));
    this.trustForwardedHeaders = builder.trustForwardedHeaders;
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
    if (cached instanceof byte[] body) {
      // A later dispatch (async, error) of a delivery verified already: same bytes, no second check.
      chain.doFilter(new CachedBodyRequest(request, body), response);
      return;
    }
    DispatcherType dispatch = request.getDispatcherType();
    WebhookEndpoint endpoint = endpoints.get(path(request));
    if (endpoint == null || (dispatch != DispatcherType.REQUEST && dispatch != DispatcherType.ASYNC)) {
      chain.doFilter(request, response);
      return;
    }
    handle(endpoint, request, response, chain);
  }

  private void handle(WebhookEndpoint endpoint, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    String encoding = request.getHeader("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      Problem.unsupportedContentEncoding(encoding.strip()).writeTo(response);
      return;
    }
    long declared = request.getContentLengthLong();
    if (declared > endpoint.maxBodyBytes()) {
      tooLarge(endpoint, response);
      return;
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(endpoint.maxBodyBytes() + 1);
    } catch (IOException e) {
      Problem.of(RejectionReason.UNREADABLE_BODY, "the body could not be read to its end").writeTo(response);
      return;
    }
    if (body.length > endpoint.maxBodyBytes()) {
      tooLarge(endpoint, response);
      return;
    }
    request.setAttribute(BODY_ATTRIBUTE, body);

    VerificationResult result = endpoint.verifier().verify(webhookRequest(request, body));
    if (result instanceof Rejection rejection) {
      Problem.of(rejection.reason(), rejection.detail()).writeTo(response);
      return;
    }
    VerifiedWebhook verified = (VerifiedWebhook) result;
    CachedBodyRequest wrapped;
    try {
      wrapped = new CachedBodyRequest(request, body);
    } catch (IllegalArgumentException e) {
      Problem.of(RejectionReason.UNREADABLE_BODY, "the query string or form body has a malformed %-escape")
          .writeTo(response);
      return;
    }
    request.setAttribute(VERIFIED_WEBHOOK_ATTRIBUTE, verified);

    Optional<DedupEngine> dedup = endpoint.dedup();
    if (dedup.isEmpty()) {
      chain.doFilter(wrapped, response);
      return;
    }
    Admission admission;
    try {
      admission = dedup.get().admit(endpoint.path(), verified.provider(), verified.eventId().orElse(null), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Problem.storeUnavailable(java.time.Duration.ofSeconds(1)).writeTo(response);
      return;
    }
    if (admission instanceof Admission.Refuse refuse) {
      answer(refuse.outcome(), response);
      return;
    }
    runClaimed(endpoint, ((Admission.Run) admission).claim(), wrapped, response, chain);
  }

  private static void runClaimed(WebhookEndpoint endpoint, DedupClaim claim, CachedBodyRequest request,
      HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      claim.finish(false);
      throw e;
    }
    if (request.isAsyncStarted()) {
      request.getAsyncContext().addListener(new FinishOnCompletion(endpoint, claim, response));
    } else {
      claim.finish(endpoint.succeeded(response.getStatus()));
    }
  }

  /** Finishes a claim when the async cycle of its request ends. */
  private record FinishOnCompletion(WebhookEndpoint endpoint, DedupClaim claim, HttpServletResponse response)
      implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      claim.finish(endpoint.succeeded(response.getStatus()));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      claim.finish(false);
    }

    @Override
    public void onError(AsyncEvent event) {
      claim.finish(false);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // A new async cycle on the same request: keep listening until the request really ends.
      event.getAsyncContext().addListener(this);
    }
  }

  private static void answer(DedupOutcome<Void> refusal, HttpServletResponse response) throws IOException {
    if (refusal instanceof DedupOutcome.Duplicate) {
      response.setStatus(HttpServletResponse.SC_OK);
      response.setHeader(REPLAY_HEADER, "true");
      response.setContentLength(0);
    } else if (refusal instanceof DedupOutcome.InProgress<Void> inProgress) {
      Problem.inProgress(inProgress.retryAfter()).writeTo(response);
    } else if (refusal instanceof DedupOutcome.FingerprintMismatch) {
      Problem.fingerprintMismatch().writeTo(response);
    } else if (refusal instanceof DedupOutcome.MissingEventId) {
      Problem.missingEventId().writeTo(response);
    } else if (refusal instanceof DedupOutcome.StoreUnavailable<Void> unavailable) {
      Problem.storeUnavailable(unavailable.retryAfter()).writeTo(response);
    } else {
      throw new IllegalStateException("not a refusal: " + refusal);
    }
  }

  private static void tooLarge(WebhookEndpoint endpoint, HttpServletResponse response) throws IOException {
    // The rest of the body is left to the container, which drains a bounded amount so that the
    // client can read this answer, then closes the connection.
    Problem.of(RejectionReason.BODY_TOO_LARGE, "the body is larger than the endpoint's limit of "
        + endpoint.maxBodyBytes() + " bytes").writeTo(response);
  }

  private static String path(HttpServletRequest request) {
    String pathInfo = request.getPathInfo();
    return pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
  }

  private WebhookRequest webhookRequest(HttpServletRequest request, byte[] body) {
    WebhookHeaders.Builder headers = WebhookHeaders.builder();
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        headers.add(name, value);
      }
    }
    return WebhookRequest.builder()
        .method(request.getMethod())
        .url(url(request))
        .headers(headers.build())
        .body(body)
        .build();
  }

  /** The URL the sender signed: as received, or as the trusted proxy says it was addressed. */
  String url(HttpServletRequest request) {
    StringBuilder url = new StringBuilder();
    Origin origin = trustForwardedHeaders ? Origin.forwarded(request) : null;
    if (origin == null) {
      url.append(request.getRequestURL());
    } else {
      url.append(origin.scheme()).append("://").append(origin.authority()).append(request.getRequestURI());
    }
    String query = request.getQueryString();
    if (query != null) {
      url.append('?').append(query);
    }
    return url.toString();
  }

  /** Scheme and authority from the first (client-facing) hop of the forwarding headers. */
  record Origin(String scheme, String authority) {
    static @Nullable Origin forwarded(HttpServletRequest request) {
      String scheme = null;
      String host = null;
      String forwarded = request.getHeader("Forwarded");
      if (forwarded != null) {
        String firstHop = forwarded.split(",", 2)[0];
        for (String pair : firstHop.split(";")) {
          int equals = pair.indexOf('=');
          if (equals > 0) {
            String name = pair.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String value = unquote(pair.substring(equals + 1).strip());
            if (name.equals("proto")) {
              scheme = value;
            } else if (name.equals("host")) {
              host = value;
            }
          }
        }
      }
      if (scheme == null) {
        scheme = firstValue(request.getHeader("X-Forwarded-Proto"));
      }
      if (host == null) {
        host = firstValue(request.getHeader("X-Forwarded-Host"));
      }
      if (scheme == null && host == null) {
        return null;
      }
      String finalScheme = scheme == null ? request.getScheme() : scheme.toLowerCase(Locale.ROOT);
      String authority = host != null ? host : hostOf(request);
      String port = firstValue(request.getHeader("X-Forwarded-Port"));
      boolean hasPort = authority.endsWith("]") ? false : authority.lastIndexOf(':') > authority.lastIndexOf(']');
      if (port != null && !hasPort && !port.equals(finalScheme.equals("https") ? "443" : "80")) {
        authority = authority + ":" + port;
      }
      return new Origin(finalScheme, authority);
    }

    private static String hostOf(HttpServletRequest request) {
      String host = request.getHeader("Host");
      return host != null ? host : request.getServerName() + ":" + request.getServerPort();
    }

    private static @Nullable String firstValue(@Nullable String header) {
      if (header == null) {
        return null;
      }
      String first = header.split(",", 2)[0].strip();
      return first.isEmpty() ? null : first;
    }

    private static String unquote(String value) {
      return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
          ? value.substring(1, value.length() - 1) : value;
    }
  }

  @Override
  public String toString() {
    return "WebhookFilter" + endpoints.keySet();
  }

  /** Configures a {@link WebhookFilter}. */
  public static final class Builder {
    private final Map<String, WebhookEndpoint> endpoints = new LinkedHashMap<>();
    private boolean trustForwardedHeaders;

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
      if (endpoints.putIfAbsent(endpoint.path(), endpoint) != null) {
        throw new IllegalArgumentException("two endpoints for the path " + endpoint.path());
      }
      return this;
    }

    /**
     * Rebuilds the request URL that URL-signing schemes verify from the first hop of
     * {@code Forwarded} (RFC 7239) or {@code X-Forwarded-Proto/-Host/-Port}. Off by default:
     * anyone can send these headers, so trust them only behind a proxy that overwrites them.
     *
     * @return this builder
     */
    public Builder trustForwardedHeaders() {
      this.trustForwardedHeaders = true;
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
