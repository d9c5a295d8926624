package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.EventTypeFilter;
import io.hookguard.Rejection;
import io.hookguard.RejectionReason;
import io.hookguard.SourceAllowlist;
import io.hookguard.VerificationResult;
import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.dedup.Admission;
import io.hookguard.dedup.DedupClaim;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupOutcome;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
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

  private final boolean trustForwardedHeaders;

  private WebhookGate(boolean trustForwardedHeaders) {
    this.trustForwardedHeaders = trustForwardedHeaders;
  }

  /**
   * A gate that verifies URL-signing schemes against the URL the container saw.
   *
   * @return the gate
   */
  public static WebhookGate create() {
    return new WebhookGate(false);
  }

  /**
   * A gate that rebuilds the signed URL from the first hop of {@code Forwarded} (RFC 7239) or
   * {@code X-Forwarded-Proto/-Host/-Port}. Only behind a proxy that overwrites these headers:
   * anyone can send them.
   *
   * @return the gate
   */
  public static WebhookGate trustingForwardedHeaders() {
    return new WebhookGate(true);
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
     */
    public void finish(boolean succeeded) {
      if (claim != null) {
        claim.finish(succeeded);
      }
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
    Optional<SourceAllowlist> sources = endpoint.sources();
    if (sources.isPresent()) {
      Optional<InetAddress> client = sources.get().client(request.getRemoteAddr(), headers);
      client.ifPresent(address -> request.setAttribute(SOURCE_ATTRIBUTE, address.getHostAddress()));
      if (client.isEmpty() || !sources.get().allows(client.get())) {
        return new Refuse(WebhookProblem.sourceNotAllowed());
      }
    } else {
      request.setAttribute(SOURCE_ATTRIBUTE, request.getRemoteAddr());
    }
    String encoding = request.getHeader("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      return new Refuse(WebhookProblem.unsupportedContentEncoding(encoding.strip()));
    }
    byte[] body;
    try {
      body = request.capture(endpoint.maxBodyBytes());
    } catch (BufferedBodyRequest.BodyTooLargeException e) {
      return new Refuse(WebhookProblem.of(RejectionReason.BODY_TOO_LARGE,
          "the body is larger than the endpoint's limit of " + e.limit() + " bytes"));
    } catch (IOException e) {
      return new Refuse(WebhookProblem.of(RejectionReason.UNREADABLE_BODY, "the body could not be read to its end"));
    } catch (IllegalArgumentException e) {
      // Checked after the signature below would be kinder to senders, but the bytes are bad either way.
      return new Refuse(WebhookProblem.of(RejectionReason.UNREADABLE_BODY,
          "the query string or form body has a malformed %-escape"));
    }
    VerificationResult result = endpoint.verifier().verify(webhookRequest(request, headers, body));
    if (result instanceof Rejection rejection) {
      return new Refuse(WebhookProblem.of(rejection.reason(), rejection.detail()));
    }
    VerifiedWebhook verified = (VerifiedWebhook) result;
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
        verified.eventId().orElse(null), body);
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

  private WebhookRequest webhookRequest(HttpServletRequest request, WebhookHeaders headers, byte[] body) {
    return WebhookRequest.builder()
        .method(request.getMethod())
        .url(url(request))
        .headers(headers)
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
      boolean hasPort = authority.lastIndexOf(':') > authority.lastIndexOf(']');
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
    return "WebhookGate[" + (trustForwardedHeaders ? "trusting forwarded headers" : "container URL") + "]";
  }
}
