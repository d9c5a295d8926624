package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies deliveries of one scheme against one or more keys. Immutable and thread-safe: build
 * one per endpoint and share it.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE)
 *     .secret(System.getenv("STRIPE_WEBHOOK_SECRET"))
 *     .build();
 * VerificationResult result = verifier.verify(WebhookRequest.builder()
 *     .header("Stripe-Signature", signatureHeader)
 *     .body(rawBodyBytes)
 *     .build());
 * }</pre>
 */
public interface WebhookVerifier {

  /**
   * Verifies one delivery. Never throws for bad input: every problem with what the sender sent
   * is a {@link Rejection}.
   *
   * @param request the delivery as received
   * @return the verified delivery or the rejection
   * @throws IllegalArgumentException when the scheme signs the request URL (Twilio, Square,
   *     HubSpot) and the request has none: a bug in the caller, which must pass the full URL the
   *     sender called, not something a sender can cause or fix
   */
  VerificationResult verify(WebhookRequest request);

  /**
   * Answers the scheme's unsigned {@linkplain Handshake handshake} (Meta's subscription check,
   * Braintree's {@code bt_challenge}, Mandrill's {@code HEAD}, WooCommerce's ping) when the request
   * has exactly its shape; call it before {@link #verify}. A request that only resembles one is not
   * answered, and fails verification as it should. Signed handshakes (Slack, Zoom) are answered
   * by {@link VerifiedWebhook#handshake()} instead. Never throws for bad input.
   *
   * @param request the request as received: method, full URL (query included) and body
   * @return the reply to send instead of running the application, or empty when this is no handshake
   */
  default Optional<HandshakeReply> answerHandshake(WebhookRequest request) {
    return Optional.empty();
  }

  /**
   * The scheme this verifier checks.
   *
   * @return the scheme
   */
  WebhookScheme scheme();

  /**
   * Starts building a verifier.
   *
   * @param scheme the sender's scheme, usually from {@link Providers}
   * @return a builder
   */
  static Builder builder(WebhookScheme scheme) {
    return new Builder(scheme);
  }

  /**
   * Configures a {@link WebhookVerifier}: keys (several for rotation; any may match), the
   * timestamp window and the clock. Invalid configuration fails here, with a message that never
   * contains a secret.
   */
  final class Builder {
    private final WebhookScheme scheme;
    private final List<Keys.VerificationKey> keys = new ArrayList<>(2);
    private @Nullable Duration past;
    private @Nullable Duration future;
    private boolean timestampCheckDisabled;
    private Clock clock = Clock.systemUTC();
    private final List<byte[]> verifyTokens = new ArrayList<>(1);
    private @Nullable RemoteDocuments documents;

    private Builder(WebhookScheme scheme) {
      this.scheme = requireNonNull(scheme, "scheme");
    }

    /**
     * Adds a shared secret, in the form the sender hands it out (see {@link Providers}). Add the
     * new and the old secret while rotating.
     *
     * @param secret the secret
     * @return this builder
     * @throws IllegalArgumentException when it is empty, blank, an unresolved {@code ${...}}
     *     placeholder, or not in the sender's encoding
     */
    public Builder secret(String secret) {
      keys.add(scheme.secretKey(WebhookScheme.requireSecretText(secret, "secret")));
      return this;
    }

    /**
     * Adds several shared secrets.
     *
     * @param secrets the secrets
     * @return this builder
     */
    public Builder secrets(Iterable<String> secrets) {
      secrets.forEach(this::secret);
      return this;
    }

    /**
     * Adds a public key, for senders that sign with a private key (Discord, SendGrid, Standard
     * Webhooks {@code v1a}).
     *
     * @param publicKey the key, in the form the sender hands it out
     * @return this builder
     * @throws IllegalArgumentException when it is empty, blank, an unresolved {@code ${...}}
     *     placeholder, or not a valid key of the scheme's form
     */
    public Builder publicKey(String publicKey) {
      keys.add(scheme.publicKey(WebhookScheme.requireSecretText(publicKey, "public key")));
      return this;
    }

    /**
     * Adds a verify token: the text Meta sends back as {@code hub.verify_token} in its
     * subscription check ({@link Handshake#META_SUBSCRIBE}), compared in constant time. Several
     * for a rotation. Without one, subscription checks are refused (403).
     *
     * @param verifyToken the token as configured at Meta
     * @return this builder
     * @throws IllegalArgumentException when it is empty, blank or an unresolved placeholder
     */
    public Builder verifyToken(String verifyToken) {
      String token = WebhookScheme.requireSecretText(verifyToken, "verify token");
      verifyTokens.add(io.hookguard.internal.Sha256.digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return this;
    }

    /**
     * Where a scheme that fetches its signing certificate or key (AWS SNS, PayPal) gets it: a
     * cache of one's own, with its own {@link DocumentFetcher} (a proxy; in tests, documents you
     * made) and bounds. Without it, {@link RemoteDocuments#shared()}.
     *
     * @param documents the cache to fetch through
     * @return this builder
     */
    public Builder remoteDocuments(RemoteDocuments documents) {
      this.documents = requireNonNull(documents, "documents");
      return this;
    }

    /**
     * Sets the window on both sides of now.
     *
     * @param tolerance how far the signed timestamp may lie in the past or in the future
     * @return this builder
     */
    public Builder tolerance(Duration tolerance) {
      return pastTolerance(tolerance).futureTolerance(tolerance);
    }

    /**
     * Sets how old a signed timestamp may be. Defaults to the scheme's default tolerance.
     *
     * @param tolerance a non-negative duration
     * @return this builder
     */
    public Builder pastTolerance(Duration tolerance) {
      this.past = nonNegative(tolerance);
      return this;
    }

    /**
     * Sets how far in the future a signed timestamp may be (clock skew). Defaults to the scheme's
     * default tolerance.
     *
     * @param tolerance a non-negative duration
     * @return this builder
     */
    public Builder futureTolerance(Duration tolerance) {
      this.future = nonNegative(tolerance);
      return this;
    }

    /**
     * Accepts any timestamp: no replay protection beyond deduplication. An explicit choice, never
     * the result of a zero tolerance.
     *
     * @return this builder
     */
    public Builder withoutTimestampCheck() {
      this.timestampCheckDisabled = true;
      return this;
    }

    /**
     * The clock the window is measured against; the system UTC clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes the verifier.
     *
     * @return the verifier
     * @throws IllegalStateException when no key is configured, the window settings do not fit
     *     the scheme, a verify token is set for a scheme whose handshake takes none, or remote
     *     documents are set for a scheme that fetches nothing
     */
    public WebhookVerifier build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException(scheme.id() + ": configure at least one "
            + (scheme.usesPublicKeys() ? "public key" : "secret"));
      }
      if (!verifyTokens.isEmpty() && scheme.handshake().orElse(null) != Handshake.META_SUBSCRIBE) {
        throw new IllegalStateException(scheme.id() + ": a verify token is for Meta's subscription handshake,"
            + " which this scheme does not have");
      }
      boolean windowSet = past != null || future != null;
      if (windowSet && !scheme.hasTimestamp()) {
        throw new IllegalStateException(scheme.id()
            + " deliveries carry no signed timestamp, so a tolerance cannot apply; remove it");
      }
      if (windowSet && timestampCheckDisabled) {
        throw new IllegalStateException(scheme.id()
            + ": a tolerance and withoutTimestampCheck() contradict each other");
      }
      Window window;
      if (timestampCheckDisabled || !scheme.hasTimestamp()) {
        window = Window.off(clock);
      } else {
        Duration fallback = scheme.defaultTolerance().orElseThrow();
        window = new Window(past != null ? past : fallback, future != null ? future : fallback, clock);
      }
      if (documents != null && !scheme.fetchesDocuments()) {
        throw new IllegalStateException(scheme.id() + " fetches no certificates or keys: remove remoteDocuments");
      }
      WebhookScheme verifying = documents != null ? scheme.withDocuments(documents) : scheme;
      return new SchemeVerifier(scheme, verifying, List.copyOf(keys), window, List.copyOf(verifyTokens));
    }

    private static Duration nonNegative(Duration tolerance) {
      if (requireNonNull(tolerance, "tolerance").isNegative()) {
        throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
      }
      return tolerance;
    }
  }
}

/** The one implementation behind {@link WebhookVerifier.Builder}. */
final class SchemeVerifier implements WebhookVerifier {
  private final WebhookScheme scheme;
  /** The scheme that verifies: {@link #scheme} itself, or its copy fetching through the verifier's own documents. */
  private final WebhookScheme verifying;
  private final List<Keys.VerificationKey> keys;
  private final Window window;
  private final List<byte[]> verifyTokens;
  private final @Nullable Handshake handshake;

  SchemeVerifier(WebhookScheme scheme, WebhookScheme verifying, List<Keys.VerificationKey> keys, Window window,
      List<byte[]> verifyTokens) {
    this.scheme = scheme;
    this.verifying = verifying;
    this.keys = keys;
    this.window = window;
    this.verifyTokens = verifyTokens;
    this.handshake = scheme.handshake().orElse(null);
  }

  @Override
  public VerificationResult verify(WebhookRequest request) {
    VerificationResult result = verifying.verify(requireNonNull(request, "request"), keys, window);
    if (handshake != null && handshake.signed() && result instanceof VerifiedWebhook verified
        && Handshakes.mayHold(handshake, request.body())) {
      // Rare (the body names the handshake): the answer is keyed with the key that verified.
      for (Keys.VerificationKey key : keys) {
        if (keys.size() == 1 || verifying.verify(request, List.of(key), window) instanceof VerifiedWebhook) {
          HandshakeReply reply = Handshakes.signed(handshake, request, key);
          if (reply != null) {
            verified.answer(reply);
          }
          break;
        }
      }
    }
    return result;
  }

  @Override
  public Optional<HandshakeReply> answerHandshake(WebhookRequest request) {
    requireNonNull(request, "request");
    return handshake == null || handshake.signed() ? Optional.empty()
        : Optional.ofNullable(Handshakes.unsigned(handshake, request, keys, verifyTokens));
  }

  @Override
  public WebhookScheme scheme() {
    return scheme;
  }

  @Override
  public String toString() {
    String windowText = window.isOff() ? "no timestamp check"
        : "window -" + window.past() + "/+" + window.future();
    return "WebhookVerifier[" + scheme.id() + ", " + keys.size() + " key(s), " + windowText
        + (verifyTokens.isEmpty() ? "" : ", " + verifyTokens.size() + " verify token(s)") + "]";
  }
}
