package io.hookguard;

/**
 * How a sender proves an endpoint before (or while) it delivers to it, answered by Hookguard so
 * that the application's handler never sees it. A scheme has at most one
 * ({@link WebhookScheme#handshake()}). Two kinds:
 *
 * <ul>
 *   <li><b>Unsigned</b> ({@link #signed()} false): the sender signs nothing, so only a request of
 *       the exact shape is answered, before verification, by
 *       {@link WebhookVerifier#answerHandshake(WebhookRequest)}; a request that merely resembles
 *       one (a body where there is none, an extra parameter, a malformed challenge) is not a
 *       handshake and goes on to verification, where it fails. The answer never depends on the
 *       signing key in a way that could sign a delivery.
 *   <li><b>Signed</b> ({@link #signed()} true): the handshake is a delivery like any other, signed
 *       and in the window; once it verified, {@link VerifiedWebhook#handshake()} holds the answer.
 * </ul>
 *
 * In the delivery lifecycle ({@code io.hookguard.delivery}) neither kind claims an event id,
 * reaches an inbox or runs the handler; the audit outcome is {@code HANDSHAKE}.
 */
public enum Handshake {
  /**
   * Meta (Facebook, Instagram, WhatsApp) subscription verification: {@code GET} without a body
   * whose query is exactly {@code hub.mode=subscribe}, {@code hub.verify_token} and
   * {@code hub.challenge} (1 to 256 unreserved URL characters), each once. When the token equals
   * a configured {@linkplain WebhookVerifier.Builder#verifyToken verify token} (compared in
   * constant time), the answer is the challenge as {@code text/plain}, 200; otherwise 403
   * {@code handshake-refused}.
   */
  META_SUBSCRIBE(false, "GET"),

  /**
   * Mailchimp Transactional (Mandrill): the {@code HEAD} request without a body it sends to a new
   * or changed webhook URL, answered 200 with nothing. (Without a 200 Mandrill falls back to a
   * test {@code POST} with an empty {@code mandrill_events} signed with the generic key
   * {@code test-webhook}, which an endpoint configured with its real key refuses.)
   */
  MANDRILL_HEAD(false, "HEAD"),

  /**
   * WooCommerce's ping when a webhook is saved ({@code WC_Webhook::deliver_ping}): a {@code POST}
   * without {@code X-WC-Webhook-Signature} whose body is exactly {@code webhook_id=<n>}
   * (form or no content type), answered 200 with nothing; WooCommerce wants exactly 200.
   */
  WOOCOMMERCE_PING(false, "POST"),

  /**
   * Braintree's destination check: {@code GET} without a body whose query is exactly
   * {@code bt_challenge=<20 to 32 lower-case hex digits>} (the SDKs' own check), answered
   * {@code text/plain} {@code <public key>|<hex HMAC-SHA1 keyed with SHA-1 of the private key over
   * the challenge>} with the first configured key pair (braintree-java's
   * {@code WebhookNotificationGateway.verify}).
   */
  BRAINTREE_CHALLENGE(false, "GET"),

  /**
   * Slack Events API: a signed delivery whose body is a JSON object with {@code type}
   * {@code url_verification} and a {@code challenge}, answered {@code application/json}
   * {@code {"challenge":"…"}}, 200.
   */
  SLACK_URL_VERIFICATION(true, "POST"),

  /**
   * Zoom: a signed delivery whose body is a JSON object with {@code event}
   * {@code endpoint.url_validation} and {@code payload.plainToken} (1 to 256 characters),
   * answered {@code application/json}
   * {@code {"plainToken":"…","encryptedToken":"<hex HMAC-SHA256 of plainToken with the secret
   * token that verified it>"}}, 200. An HMAC scheme only.
   */
  ZOOM_URL_VALIDATION(true, "POST"),

  /**
   * AWS SNS: a verified {@code SubscriptionConfirmation} for a configured topic is confirmed by
   * Hookguard — a {@code GET} of its {@code SubscribeURL}, only when that URL is {@code https} on
   * the SNS host of the topic's region with {@code Action=ConfirmSubscription} and the message's
   * {@code TopicArn}, through the verifier's {@link RemoteDocuments} fetcher — and answered 200
   * once SNS accepted it (503 {@code key-unavailable} when SNS could not be reached, so that it
   * sends the confirmation again). A verified {@code UnsubscribeConfirmation} is answered 200 and
   * nothing is fetched. Neither reaches the application.
   */
  SNS_SUBSCRIPTION(true, "POST");

  private final boolean signed;
  private final String method;

  Handshake(boolean signed, String method) {
    this.signed = signed;
    this.method = method;
  }

  /**
   * The HTTP method the sender's handshake request uses: {@code GET} (Meta, Braintree),
   * {@code HEAD} (Mandrill) or {@code POST}. A web framework that routes by method must let it
   * through to the endpoint, or the sender cannot subscribe it.
   *
   * @return the method, upper case
   */
  public String method() {
    return method;
  }

  /**
   * Whether the handshake is a signed delivery (answered after verification) rather than an
   * unsigned request of an exact shape (answered before it).
   *
   * @return {@code true} for signed handshakes
   */
  public boolean signed() {
    return signed;
  }
}
