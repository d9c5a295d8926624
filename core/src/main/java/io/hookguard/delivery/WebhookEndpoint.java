package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import io.hookguard.EventTypeFilter;
import io.hookguard.internal.FormEncoding;
import io.hookguard.SourceAllowlist;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.inbox.Inbox;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * One webhook endpoint of an application, whatever serves it: its name, the verifier of its
 * sender, the body limits and, optionally, the dedup engine that runs its handler once per event.
 * The name is the dedup key namespace, so the same endpoint has the same keys whether the servlet
 * filter, the Spring starter or another adapter serves it; where it is served (its path) is the
 * adapter's business. Immutable.
 */
public final class WebhookEndpoint {
  /** The body limit unless configured: 1 MiB, above the documented maximum of most senders. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** The most form parameters unless configured: 1,000, Tomcat's default. */
  public static final int DEFAULT_MAX_PARAMETERS = FormEncoding.DEFAULT_MAX_PAIRS;

  /** How long a body may take to arrive unless configured: 10 s, ample for any sender's server. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  private static final int LARGEST_BODY_LIMIT = Integer.MAX_VALUE - 16;

  private final String name;
  private final WebhookVerifier verifier;
  private final int maxBodyBytes;
  private final @Nullable DedupEngine dedup;
  private final IntPredicate succeeded;
  private final @Nullable SourceAllowlist sources;
  private final @Nullable EventTypeFilter eventTypes;
  private final boolean rejectUnexpectedEventTypes;
  private final Duration readTimeout;
  private final int maxParameters;
  private final boolean dedupOnBody;
  private final @Nullable MissingEventId missingEventId;
  private final @Nullable String publicOrigin;
  private final @Nullable Inbox inbox;

  /** What a verified delivery without an event id gets, where the endpoint deduplicates. */
  public enum MissingEventId {
    /** 400 {@code missing-event-id}: the sender must be fixed (or the scheme has no id). */
    REJECT,
    /** Run the handler without dedup (every such delivery is new, e.g. Slack slash commands). */
    RUN
  }

  private WebhookEndpoint(Builder builder) {
    this.name = builder.name;
    this.verifier = builder.verifier;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.dedup = builder.dedup;
    this.succeeded = builder.succeeded;
    this.sources = builder.sources;
    this.eventTypes = builder.eventTypes;
    this.rejectUnexpectedEventTypes = builder.rejectUnexpectedEventTypes;
    this.readTimeout = builder.readTimeout;
    this.maxParameters = builder.maxParameters;
    this.dedupOnBody = builder.dedupOnBody != null ? builder.dedupOnBody : !verifier.scheme().signsEventId();
    this.missingEventId = builder.missingEventId;
    this.publicOrigin = builder.publicOrigin;
    this.inbox = builder.inbox;
  }

  /**
   * Starts configuring an endpoint.
   *
   * @param name the endpoint's name, e.g. {@code stripe}: in metrics, audit records and dedup keys
   * @param verifier the verifier of the endpoint's sender (scheme, secrets, window)
   * @return a builder
   */
  public static Builder builder(String name, WebhookVerifier verifier) {
    return new Builder(name, verifier);
  }

  /** @return the name, also the dedup key namespace */
  public String name() {
    return name;
  }

  /** @return the verifier */
  public WebhookVerifier verifier() {
    return verifier;
  }

  /** @return the largest body accepted, in bytes */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** @return how long the whole body may take to arrive */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** @return the most form parameters a delivery may carry */
  public int maxParameters() {
    return maxParameters;
  }

  /**
   * Whether dedup also keys on the body's fingerprint: by default exactly when the scheme's
   * event id is not signed, so a captured delivery replayed under a fresh id is a duplicate.
   *
   * @return whether the body is a second dedup key
   */
  public boolean dedupsOnBody() {
    return dedupOnBody;
  }

  /**
   * What a delivery without an event id gets here, when set; otherwise the dedup engine's policy.
   *
   * @return the endpoint's own policy, if it has one
   */
  public Optional<MissingEventId> missingEventId() {
    return Optional.ofNullable(missingEventId);
  }

  /**
   * The scheme and authority the sender was configured with, for schemes that sign the URL.
   *
   * @return the origin, e.g. {@code https://hooks.example.com}, if configured
   */
  public Optional<String> publicOrigin() {
    return Optional.ofNullable(publicOrigin);
  }

  /**
   * The inbox, when the endpoint is in inbox mode: verified deliveries are stored there and
   * acknowledged once stored, and the inbox's workers run the handler.
   *
   * @return the inbox, if in inbox mode
   */
  public Optional<Inbox> inbox() {
    return Optional.ofNullable(inbox);
  }

  /** @return the dedup engine, if the endpoint deduplicates */
  public Optional<DedupEngine> dedup() {
    return Optional.ofNullable(dedup);
  }

  /**
   * Whether the application's answer completes the event (success) or releases it so the
   * sender's retry runs.
   *
   * @param status the response status after the application ran
   * @return whether it counts as success
   */
  public boolean succeeded(int status) {
    return succeeded.test(status);
  }

  /** @return the source allowlist, if the endpoint restricts sources */
  public Optional<SourceAllowlist> sources() {
    return Optional.ofNullable(sources);
  }

  /** @return the expected event types, if the endpoint restricts them */
  public Optional<EventTypeFilter> eventTypes() {
    return Optional.ofNullable(eventTypes);
  }

  /** @return whether deliveries of unexpected types are rejected (422) rather than acknowledged */
  public boolean rejectsUnexpectedEventTypes() {
    return rejectUnexpectedEventTypes;
  }

  @Override
  public String toString() {
    return "WebhookEndpoint[" + name + " " + verifier + (dedup == null ? "" : ", dedup")
        + (inbox == null ? "" : ", inbox") + "]";
  }

  /** Configures a {@link WebhookEndpoint}. */
  public static final class Builder {
    private final String name;
    private final WebhookVerifier verifier;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private @Nullable DedupEngine dedup;
    private IntPredicate succeeded = status -> status >= 200 && status < 300;
    private @Nullable SourceAllowlist sources;
    private @Nullable EventTypeFilter eventTypes;
    private boolean rejectUnexpectedEventTypes;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private int maxParameters = DEFAULT_MAX_PARAMETERS;
    private @Nullable Boolean dedupOnBody;
    private @Nullable MissingEventId missingEventId;
    private @Nullable String publicOrigin;
    private @Nullable Inbox inbox;

    private Builder(String name, WebhookVerifier verifier) {
      if (requireNonNull(name, "name").isBlank() || name.length() > 128) {
        throw new IllegalArgumentException("an endpoint name has 1 to 128 characters: '" + name + "'");
      }
      this.name = name;
      this.verifier = requireNonNull(verifier, "verifier");
    }

    /**
     * The largest body accepted; larger ones are answered 413 without being read past the limit.
     *
     * @param maxBodyBytes a positive number of bytes, 1 MiB by default
     * @return this builder
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes <= 0 || maxBodyBytes > LARGEST_BODY_LIMIT) {
        throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + LARGEST_BODY_LIMIT
            + ": " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * How long the whole body may take to arrive; a slower sender is answered 408, so slow
     * senders cannot hold every request thread. The time is checked as bytes arrive: a sender
     * that stops sending is cut off by the container's read timeout (Tomcat's
     * {@code connectionTimeout}, 20 s by default) instead.
     *
     * @param readTimeout a positive duration, 10 s by default
     * @return this builder
     */
    public Builder readTimeout(Duration readTimeout) {
      if (requireNonNull(readTimeout, "readTimeout").isNegative() || readTimeout.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
      }
      this.readTimeout = readTimeout;
      return this;
    }

    /**
     * The most form parameters a delivery may carry; more is answered 413 after verification
     * (the signature is checked before any parameter is decoded).
     *
     * @param maxParameters a positive count, 1,000 by default (Tomcat's default)
     * @return this builder
     */
    public Builder maxParameters(int maxParameters) {
      if (maxParameters <= 0) {
        throw new IllegalArgumentException("maxParameters must be positive: " + maxParameters);
      }
      this.maxParameters = maxParameters;
      return this;
    }

    /**
     * Whether dedup also claims the body's SHA-256 fingerprint as a second key. By default it
     * does exactly when the scheme's event id is not signed ({@code WebhookScheme.signsEventId()}
     * is false: GitHub, Shopify, Twilio, GitLab, Linear, Mailgun): otherwise a captured delivery
     * replayed with a fresh, made-up id would run the handler again, for ever where the scheme has
     * no signed timestamp. The cost is that two events with byte-identical bodies count as one.
     *
     * @param dedupOnBody whether to key on the body too
     * @return this builder
     */
    public Builder dedupOnBody(boolean dedupOnBody) {
      this.dedupOnBody = dedupOnBody;
      return this;
    }

    /**
     * The scheme and authority the sender was configured with, e.g.
     * {@code https://hooks.example.com}, for schemes that sign the URL (Twilio, Square, HubSpot).
     * Set it for them: the URL they verify is then this origin plus the path and query received,
     * and never the request's {@code Host} header (the client's) or forwarded headers. Without it
     * the URL comes from the container and the trusted proxies, so a delivery signed for another
     * host that shares the account's key (Twilio's Auth Token covers every app of an account)
     * could be sent here with that {@code Host}.
     *
     * @param publicOrigin {@code http(s)://host[:port]}, without a path
     * @return this builder
     * @throws IllegalArgumentException when it is not such an origin
     */
    public Builder publicOrigin(String publicOrigin) {
      String origin = requireNonNull(publicOrigin, "publicOrigin").strip();
      if (!origin.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
        throw new IllegalArgumentException("a public origin is http(s)://host[:port] without a path: '"
            + publicOrigin + "'");
      }
      this.publicOrigin = origin;
      return this;
    }

    /**
     * What a verified delivery without an event id gets at this endpoint, overriding the dedup
     * engine's policy (so endpoints with different policies share one engine and one store).
     *
     * @param missingEventId reject (400) or run without dedup
     * @return this builder
     */
    public Builder missingEventId(MissingEventId missingEventId) {
      this.missingEventId = requireNonNull(missingEventId, "missingEventId");
      return this;
    }

    /**
     * Runs the application once per event: duplicates of a processed event are acknowledged
     * without reaching it.
     *
     * @param dedup the engine (shared by endpoints that share a store)
     * @return this builder
     */
    public Builder dedup(DedupEngine dedup) {
      this.dedup = requireNonNull(dedup, "dedup");
      return this;
    }

    /**
     * Puts the endpoint in inbox mode: each verified delivery is stored in the inbox — unique on
     * the same keys dedup would claim (the event id, and the signed body where
     * {@link #dedupOnBody} is on) — and answered 200 only once the store committed it; a
     * duplicate is answered 200 with {@code Hookguard-Replay: true}, an event id stored with
     * another body 422, a store that is down or a full backlog 503 with {@code Retry-After}.
     * The inbox's workers then run its handler for this endpoint. A delivery without an event id
     * is refused (400) unless {@link #missingEventId} says to run it, keyed on its body alone.
     * Replaces the synchronous dedup claim: an endpoint has one or the other.
     *
     * @param inbox the inbox, with a handler for this endpoint's name
     * @return this builder
     * @throws IllegalArgumentException when the inbox has no handler for this endpoint
     */
    public Builder inbox(Inbox inbox) {
      if (!requireNonNull(inbox, "inbox").handles(name)) {
        throw new IllegalArgumentException("the inbox has no handler for endpoint '" + name + "'");
      }
      this.inbox = inbox;
      return this;
    }

    /**
     * Which response statuses complete an event; every other status releases it, because the
     * sender will retry it. By default only 2xx completes: an event the application answered
     * 4xx or 5xx to would otherwise be acknowledged as a duplicate on retry and never handled.
     *
     * @param succeeded the test on the final status
     * @return this builder
     */
    public Builder succeededWhen(IntPredicate succeeded) {
      this.succeeded = requireNonNull(succeeded, "succeeded");
      return this;
    }

    /**
     * Accepts deliveries only from these source ranges; others are answered 403 before their body
     * is read.
     *
     * @param sources the allowlist (with its trusted proxies)
     * @return this builder
     */
    public Builder sources(SourceAllowlist sources) {
      this.sources = requireNonNull(sources, "sources");
      return this;
    }

    /**
     * Hands only deliveries of these event types to the application. A verified delivery of
     * another type (or without a type) is acknowledged with 200 and
     * {@code Hookguard-Ignored: event-type}, so the sender does not retry it, unless
     * {@link #rejectUnexpectedEventTypes()} makes it a 422.
     *
     * @param eventTypes the expected types
     * @return this builder
     */
    public Builder eventTypes(EventTypeFilter eventTypes) {
      this.eventTypes = requireNonNull(eventTypes, "eventTypes");
      return this;
    }

    /**
     * Answers deliveries of unexpected event types 422 instead of acknowledging them: the
     * sender sees the mistake (and retries, and may disable the endpoint).
     *
     * @return this builder
     */
    public Builder rejectUnexpectedEventTypes() {
      this.rejectUnexpectedEventTypes = true;
      return this;
    }

    /**
     * Makes the endpoint.
     *
     * @return the endpoint
     * @throws IllegalStateException when it has both an inbox and a dedup engine
     */
    public WebhookEndpoint build() {
      if (inbox != null && dedup != null) {
        throw new IllegalStateException("endpoint '" + name + "' is in inbox mode, which deduplicates by itself: "
            + "it takes no dedup engine");
      }
      return new WebhookEndpoint(this);
    }
  }
}
