package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Signs requests the way a sender would, for tests and demo senders: the same scheme code that
 * verifies builds what is signed. Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookRequest signed = WebhookSigner.builder(Providers.GITHUB).secret("s3cret").build()
 *     .sign(WebhookRequest.builder().url("https://example.com/hooks").body(json).build());
 * }</pre>
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
   * Signs a request at the clock's current time.
   *
   * @param request the unsigned request (URL set for URL-signing schemes)
   * @return a copy with the signature headers set; some schemes also change the URL (Twilio JSON
   *     bodies get {@code bodySHA256}) or the body (Mailgun wraps it in a signed envelope)
   * @throws IllegalArgumentException when the scheme signs the URL and the request has none
   */
  public WebhookRequest sign(WebhookRequest request) {
    return sign(request, clock.instant());
  }

  /**
   * Signs a request as if sent at the given time, for example to produce a stale delivery.
   *
   * @param request the unsigned request
   * @param sentAt the timestamp to sign
   * @return the signed copy
   */
  public WebhookRequest sign(WebhookRequest request, Instant sentAt) {
    return scheme.sign(requireNonNull(request, "request"), key, requireNonNull(sentAt, "sentAt"));
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
     * Webhooks {@code v1a}); ECDSA P-256 as base64 PKCS#8 DER or PEM (SendGrid).
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
