package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import io.hookguard.EventTypeFilter;
import io.hookguard.HandshakeReply;
import io.hookguard.internal.FormEncoding;
import io.hookguard.internal.Sha256;
import io.hookguard.Rejection;
import io.hookguard.RejectionReason;
import io.hookguard.SourceAllowlist;
import io.hookguard.TrustedProxies;
import io.hookguard.VerificationResult;
import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookRequest;
import io.hookguard.dedup.Admission;
import io.hookguard.dedup.DedupClaim;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupOutcome;
import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.ReceivedDelivery;
import io.hookguard.internal.EventKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The life of one delivery, written once for every adapter (servlet filter, Spring MVC, …): an
 * adapter translates HTTP into an {@link IncomingRequest}, calls {@link #receive}, and either
 * sends the {@link Answer} or hands the {@link RunningDelivery} to the application and finishes it.
 * In order, never touching a store before the signature verified:
 *
 * <ol>
 *   <li>source allowed? (client per {@link TrustedProxies}) — 403
 *   <li>identity encoding only — 415; body read within size and time — 413 / 408 / 400
 *   <li>an unsigned handshake of its sender's exact shape (Meta, Braintree, Mandrill, WooCommerce)?
 *       — the sender's expected answer, or 403 for a wrong verify token
 *   <li>verify over exactly those bytes (signature, then window) — 400 / 401
 *   <li>a signed handshake (Slack, Zoom)? — the sender's expected answer
 *   <li>a charset the application can decode — 415; form parameters decoded from signed bytes only, bounded — 413 / 400
 *   <li>expected event type? — 200 ignored / 422
 *   <li>dedup claim — 200 replay / 409 / 422 / 400 / 503 — then the application; or, at an
 *       endpoint in inbox mode, store in the inbox — 200 once committed / 200 replay / 422 / 400 /
 *       503 (store down, backlog full) — and the inbox's workers run the handler later
 * </ol>
 *
 * <p>Every delivery emits exactly one {@link DeliveryAudit} to the listeners: refusals and
 * acknowledgements at once, running deliveries when finished. Immutable and thread-safe.
 */
public final class DeliveryLifecycle {
  /** The prefix of inbox keys: the same shape as dedup keys, in the inbox's own store. */
  private static final String KEY_PREFIX = "hookguard:";

  private final TrustedProxies proxies;
  private final List<DeliveryAuditListener> listeners;
  private final Clock clock;

  private DeliveryLifecycle(Builder builder) {
    this.proxies = builder.proxies;
    this.listeners = List.copyOf(builder.listeners);
    this.clock = builder.clock;
  }

  /**
   * Starts configuring a lifecycle.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the proxies trusted to report client and public URL */
  public TrustedProxies proxies() {
    return proxies;
  }

  /**
   * Runs every check on a request addressed to an endpoint.
   *
   * @param endpoint the endpoint
   * @param request the request, its body not yet read
   * @return the answer to send, or the delivery to run
   */
  public Reception receive(WebhookEndpoint endpoint, IncomingRequest request) {
    Check check = check(endpoint, request);
    Early refused = screen(check, request);
    return refused != null ? refused.announce() : proceed(check, request);
  }

  /**
   * The first half of {@link #receive}, for adapters that read the body themselves without
   * blocking (reactive servers): runs the checks that need no body (source, content encoding) and
   * returns either a {@link Screening.Answered} whose {@link Screening.Answered#answer()} is the
   * refusal, or a {@link Screening.Passed} whose {@link Screening.Passed#receive()} reads
   * {@code request.body()} and runs the rest. Between the two the adapter reads the body, bounded
   * ({@link BodyCollector}); the delivery's audit record times both halves. Together the halves are
   * exactly {@link #receive}. This method itself never blocks and tells no listener: it may run on
   * an event loop; the result's method may not.
   *
   * @param endpoint the endpoint
   * @param request the request; its body is not read here
   * @return the refusal to send, or the rest of the lifecycle
   */
  public Screening screen(WebhookEndpoint endpoint, IncomingRequest request) {
    Check check = check(endpoint, request);
    Early refused = screen(check, request);
    return refused != null ? new Screening.Answered(refused::announce)
        : new Screening.Passed(() -> proceed(check, request));
  }

  private Check check(WebhookEndpoint endpoint, IncomingRequest request) {
    long start = System.nanoTime();
    Instant receivedAt = clock.instant();
    TrustedProxies.Origin origin = proxies.origin(request.peerAddress(), request.headers());
    String source = origin.clientAddress().map(InetAddress::getHostAddress).orElse(request.peerAddress());
    return new Check(endpoint, origin, receivedAt, source, start);
  }

  /**
   * A refusal decided before the body is read, not yet told to the listeners: screening runs
   * where nothing may block, the listeners where they may.
   */
  private record Early(Check check, RejectionReason reason, String detail) {
    Answer announce() {
      return check.refuse(reason, detail, null);
    }
  }

  /** The checks before the body is read: a refusal, or null. Tells no listener. */
  private @Nullable Early screen(Check check, IncomingRequest request) {
    WebhookEndpoint endpoint = check.endpoint;
    TrustedProxies.Origin origin = check.origin;
    Optional<SourceAllowlist> sources = endpoint.sources();
    if (sources.isPresent() && !origin.clientAddress().map(sources.get()::allows).orElse(false)) {
      return new Early(check, RejectionReason.SOURCE_NOT_ALLOWED,
          "deliveries to this endpoint are accepted from its senders' published addresses only");
    }
    for (String encoding : request.headers().all("Content-Encoding")) {
      // Every value, not the first: "identity" then "gzip" is a compressed body.
      for (String coding : encoding.split(",")) {
        if (!coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
          return new Early(check, RejectionReason.UNSUPPORTED_CONTENT_ENCODING,
              "bodies are verified as sent, uncompressed; Content-Encoding " + shown(coding.strip())
                  + " is not accepted");
        }
      }
    }
    return null;
  }

  /** The body, verification and everything after it. */
  private Reception proceed(Check check, IncomingRequest request) {
    WebhookEndpoint endpoint = check.endpoint;
    TrustedProxies.Origin origin = check.origin;
    Instant receivedAt = check.receivedAt;
    String source = check.source;
    long start = check.start;
    byte[] body;
    try {
      body = request.body().read(endpoint.maxBodyBytes(), endpoint.readTimeout());
    } catch (BodySource.BodyTooLargeException e) {
      return check.refuse(RejectionReason.BODY_TOO_LARGE,
          "the body is larger than the endpoint's limit of " + e.limit() + " bytes", null);
    } catch (BodySource.BodyReadTimeoutException e) {
      return check.refuse(RejectionReason.BODY_READ_TIMEOUT,
          "the body did not arrive within the endpoint's limit of " + e.limit().toMillis() + " ms", null);
    } catch (IOException | RuntimeException e) {
      // A client that closed early, a malformed chunk, a server that gave up on the stream.
      return check.refuse(RejectionReason.UNREADABLE_BODY, "the body could not be read to its end", null);
    }

    WebhookRequest signed = WebhookRequest.builder()
        .method(request.method())
        .url(endpoint.publicOrigin().map(configured -> configured + request.pathAndQuery())
            .orElseGet(() -> origin.url(request.scheme(), request.authority(), request.pathAndQuery())))
        .headers(request.headers())
        .body(body)
        .build();
    if (endpoint.verifier().scheme().handshake().isPresent()) {
      // Only an exact shape, and before verification: such a request is unsigned by its nature.
      // It is answered here and goes no further: no claim, no inbox, no handler.
      Optional<HandshakeReply> unsigned = endpoint.verifier().answerHandshake(signed);
      if (unsigned.isPresent()) {
        return handshake(check, unsigned.get());
      }
    }
    VerificationResult result = endpoint.verifier().verify(signed);
    if (result instanceof Rejection rejection) {
      // Only a retryable reason carries a delay (key-unavailable): the sender is told when to retry.
      return check.refuse(rejection.reason(), rejection.detail(), rejection.retryAfter().orElse(null));
    }
    VerifiedWebhook verified = (VerifiedWebhook) result;
    check.verified = verified;
    Optional<HandshakeReply> signedHandshake = verified.handshake();
    if (signedHandshake.isPresent()) {
      return handshake(check, signedHandshake.get());
    }

    String contentType = request.headers().first("Content-Type");
    String charsetName = charsetParameter(contentType);
    Charset charset = StandardCharsets.UTF_8;
    if (charsetName != null) {
      Charset declared = charset(charsetName);
      if (declared == null) {
        // The application could not decode the body it is handed.
        return check.refuse(RejectionReason.UNSUPPORTED_CHARSET, "the body's declared charset "
            + shown(charsetName) + " is not one this receiver can decode", null);
      }
      charset = declared;
    }
    Map<String, List<String>> parameters;
    try {
      // Only now, over signed bytes: the body, and the query string where the scheme signs the URL.
      parameters = parameters(endpoint, request, body, FormEncoding.isForm(contentType), charset);
    } catch (FormEncoding.TooManyPairsException e) {
      return check.refuse(RejectionReason.TOO_MANY_PARAMETERS,
          "the form body has more than the endpoint's limit of " + e.limit() + " parameters", null);
    } catch (IllegalArgumentException e) {
      return check.refuse(RejectionReason.UNREADABLE_BODY, "the form body has a malformed %-escape", null);
    }

    Optional<EventTypeFilter> eventTypes = endpoint.eventTypes();
    if (eventTypes.isPresent() && !verified.eventType().map(eventTypes.get()::matches).orElse(false)) {
      if (endpoint.rejectsUnexpectedEventTypes()) {
        String type = verified.eventType().orElse(null);
        return check.refuse(RejectionReason.UNEXPECTED_EVENT_TYPE, "this endpoint does not handle deliveries of "
            + (type == null ? "no type" : type.length() > 80 ? "a type" : "type '" + type + "'"), null);
      }
      return check.acknowledge(Answer.ignored(), DeliveryAudit.Outcome.IGNORED, null);
    }

    String eventId = verified.eventId().filter(id -> !id.isBlank()).orElse(null);
    Optional<Inbox> inbox = endpoint.inbox();
    if (inbox.isPresent()) {
      return store(check, inbox.get(), signed, contentType, eventId);
    }

    Optional<DedupEngine> dedup = endpoint.dedup();
    DedupClaim claim = null;
    if (dedup.isPresent() && eventId == null && endpoint.missingEventId().isPresent()) {
      if (endpoint.missingEventId().get() == WebhookEndpoint.MissingEventId.REJECT) {
        return check.refuse(RejectionReason.MISSING_EVENT_ID,
            "the signed delivery carries no event id to deduplicate on", null);
      }
      // Runs as the endpoint asks, keyed on its signed body alone: stripping an id header is no
      // way around dedup, and a replay of the same bytes is a duplicate.
      Admission byBody = dedup.get().admitBody(endpoint.name(), verified.provider(),
          endpoint.verifier().scheme().replayContent(signed));
      if (byBody instanceof Admission.Refuse refuse) {
        return refusal(check, refuse.outcome());
      }
      return new RunningDelivery(this, endpoint, receivedAt, source, verified, body, parameters,
          ((Admission.Run) byBody).claim(), Duration.ofNanos(System.nanoTime() - start));
    }
    if (dedup.isPresent()) {
      Admission admission;
      try {
        admission = dedup.get().admit(endpoint.name(), verified.provider(), eventId,
            endpoint.verifier().scheme().fingerprintContent(signed),
            endpoint.dedupsOnBody() ? endpoint.verifier().scheme().replayContent(signed) : null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return check.refuse(RejectionReason.STORE_UNAVAILABLE,
            "the delivery cannot be deduplicated now; retry later", Duration.ofSeconds(1));
      }
      if (admission instanceof Admission.Refuse refuse) {
        return refusal(check, refuse.outcome());
      }
      claim = ((Admission.Run) admission).claim();
    }
    return new RunningDelivery(this, endpoint, receivedAt, source, verified, body, parameters, claim,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Inbox mode: the verified delivery is stored under the keys dedup would claim, and
   * acknowledged only once the store committed it.
   */
  private static Answer store(Check check, Inbox inbox, WebhookRequest signed, @Nullable String contentType,
      @Nullable String eventId) {
    WebhookEndpoint endpoint = check.endpoint;
    VerifiedWebhook verified = requireNonNull(check.verified);
    String provider = verified.provider();
    byte[] body = signed.body();
    String key;
    String bodyKey = null;
    if (eventId == null) {
      if (endpoint.missingEventId().orElse(WebhookEndpoint.MissingEventId.REJECT)
          == WebhookEndpoint.MissingEventId.REJECT) {
        return check.refuse(RejectionReason.MISSING_EVENT_ID,
            "the signed delivery carries no event id to deduplicate on", null);
      }
      // Stored under its signed content alone: a replay of the same bytes is a duplicate.
      key = EventKeys.bodyKey(KEY_PREFIX, endpoint.name(), provider,
          Sha256.hex(endpoint.verifier().scheme().replayContent(signed)));
    } else {
      key = EventKeys.eventKey(KEY_PREFIX, endpoint.name(), provider, eventId);
      if (endpoint.dedupsOnBody()) {
        bodyKey = EventKeys.bodyKey(KEY_PREFIX, endpoint.name(), provider,
            Sha256.hex(endpoint.verifier().scheme().replayContent(signed)));
      }
    }
    Acceptance acceptance = inbox.accept(new ReceivedDelivery(endpoint.name(), provider, eventId,
        verified.eventType().orElse(null), contentType, body, check.receivedAt, check.source, key, bodyKey,
        Sha256.hex(endpoint.verifier().scheme().fingerprintContent(signed))));
    if (acceptance instanceof Acceptance.Stored) {
      return check.acknowledge(Answer.stored(), DeliveryAudit.Outcome.STORED, DeliveryAudit.Dedup.CLAIMED);
    } else if (acceptance instanceof Acceptance.Duplicate) {
      return check.acknowledge(Answer.duplicate(), DeliveryAudit.Outcome.DUPLICATE, DeliveryAudit.Dedup.DUPLICATE);
    } else if (acceptance instanceof Acceptance.FingerprintMismatch) {
      return check.refuse(RejectionReason.FINGERPRINT_MISMATCH,
          "an event with this id was received with a different body", null);
    } else if (acceptance instanceof Acceptance.Full full) {
      return check.refuse(RejectionReason.INBOX_FULL,
          "the endpoint has more unprocessed deliveries than it may hold; retry later", full.retryAfter());
    }
    return check.refuse(RejectionReason.STORE_UNAVAILABLE, "the delivery cannot be stored now; retry later",
        ((Acceptance.Unavailable) acceptance).retryAfter());
  }

  private static Answer handshake(Check check, HandshakeReply reply) {
    Optional<RejectionReason> refusal = reply.refusal();
    if (refusal.isPresent()) {
      return check.refuse(refusal.get(), reply.detail(), null);
    }
    return check.acknowledge(Answer.handshake(reply), DeliveryAudit.Outcome.HANDSHAKE, null);
  }

  private static Answer refusal(Check check, DedupOutcome<Void> outcome) {
    if (outcome instanceof DedupOutcome.Duplicate) {
      return check.acknowledge(Answer.duplicate(), DeliveryAudit.Outcome.DUPLICATE, DeliveryAudit.Dedup.DUPLICATE);
    } else if (outcome instanceof DedupOutcome.InProgress<Void> inProgress) {
      return check.refuse(RejectionReason.IN_PROGRESS,
          "the same event is being processed by another delivery; retry later", inProgress.retryAfter());
    } else if (outcome instanceof DedupOutcome.FingerprintMismatch) {
      return check.refuse(RejectionReason.FINGERPRINT_MISMATCH,
          "an event with this id was received with a different body", null);
    } else if (outcome instanceof DedupOutcome.MissingEventId) {
      return check.refuse(RejectionReason.MISSING_EVENT_ID,
          "the signed delivery carries no event id to deduplicate on", null);
    } else if (outcome instanceof DedupOutcome.StoreUnavailable<Void> unavailable) {
      return check.refuse(RejectionReason.STORE_UNAVAILABLE,
          "the delivery cannot be deduplicated now; retry later", unavailable.retryAfter());
    }
    throw new IllegalStateException("not a refusal: " + outcome);
  }

  /** A delivery on its way through the checks: what the audit record of an early answer needs. */
  private final class Check {
    final WebhookEndpoint endpoint;
    final TrustedProxies.Origin origin;
    final Instant receivedAt;
    final String source;
    final long start;
    @Nullable VerifiedWebhook verified;

    Check(WebhookEndpoint endpoint, TrustedProxies.Origin origin, Instant receivedAt, String source, long start) {
      this.endpoint = endpoint;
      this.origin = origin;
      this.receivedAt = receivedAt;
      this.source = source;
      this.start = start;
    }

    Answer refuse(RejectionReason reason, String detail, @Nullable Duration retryAfter) {
      Answer answer = Answer.refuse(reason, detail, retryAfter);
      audit(DeliveryAudit.Outcome.REJECTED, reason, answer.status(), null);
      return answer;
    }

    Answer acknowledge(Answer answer, DeliveryAudit.Outcome outcome, DeliveryAudit.@Nullable Dedup dedup) {
      audit(outcome, outcome == DeliveryAudit.Outcome.IGNORED ? RejectionReason.UNEXPECTED_EVENT_TYPE : null,
          answer.status(), dedup);
      return answer;
    }

    private void audit(DeliveryAudit.Outcome outcome, @Nullable RejectionReason reason, int status,
        DeliveryAudit.@Nullable Dedup dedup) {
      if (listeners.isEmpty()) {
        return;
      }
      emit(new DeliveryAudit(receivedAt, endpoint.name(), endpoint.verifier().scheme().id(),
          verified == null ? null : verified.eventId().orElse(null),
          verified == null ? null : verified.eventType().orElse(null),
          source, outcome, reason, status, dedup, Duration.ofNanos(System.nanoTime() - start), null));
    }
  }

  /** @return whether anyone listens; without listeners no audit record is built */
  boolean hasListeners() {
    return !listeners.isEmpty();
  }

  void emit(DeliveryAudit audit) {
    for (DeliveryAuditListener listener : listeners) {
      try {
        listener.delivered(audit);
      } catch (RuntimeException e) {
        // An audit sink's failure must not turn an answered delivery into an error.
      }
    }
  }

  private static Map<String, List<String>> parameters(WebhookEndpoint endpoint, IncomingRequest request, byte[] body,
      boolean form, Charset charset) {
    String query = endpoint.verifier().scheme().signsUrl() ? request.rawQuery() : null;
    if (query == null && !form) {
      return Map.of(); // a JSON delivery: nothing to decode
    }
    Map<String, List<String>> collected = new LinkedHashMap<>();
    int remaining = endpoint.maxParameters();
    if (query != null) {
      List<Map.Entry<String, String>> pairs = FormEncoding.decode(query, charset, remaining);
      remaining -= pairs.size();
      pairs.forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>(1)).add(p.getValue()));
    }
    if (form) {
      FormEncoding.decode(new String(body, charset), charset, remaining)
          .forEach(p -> collected.computeIfAbsent(p.getKey(), k -> new ArrayList<>(1)).add(p.getValue()));
    }
    collected.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(collected);
  }

  /**
   * The {@code charset} parameter of a Content-Type, unquoted; null when there is none. Scanned in
   * place (it runs on every delivery): the same answer as splitting on ';' and comparing each
   * stripped, lower-cased name before '=' with {@code charset}.
   */
  static @Nullable String charsetParameter(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    int length = contentType.length();
    for (int from = 0; from < length; ) {
      int end = contentType.indexOf(';', from);
      if (end < 0) {
        end = length;
      }
      int equals = contentType.indexOf('=', from);
      if (equals > from && equals < end && isCharsetName(contentType, from, equals)) {
        String value = contentType.substring(equals + 1, end).strip();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
            ? value.substring(1, value.length() - 1) : value;
      }
      from = end + 1;
    }
    return null;
  }

  /** Whether text[from, to), stripped, lower-cases to {@code charset}. */
  private static boolean isCharsetName(String text, int from, int to) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    String name = "charset";
    if (to - from != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.toLowerCase(text.charAt(from + i)) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A charset this JVM decodes, or null. */
  static @Nullable Charset charset(String name) {
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return null;
    }
  }

  private static String shown(String text) {
    return text.length() > 40 || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "(not shown)" : "'" + text + "'";
  }

  @Override
  public String toString() {
    return "DeliveryLifecycle[" + proxies + ", " + listeners.size() + " listeners]";
  }

  /** Configures a {@link DeliveryLifecycle}. */
  public static final class Builder {
    private TrustedProxies proxies = TrustedProxies.none();
    private final List<DeliveryAuditListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The proxies trusted to report the client address and public URL; none by default.
     *
     * @param proxies the proxies
     * @return this builder
     */
    public Builder proxies(TrustedProxies proxies) {
      this.proxies = requireNonNull(proxies, "proxies");
      return this;
    }

    /**
     * Adds a listener of every delivery's {@link DeliveryAudit}: an audit logger, metrics.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DeliveryAuditListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock of the audit records' arrival times (not of the verifiers' windows, which have
     * their own).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes the lifecycle.
     *
     * @return the lifecycle
     */
    public DeliveryLifecycle build() {
      return new DeliveryLifecycle(this);
    }
  }
}
