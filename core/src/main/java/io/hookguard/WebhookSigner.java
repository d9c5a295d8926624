package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Signs requests the way a sender would, for tests and demo senders: the same scheme code that
 * verifies builds what is signed. Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookRequest signed = WebhookSigner.builder(Providers.GITHUB).secret("s3cret").build()
 *     .sign(WebhookRequest.builder().url("https://example.com/hooks").body(json).build());
 * }</pre>
 *
 * <p>A signed request passes an endpoint's default settings: where the sender sends its event id
 * in a header (GitHub's {@code X-GitHub-Delivery}, Shopify's {@code X-Shopify-Event-Id}, …) and
 * the request carries none, a fresh one is filled in; {@link #delivery(WebhookRequest)} chooses
 * the id, type and time. Schemes that read the id from the body sign the body as given.
 */
public final class WebhookSigner {
  private final WebhookScheme scheme;
  private final Keys.SigningKey key;
  private final Clock clock;

  private WebhookSigner(WebhookScheme scheme, Keys.SigningKey key, Clock clock) {
    this.scheme = scheme;
    this.key = key;
    this.clock = clock;
  }

  /**
   * Starts building a signer.
   *
   * @param scheme the scheme to sign for
   * @return a builder
   */
  public static Builder builder(WebhookScheme scheme) {
    return new Builder(scheme);
  }

  /**
   * Signs a request at the clock's current time, with a fresh event id where the sender sends one
   * in a header the request does not carry (see {@link Delivery#sign()}).
   *
   * @param request the unsigned request (URL set for URL-signing schemes)
   * @return a copy with the signature headers set, and the event id header where it was missing;
   *     some schemes also change the URL (Twilio JSON bodies get {@code bodySHA256}) or the body
   *     (Mailgun wraps it in a signed envelope)
   * @throws IllegalArgumentException when the scheme signs the URL and the request has none
   */
  public WebhookRequest sign(WebhookRequest request) {
    return delivery(request).sign();
  }

  /**
   * Signs a request as if sent at the given time, for example to produce a stale delivery; the
   * event id is filled in as by {@link #sign(WebhookRequest)}.
   *
   * @param request the unsigned request
   * @param sentAt the timestamp to sign
   * @return the signed copy
   * @throws IllegalArgumentException when the scheme signs the URL and the request has none
   */
  public WebhookRequest sign(WebhookRequest request, Instant sentAt) {
    return delivery(request).sentAt(sentAt).sign();
  }

  /**
   * Starts one delivery to sign, for choosing its event id, event type or time.
   *
   * <pre>{@code
   * WebhookRequest signed = signer.delivery(request).eventId("4f2c…").eventType("push").sign();
   * }</pre>
   *
   * @param request the unsigned request
   * @return the delivery, at the signer clock's time until told otherwise
   */
  public Delivery delivery(WebhookRequest request) {
    return new Delivery(requireNonNull(request, "request"));
  }

  /**
   * The scheme this signer signs for.
   *
   * @return the scheme
   */
  public WebhookScheme scheme() {
    return scheme;
  }

  @Override
  public String toString() {
    return "WebhookSigner[" + scheme.id() + "]";
  }

  /**
   * One delivery to sign. The event id and type go where the sender puts them: into the header
   * the scheme reads first (replacing a value the request carries), or, for schemes that read
   * them from the body (Stripe's {@code id}, Slack's {@code event_id}), the body must already
   * carry them, which {@link #sign()} checks. Not thread-safe; use it for one delivery.
   */
  public final class Delivery {
    private final WebhookRequest request;
    private @Nullable Instant sentAt;
    private @Nullable String eventId;
    private @Nullable String eventType;

    private Delivery(WebhookRequest request) {
      this.request = request;
    }

    /**
     * The time to sign, instead of the signer clock's current time.
     *
     * @param sentAt the timestamp to sign
     * @return this delivery
     */
    public Delivery sentAt(Instant sentAt) {
      this.sentAt = requireNonNull(sentAt, "sentAt");
      return this;
    }

    /**
     * The event id the delivery must carry, instead of a fresh one.
     *
     * @param eventId the id, not blank
     * @return this delivery
     * @throws IllegalArgumentException when it is blank
     */
    public Delivery eventId(String eventId) {
      this.eventId = requireText(eventId, "eventId");
      return this;
    }

    /**
     * The event type the delivery must carry, such as GitHub's {@code push}.
     *
     * @param eventType the type, not blank
     * @return this delivery
     * @throws IllegalArgumentException when it is blank
     */
    public Delivery eventType(String eventType) {
      this.eventType = requireText(eventType, "eventType");
      return this;
    }

    /**
     * Signs the delivery. Without an explicit event id, a scheme that reads its id from a header
     * the request lacks gets a fresh random one there (a UUID; {@code msg_…} where
     * the id is signed, as Standard Webhooks), as the sender would send one, so the
     * signed request is accepted by an endpoint that requires an id (the default).
     *
     * @return the signed copy; some schemes also change the URL (Twilio JSON bodies get
     *     {@code bodySHA256}) or the body (Mailgun wraps it in a signed envelope)
     * @throws IllegalArgumentException when the scheme signs the URL and the request has none;
     *     when an event id or type was given and the scheme carries none (HubSpot, SendGrid and
     *     Zoom carry no id), or reads it from a body that does not carry that value
     */
    public WebhookRequest sign() {
      EventFields fields = scheme.eventFields();
      WebhookRequest.Builder unsigned = request.toBuilder();
      // Where the id is the signed message id (Standard Webhooks), an explicit one goes there.
      boolean signedIdHeader = fields.idSources().isEmpty() && eventId != null && scheme.signedIdHeader() != null;
      String idHeader = signedIdHeader ? scheme.signedIdHeader() : firstHeader(fields.idSources(), "event id", eventId);
      if (idHeader != null) {
        if (eventId != null) {
          unsigned.setHeader(idHeader, eventId);
        } else if (fields.read(request).id() == null) {
          unsigned.setHeader(idHeader, scheme.newEventId());
        }
      }
      String typeHeader = firstHeader(fields.typeSources(), "event type", eventType);
      if (typeHeader != null && eventType != null) {
        unsigned.setHeader(typeHeader, eventType);
      }
      WebhookRequest signed = scheme.sign(unsigned.build(), key, sentAt != null ? sentAt : clock.instant());
      if (eventId != null || eventType != null) {
        // Body-borne values cannot be set without rewriting what the caller wants signed: check.
        EventFields.Values values = fields.read(signed);
        if (!signedIdHeader) {
          check(eventId, values.id(), fields.idSources(), "event id");
        }
        check(eventType, values.type(), fields.typeSources(), "event type");
      }
      return signed;
    }

    /** The header to set, or null where the first place the scheme reads is the body. */
    private @Nullable String firstHeader(List<FieldSource> sources, String what, @Nullable String value) {
      if (sources.isEmpty()) {
        if (value != null) {
          throw new IllegalArgumentException(scheme.id() + " deliveries carry no " + what);
        }
        return null;
      }
      return sources.get(0).header();
    }

    private void check(@Nullable String wanted, @Nullable String found, List<FieldSource> sources, String what) {
      if (wanted != null && !wanted.equals(found)) {
        throw new IllegalArgumentException(scheme.id() + " reads the " + what + " from the body's JSON field '"
            + sources.get(0).jsonPath() + "', and this body does not carry that value: put it there");
      }
    }
  }

  private static String requireText(String text, String what) {
    if (requireNonNull(text, what).isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return text;
  }

  /** Configures a {@link WebhookSigner}. */
  public static final class Builder {
    private final WebhookScheme scheme;
    private Keys.@Nullable SigningKey key;
    private Clock clock = Clock.systemUTC();

    private Builder(WebhookScheme scheme) {
      this.scheme = requireNonNull(scheme, "scheme");
    }

    /**
     * Signs with a shared secret, in the same form a verifier takes it.
     *
     * @param secret the secret
     * @return this builder
     * @throws IllegalArgumentException when it is empty, blank, an unresolved {@code ${...}}
     *     placeholder, or not in the sender's encoding
     */
    public Builder secret(String secret) {
      this.key = scheme.signingSecret(WebhookScheme.requireSecretText(secret, "secret"));
      return this;
    }

    /**
     * Signs with a private key: Ed25519 as hex seed (Discord) or {@code whsk_}/base64 (Standard
     * Webhooks {@code v1a}); ECDSA P-256 as base64 PKCS#8 DER or PEM (SendGrid); for JWT schemes
     * (Plaid, Google ID tokens) {@code <kid>:<PEM or base64 PKCS#8>}, the kid the tokens name.
     *
     * @param privateKey the private key
     * @return this builder
     * @throws IllegalArgumentException when it is empty, blank, an unresolved {@code ${...}}
     *     placeholder, or not a valid key of the scheme's form
     */
    public Builder privateKey(String privateKey) {
      this.key = scheme.privateKey(WebhookScheme.requireSecretText(privateKey, "private key"));
      return this;
    }

    /**
     * The clock that timestamps signatures; the system UTC clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes the signer.
     *
     * @return the signer
     * @throws IllegalStateException when no key is set
     */
    public WebhookSigner build() {
      if (key == null) {
        throw new IllegalStateException(scheme.id() + ": set a secret or private key to sign with");
      }
      return new WebhookSigner(scheme, key, clock);
    }
  }
}
