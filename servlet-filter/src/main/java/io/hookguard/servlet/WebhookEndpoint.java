package io.hookguard.servlet;

import static java.util.Objects.requireNonNull;

import io.hookguard.EventTypeFilter;
import io.hookguard.SourceAllowlist;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.DedupEngine;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * One webhook endpoint of an application: the path it answers, the verifier of its sender, the
 * body limit and, optionally, the dedup engine that runs its handler once per event. Immutable.
 */
public final class WebhookEndpoint {
  /** The body limit unless configured: 1 MiB, above the documented maximum of most senders. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  private static final int LARGEST_BODY_LIMIT = Integer.MAX_VALUE - 16;

  private final String path;
  private final WebhookVerifier verifier;
  private final int maxBodyBytes;
  private final @Nullable DedupEngine dedup;
  private final IntPredicate succeeded;
  private final @Nullable SourceAllowlist sources;
  private final @Nullable EventTypeFilter eventTypes;
  private final boolean rejectUnexpectedEventTypes;

  private WebhookEndpoint(Builder builder) {
    this.path = builder.path;
    this.verifier = builder.verifier;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.dedup = builder.dedup;
    this.succeeded = builder.succeeded;
    this.sources = builder.sources;
    this.eventTypes = builder.eventTypes;
    this.rejectUnexpectedEventTypes = builder.rejectUnexpectedEventTypes;
  }

  /**
   * Starts configuring an endpoint.
   *
   * @param path the path inside the web application, e.g. {@code /webhooks/stripe}: matched
   *     exactly against the servlet path plus path info, so {@code /webhooks/stripe/} is another path
   * @param verifier the verifier of the endpoint's sender (scheme, secrets, window)
   * @return a builder
   */
  public static Builder builder(String path, WebhookVerifier verifier) {
    return new Builder(path, verifier);
  }

  /** @return the path */
  public String path() {
    return path;
  }

  /** @return the verifier */
  public WebhookVerifier verifier() {
    return verifier;
  }

  /** @return the largest body accepted, in bytes */
  public int maxBodyBytes() {
    return maxBodyBytes;
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
    return "WebhookEndpoint[" + path + " " + verifier + (dedup == null ? "" : ", dedup") + "]";
  }

  /** Configures a {@link WebhookEndpoint}. */
  public static final class Builder {
    private final String path;
    private final WebhookVerifier verifier;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private @Nullable DedupEngine dedup;
    private IntPredicate succeeded = status -> status >= 200 && status < 300;
    private @Nullable SourceAllowlist sources;
    private @Nullable EventTypeFilter eventTypes;
    private boolean rejectUnexpectedEventTypes;

    private Builder(String path, WebhookVerifier verifier) {
      if (!requireNonNull(path, "path").startsWith("/")) {
        throw new IllegalArgumentException("an endpoint path starts with '/': " + path);
      }
      this.path = path;
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
     */
    public WebhookEndpoint build() {
      return new WebhookEndpoint(this);
    }
  }
}
