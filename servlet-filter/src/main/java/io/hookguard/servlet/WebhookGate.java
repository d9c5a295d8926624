package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.EventTypeFilter;
import io.hookguard.FormEncoding;
import io.hookguard.Rejection;
import io.hookguard.RejectionReason;
import io.hookguard.SourceAllowlist;
import io.hookguard.TrustedProxies;
import io.hookguard.VerificationResult;
import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookScheme;
import io.hookguard.dedup.Admission;
import io.hookguard.dedup.DedupClaim;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupOutcome;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The checks every delivery passes before the application sees it, in order: content encoding,
 * body size, signature and time window, form encoding, then the dedup claim. {@link WebhookFilter}
 * answers its decisions itself; framework integrations (the Spring starter) map them onto their
 * own error handling. Immutable and thread-safe.
 */
public final class WebhookGate {
  /** When the gate first saw the request (an {@link java.time.Instant}), for the audit trail. */
  static final String RECEIVED_AT_ATTRIBUTE = WebhookGate.class.getName() + ".receivedAt";

  /** The client address the gate attributed the request to, for the audit trail. */
  static final String SOURCE_ATTRIBUTE = WebhookGate.class.getName() + ".source";

  private final TrustedProxies proxies;

  private WebhookGate(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  /**
   * A gate that takes the client address and the public URL from the container, believing no
   * forwarded header.
   *
   * @return the gate
   */
  public static WebhookGate create() {
    return new WebhookGate(TrustedProxies.none());
  }

  /**
   * A gate that learns the client address (for source allowlists) and the public URL (for
   * URL-signing schemes) from the proxies it trusts, as {@link TrustedProxies} describes.
   *
   * @param proxies the proxies in front of the application
   * @return the gate
   */
  public static WebhookGate create(TrustedProxies proxies) {
    return new WebhookGate(requireNonNull(proxies, "proxies"));
  }

  /** What to do with a delivery. */
  public sealed interface Decision {}

  /**
   * Hand the delivery to the application, then {@link #finish} with its outcome.
   *
   * @param delivery the verified delivery
   * @param claim the dedup claim, or {@code null} without dedup (or when it runs unclaimed)
   */
  public record Proceed(VerifiedWebhook delivery, @Nullable DedupClaim claim) implements Decision {
    /**
     * Validates the delivery.
     *
     * @param delivery the verified delivery
     * @param claim the claim, if any
     */
    public Proceed {
      requireNonNull(delivery, "delivery");
    }

    /**
     * Records the application's outcome: completes the event on success, releases it otherwise
     * so that the sender's retry runs. Does nothing without a claim, or the second time.
     *
     * @param succeeded whether the application succeeded
     * @return whether the store recorded the outcome; {@code true} without a claim (nothing to
     *     record), {@code false} when a held claim's completion or release was lost (store down,
     *     lease gone), so that a retry may run the application again
     */
    public boolean finish(boolean succeeded) {
      return claim == null || claim.withoutDedup().isPresent() || claim.finish(succeeded);
    }
  }

  /**
   * A duplicate of a processed event: acknowledge it (200, marked as a replay) without running
   * the application.
   *
   * @param delivery the verified delivery
   */
  public record Acknowledge(VerifiedWebhook delivery) implements Decision {
    /**
     * Validates the delivery.
     *
     * @param delivery the verified delivery
     */
    public Acknowledge {
      requireNonNull(delivery, "delivery");
    }
  }

  /**
   * A verified delivery of an event type the endpoint does not expect: acknowledge it (200,
   * {@code Hookguard-Ignored: event-type}) without running the application.
   *
   * @param delivery the verified delivery
   */
  public record Ignore(VerifiedWebhook delivery) implements Decision {
    /**
     * Validates the delivery.
     *
     * @param delivery the verified delivery
     */
    public Ignore {
      requireNonNull(delivery, "delivery");
    }
  }

  /**
   * Refuse the delivery with this problem.
   *
   * @param problem the answer
   */
  public record Refuse(WebhookProblem problem) implements Decision {
    /**
     * Validates the problem.
     *
     * @param problem the answer
     */
    public Refuse {
      requireNonNull(problem, "problem");
    }
  }

  /**
   * Runs every check on a delivery; on success the verified metadata is set as the
   * {@link WebhookFilter#VERIFIED_WEBHOOK_ATTRIBUTE} request attribute.
   *
   * @param endpoint the endpoint the request was addressed to
   * @param request the request, its body not yet read by anyone
   * @return the decision
   * @throws InterruptedException when waiting for an in-progress duplicate is interrupted
   */
  public Decision check(WebhookEndpoint endpoint, BufferedBodyRequest request) throws InterruptedException {
    request.setAttribute(RECEIVED_AT_ATTRIBUTE, java.time.Instant.now());
    WebhookHeaders headers = headers(request);
    TrustedProxies.Origin origin = proxies.origin(request.getRemoteAddr(), headers);
    request.setAttribute(SOURCE_ATTRIBUTE,
        origin.clientAddress().map(InetAddress::getHostAddress).orElse(request.getRemoteAddr()));
    Optional<SourceAllowlist> sources = endpoint.sources();
    if (sources.isPresent() && !origin.clientAddress().map(sources.get()::allows).orElse(false)) {
      return new Refuse(WebhookProblem.sourceNotAllowed());
    }
    String encoding = request.getHeader("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      return new Refuse(WebhookProblem.unsupportedContentEncoding(encoding.strip()));
    }
    byte[] body;
    try {
      body = request.capture(endpoint.maxBodyBytes(), endpoint.readTimeout());
    } catch (BufferedBodyRequest.BodyTooLargeException e) {
      return new Refuse(WebhookProblem.of(RejectionReason.BODY_TOO_LARGE,
          "the body is larger than the endpoint's limit of " + e.limit() + " bytes"));
    } catch (BufferedBodyRequest.BodyReadTimeoutException e) {
      return new Refuse(WebhookProblem.bodyReadTimeout(e.limit()));
    } catch (IOException | RuntimeException e) {
      // A client that closed early, a malformed chunk, a container that gave up on the stream.
      // The container records the failure as the request's error, which would turn the answer
      // into its 500 error page: the failure is answered here instead.
      request.removeAttribute(jakarta.servlet.RequestDispatcher.ERROR_EXCEPTION);
      return new Refuse(WebhookProblem.of(RejectionReason.UNREADABLE_BODY, "the body could not be read to its end"));
    }
    WebhookScheme scheme = endpoint.verifier().scheme();
    VerificationResult result = endpoint.verifier().verify(webhookRequest(request, headers, body, origin));
    if (result instanceof Rejection rejection) {
      return new Refuse(WebhookProblem.of(rejection.reason(), rejection.detail()));
    }
    VerifiedWebhook verified = (VerifiedWebhook) result;
    String charset = request.getCharacterEncoding();
    if (charset != null && !BufferedBodyRequest.isSupportedCharset(charset)) {
      // The application could not decode the body it is handed (its reader would throw).
      return new Refuse(WebhookProblem.unsupportedCharset(charset));
    }
    try {
      // Only now, over signed bytes: the body, and the query string where the scheme signs the URL.
      request.exposeParameters(scheme.signsUrl(), endpoint.maxParameters());
    } catch (FormEncoding.TooManyPairsException e) {
      return new Refuse(WebhookProblem.tooManyParameters(e.limit()));
    } catch (IllegalArgumentException e) {
      return new Refuse(WebhookProblem.of(RejectionReason.UNREADABLE_BODY,
          "the form body has a malformed %-escape"));
    }
    request.setAttribute(WebhookFilter.VERIFIED_WEBHOOK_ATTRIBUTE, verified);
    Optional<EventTypeFilter> eventTypes = endpoint.eventTypes();
    if (eventTypes.isPresent() && !verified.eventType().map(eventTypes.get()::matches).orElse(false)) {
      return endpoint.rejectsUnexpectedEventTypes()
          ? new Refuse(WebhookProblem.unexpectedEventType(verified.eventType().orElse(null)))
          : new Ignore(verified);
    }
    Optional<DedupEngine> dedup = endpoint.dedup();
    if (dedup.isEmpty()) {
      return new Proceed(verified, null);
    }
    Admission admission = dedup.get().admit(endpoint.path(), verified.provider(),
        verified.eventId().orElse(null), body, endpoint.dedupsOnBody());
    if (admission instanceof Admission.Run run) {
      return new Proceed(verified, run.claim());
    }
    DedupOutcome<Void> refusal = ((Admission.Refuse) admission).outcome();
    if (refusal instanceof DedupOutcome.Duplicate) {
      return new Acknowledge(verified);
    } else if (refusal instanceof DedupOutcome.InProgress<Void> inProgress) {
      return new Refuse(WebhookProblem.inProgress(inProgress.retryAfter()));
    } else if (refusal instanceof DedupOutcome.FingerprintMismatch) {
      return new Refuse(WebhookProblem.fingerprintMismatch());
    } else if (refusal instanceof DedupOutcome.MissingEventId) {
      return new Refuse(WebhookProblem.missingEventId());
    } else if (refusal instanceof DedupOutcome.StoreUnavailable<Void> unavailable) {
      return new Refuse(WebhookProblem.storeUnavailable(unavailable.retryAfter()));
    }
    throw new IllegalStateException("not a refusal: " + refusal);
  }

  /**
   * The answer for a request interrupted while waiting on an in-progress duplicate.
   *
   * @return a 503 with a short retry hint
   */
  public static WebhookProblem interrupted() {
    return WebhookProblem.storeUnavailable(Duration.ofSeconds(1));
  }

  private static WebhookHeaders headers(HttpServletRequest request) {
    WebhookHeaders.Builder headers = WebhookHeaders.builder();
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        headers.add(name, value);
      }
    }
    return headers.build();
  }

  private static WebhookRequest webhookRequest(HttpServletRequest request, WebhookHeaders headers, byte[] body,
      TrustedProxies.Origin origin) {
    return WebhookRequest.builder()
        .method(request.getMethod())
        .url(url(request, origin))
        .headers(headers)
        .body(body)
        .build();
  }

  /** The URL the sender signed: as received, or as a trusted proxy says it was addressed. */
  static String url(HttpServletRequest request, TrustedProxies.Origin origin) {
    String query = request.getQueryString();
    String pathAndQuery = query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    if (origin.proto() == null && origin.host() == null) {
      StringBuffer url = request.getRequestURL();
      return query == null ? url.toString() : url.append('?').append(query).toString();
    }
    String host = request.getHeader("Host");
    String containerHost = host != null ? host : request.getServerName() + ":" + request.getServerPort();
    return origin.url(request.getScheme(), containerHost, pathAndQuery);
  }

  @Override
  public String toString() {
    return "WebhookGate[" + proxies + "]";
  }
}
