package io.hookguard.delivery;

import static java.util.Objects.requireNonNull;

import io.hookguard.VerifiedWebhook;
import io.hookguard.dedup.DedupClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A verified delivery the application may now handle, carrying its own state: when it arrived,
 * who sent it, what verified, the exact bytes, the parameters decoded from signed bytes, and the
 * dedup claim. The adapter hands {@link #body()} and {@link #parameters()} to the application and
 * then finishes the delivery exactly once with the outcome — {@link #finish(int)} with the status
 * answered, or {@link #fail(int)} when the handler threw, timed out or the client went away —
 * which completes or releases the claim and emits the delivery's {@link DeliveryAudit}.
 * Thread-safe; finishing again does nothing.
 */
public final class RunningDelivery implements Reception {
  private final DeliveryLifecycle lifecycle;
  private final WebhookEndpoint endpoint;
  private final Instant receivedAt;
  private final @Nullable String sourceAddress;
  private final VerifiedWebhook webhook;
  private final byte[] body;
  private final Map<String, List<String>> parameters;
  private final @Nullable DedupClaim claim;
  private final Duration checkDuration;
  private final long handlerStart = System.nanoTime();
  private final AtomicBoolean finished = new AtomicBoolean();

  RunningDelivery(DeliveryLifecycle lifecycle, WebhookEndpoint endpoint, Instant receivedAt,
      @Nullable String sourceAddress, VerifiedWebhook webhook, byte[] body, Map<String, List<String>> parameters,
      @Nullable DedupClaim claim, Duration checkDuration) {
    this.lifecycle = lifecycle;
    this.endpoint = endpoint;
    this.receivedAt = receivedAt;
    this.sourceAddress = sourceAddress;
    this.webhook = requireNonNull(webhook, "webhook");
    this.body = body;
    this.parameters = parameters;
    this.claim = claim;
    this.checkDuration = checkDuration;
  }

  /** @return the endpoint the delivery was addressed to */
  public WebhookEndpoint endpoint() {
    return endpoint;
  }

  /** @return what verified: provider, event id, timestamp, type */
  public VerifiedWebhook webhook() {
    return webhook;
  }

  /** @return the exact bytes that verified; not copied, do not change them */
  public byte[] body() {
    return body;
  }

  /**
   * The form parameters the application may see: decoded after verification from the signed form
   * body, plus the query string only where the scheme signs the URL.
   *
   * @return the parameters by name, in order; empty for bodies that are not forms
   */
  public Map<String, List<String>> parameters() {
    return parameters;
  }

  /** @return when the delivery arrived */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** @return the client address, per the trusted proxies, if known */
  public @Nullable String sourceAddress() {
    return sourceAddress;
  }

  /**
   * Finishes with the application's answer: a status the endpoint counts as success (2xx by
   * default) completes the event, any other releases it so that the sender's retry runs.
   *
   * @param status the status answered
   * @return whether the store recorded the outcome ({@code true} without a claim); {@code false}
   *     also when finished already
   */
  public boolean finish(int status) {
    return finish(status, endpoint.succeeded(status));
  }

  /**
   * Finishes as a failure whatever the status: the handler threw, timed out, or the client
   * disconnected. Releases the event so that the sender's retry runs.
   *
   * @param status the status answered, if any (500 when the handler threw)
   * @return whether the store recorded the release ({@code true} without a claim); {@code false}
   *     also when finished already
   */
  public boolean fail(int status) {
    return finish(status, false);
  }

  private boolean finish(int status, boolean succeeded) {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    boolean unclaimed = claim == null || claim.withoutDedup().isPresent();
    boolean recorded = unclaimed || claim.finish(succeeded);
    if (!lifecycle.hasListeners()) {
      return recorded;
    }
    DeliveryAudit.Dedup dedup = endpoint.dedup().isEmpty() ? DeliveryAudit.Dedup.OFF
        : unclaimed ? DeliveryAudit.Dedup.UNCLAIMED
        : recorded ? DeliveryAudit.Dedup.CLAIMED : DeliveryAudit.Dedup.UNRECORDED;
    lifecycle.emit(new DeliveryAudit(receivedAt, endpoint.name(), webhook.provider(), webhook.eventId().orElse(null),
        webhook.eventType().orElse(null), sourceAddress,
        succeeded ? DeliveryAudit.Outcome.PROCESSED : DeliveryAudit.Outcome.FAILED, null, status, dedup,
        checkDuration, Duration.ofNanos(System.nanoTime() - handlerStart)));
    return recorded;
  }

  @Override
  public String toString() {
    return "RunningDelivery[" + endpoint.name() + " " + webhook + "]";
  }
}
