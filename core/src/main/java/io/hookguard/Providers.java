package io.hookguard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in schemes, one per sender. Secrets are given in the form each sender hands them out
 * (see each constant); the README has the full table.
 *
 * <p>Every scheme here but {@link #TWILIO}, {@link #MAILGUN}, {@link #MANDRILL},
 * {@link #TRAVIS_CI}, {@link #ADYEN}, {@link #BRAINTREE}, {@link #AWS_SNS} and {@link #PAYPAL} is
 * written with {@link WebhookScheme#builder(String)}, the same public {@link SchemeBuilder} users
 * describe their own senders with; those eight are hand-written because their layout is not one the
 * builder describes (the last two also fetch their signing certificates, through {@link RemoteDocuments}).
 */
public final class Providers {
  /**
   * Every constant, in declaration order: each is handed to {@link #builtIn} as it is defined,
   * and static initialisers run in textual order (JLS 12.4.2), so this list needs no second,
   * hand-kept copy of the constants. Declared before them so that it exists when they are.
   */
  private static final List<WebhookScheme> DECLARED = new ArrayList<>();

  /**
   * Standard Webhooks and Svix: {@code webhook-*} or {@code svix-*} headers (senders built on it
   * have their own constants that read the one family they send: {@link #CLERK},
   * {@link #RESEND}, {@link #OPENAI}, {@link #REPLICATE}), {@code v1} HMAC-SHA256 over
   * {@code {id}.{timestamp}.{body}} with a {@code whsec_} secret, or {@code v1a} Ed25519 with a
   * public key: base64 of the raw 32 bytes or of the 44-byte X.509 SubjectPublicKeyInfo, with or
   * without {@code whpk_}. Event id: the {@code webhook-id} header; ±5 minutes.
   */
  public static final WebhookScheme STANDARD_WEBHOOKS = builtIn(WebhookScheme.builder("standard-webhooks")
      .signatureHeader("webhook-signature")
      .timestampHeader("webhook-timestamp", TimestampFormat.UNIX_SECONDS)
      .idHeader("webhook-id")
      .headerFamily("svix-signature", "svix-timestamp", "svix-id")
      .versionedList("v1", "v1a")
      .encoding(SignatureEncoding.BASE64)
      .signedContent("{id}.{timestamp}.{body}")
      .secretEncoding(SecretEncoding.STANDARD_WEBHOOKS)
      .ed25519PublicKeys(PublicKeyEncoding.STANDARD_WEBHOOKS)
      .eventIdHeader("webhook-id").eventIdHeader("svix-id")
      .eventTypeJsonField("type")
      .build());

  /**
   * Stripe: {@code Stripe-Signature: t=…,v1=…}, HMAC-SHA256 over {@code {t}.{body}} keyed with the
   * whole {@code whsec_…} string as UTF-8; several {@code v1} during a secret roll. Event id: body
   * {@code id}; ±5 minutes.
   */
  public static final WebhookScheme STRIPE = builtIn(WebhookScheme.builder("stripe")
      .signatureHeader("Stripe-Signature")
      .keyValueList(',', "v1", "t")
      .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS)
      .signedContent("{timestamp}.{body}")
      .eventIdJsonField("id")
      .eventTypeJsonField("type")
      .build());

  /**
   * GitHub: {@code X-Hub-Signature-256: sha256=<hex>} over the body. No timestamp, so no replay
   * window. Event id: the {@code X-GitHub-Delivery} header (not covered by the signature).
   */
  public static final WebhookScheme GITHUB = builtIn(WebhookScheme.builder("github")
      .signatureHeader("X-Hub-Signature-256").prefix("sha256=")
      .eventIdHeader("X-GitHub-Delivery")
      .eventTypeHeader("X-GitHub-Event")
      .build());

  /**
   * GitHub's legacy {@code X-Hub-Signature: sha1=<hex>}. Separate from {@link #GITHUB} so that
   * nobody is downgraded to SHA-1 by accident.
   */
  public static final WebhookScheme GITHUB_SHA1 = builtIn(WebhookScheme.builder("github-sha1")
      .signatureHeader("X-Hub-Signature").prefix("sha1=")
      .algorithm(HmacAlgorithm.SHA1)
      .eventIdHeader("X-GitHub-Delivery")
      .eventTypeHeader("X-GitHub-Event")
      .build());

  /**
   * Slack: {@code X-Slack-Signature: v0=<hex>} over {@code v0:{timestamp}:{body}} with
   * {@code X-Slack-Request-Timestamp}. Event id: body {@code event_id} (Events API; slash
   * commands have none); ±5 minutes. Handshake: the signed {@code url_verification} request is
   * answered with its {@code challenge} ({@link Handshake#SLACK_URL_VERIFICATION}).
   */
  public static final WebhookScheme SLACK = builtIn(WebhookScheme.builder("slack")
      .signatureHeader("X-Slack-Signature").prefix("v0=")
      .timestampHeader("X-Slack-Request-Timestamp", TimestampFormat.UNIX_SECONDS)
      .signedContent("v0:{timestamp}:{body}")
      .eventIdJsonField("event_id")
      .eventTypeJsonField("event.type").eventTypeJsonField("type")
      .handshake(Handshake.SLACK_URL_VERIFICATION)
      .build());

  /**
   * Shopify: {@code X-Shopify-Hmac-Sha256} (or {@code Shopify-Hmac-Sha256}), base64 HMAC-SHA256
   * of the body with the app's client secret. Event id: {@code X-Shopify-Event-Id}, else
   * {@code X-Shopify-Webhook-Id}. No timestamp.
   */
  public static final WebhookScheme SHOPIFY = builtIn(WebhookScheme.builder("shopify")
      .signatureHeader("X-Shopify-Hmac-Sha256", "Shopify-Hmac-Sha256")
      .encoding(SignatureEncoding.BASE64)
      .eventIdHeader("X-Shopify-Event-Id").eventIdHeader("X-Shopify-Webhook-Id")
      .eventTypeHeader("X-Shopify-Topic")
      .build());

  /**
   * Twilio: {@code X-Twilio-Signature}, base64 HMAC-SHA1 with the Auth Token over the URL plus the
   * sorted form parameters, or over a URL carrying {@code bodySHA256} for JSON bodies. Needs the
   * full public URL on the request. Event id: {@code I-Twilio-Idempotency-Token}.
   * Hand-written ({@code TwilioScheme}): the signed form parameters are sorted, which no content
   * template describes.
   */
  public static final WebhookScheme TWILIO = builtIn(new TwilioScheme());

  /**
   * Paddle Billing: {@code Paddle-Signature: ts=…;h1=…}, HMAC-SHA256 over {@code {ts}:{body}}.
   * Event id: body {@code event_id}; ±5 minutes (Paddle's SDK allows only 5 s).
   */
  public static final WebhookScheme PADDLE = builtIn(WebhookScheme.builder("paddle")
      .signatureHeader("Paddle-Signature")
      .keyValueList(';', "h1", "ts")
      .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS)
      .signedContent("{timestamp}:{body}")
      .eventIdJsonField("event_id")
      .eventTypeJsonField("event_type")
      .build());

  /**
   * Square: {@code x-square-hmacsha256-signature}, base64 HMAC-SHA256 over the notification URL
   * followed by the body. Needs the URL exactly as registered. Event id: body {@code event_id}.
   */
  public static final WebhookScheme SQUARE = builtIn(WebhookScheme.builder("square")
      .signatureHeader("x-square-hmacsha256-signature")
      .encoding(SignatureEncoding.BASE64)
      .signedContent("{url}{body}")
      .eventIdJsonField("event_id")
      .eventTypeJsonField("type")
      .build());

  /**
   * Zoom: {@code x-zm-signature: v0=<hex>} over {@code v0:{timestamp}:{body}} with
   * {@code x-zm-request-timestamp}, keyed with the secret token. No event id; ±5 minutes.
   * Handshake: the signed {@code endpoint.url_validation} request is answered with its
   * {@code plainToken} and the HMAC-SHA256 of it ({@link Handshake#ZOOM_URL_VALIDATION}), as
   * Zoom's {@code webhook-sample} does after checking the signature.
   */
  public static final WebhookScheme ZOOM = builtIn(WebhookScheme.builder("zoom")
      .signatureHeader("x-zm-signature").prefix("v0=")
      .timestampHeader("x-zm-request-timestamp", TimestampFormat.UNIX_SECONDS)
      .signedContent("v0:{timestamp}:{body}")
      .eventTypeJsonField("event")
      .handshake(Handshake.ZOOM_URL_VALIDATION)
      .build());

  /**
   * Linear: {@code Linear-Signature}, hex HMAC-SHA256 of the body; the timestamp is the body's
   * {@code webhookTimestamp} in milliseconds, ±60 s as Linear's SDK. Event id:
   * {@code Linear-Delivery}.
   */
  public static final WebhookScheme LINEAR = builtIn(WebhookScheme.builder("linear")
      .signatureHeader("Linear-Signature")
      .timestampJsonField("webhookTimestamp", TimestampFormat.UNIX_MILLIS)
      .defaultTolerance(Duration.ofSeconds(60))
      .eventIdHeader("Linear-Delivery")
      // The body's type is signed, the Linear-Event header is not: the signed one first.
      .eventTypeJsonField("type").eventTypeHeader("Linear-Event")
      .build());

  /**
   * Intercom: {@code X-Hub-Signature: sha1=<hex>} over the body with the app's client secret.
   * Event id: body {@code id}. No timestamp.
   */
  public static final WebhookScheme INTERCOM = builtIn(WebhookScheme.builder("intercom")
      .signatureHeader("X-Hub-Signature").prefix("sha1=")
      .algorithm(HmacAlgorithm.SHA1)
      .eventIdJsonField("id")
      .eventTypeJsonField("topic")
      .build());

  /**
   * HubSpot v3: {@code X-HubSpot-Signature-v3}, base64 HMAC-SHA256 over
   * {@code {method}{decoded url}{body}{timestamp}} with {@code X-HubSpot-Request-Timestamp} in
   * milliseconds; ±5 minutes. Bodies are batches, so there is no single event id.
   */
  public static final WebhookScheme HUBSPOT = builtIn(WebhookScheme.builder("hubspot")
      .signatureHeader("X-HubSpot-Signature-v3")
      .timestampHeader("X-HubSpot-Request-Timestamp", TimestampFormat.UNIX_MILLIS)
      .encoding(SignatureEncoding.BASE64)
      .signedContent("{method}{decoded-url}{body}{timestamp}")
      .build());

  /**
   * Mailgun: the signature is inside the JSON body ({@code signature.timestamp},
   * {@code signature.token}, {@code signature.signature}). Event id: {@code event-data.id};
   * ±5 minutes. Hand-written ({@code MailgunScheme}): the signature is in the body, not a header.
   */
  public static final WebhookScheme MAILGUN = builtIn(new MailgunScheme());

  /**
   * SendGrid Event Webhook: ECDSA P-256 over {@code {timestamp}{body}}, base64 DER signature in
   * {@code X-Twilio-Email-Event-Webhook-Signature}; the verification key is base64 DER (or PEM).
   * Bodies are batches, so there is no single event id; ±5 minutes.
   */
  public static final WebhookScheme SENDGRID = builtIn(WebhookScheme.builder("sendgrid")
      .signatureHeader("X-Twilio-Email-Event-Webhook-Signature")
      .timestampHeader("X-Twilio-Email-Event-Webhook-Timestamp", TimestampFormat.UNIX_SECONDS)
      .encoding(SignatureEncoding.BASE64)
      .signedContent("{timestamp}{body}")
      .ecdsaP256PublicKeys()
      .build());

  /**
   * Discord interactions: Ed25519 over {@code {timestamp}{body}}, hex signature in
   * {@code X-Signature-Ed25519}, hex public key. Event id: body {@code id}; ±5 minutes.
   */
  public static final WebhookScheme DISCORD = builtIn(WebhookScheme.builder("discord")
      .signatureHeader("X-Signature-Ed25519")
      .timestampHeader("X-Signature-Timestamp", TimestampFormat.UNIX_SECONDS)
      .signedContent("{timestamp}{body}")
      .ed25519PublicKeys(PublicKeyEncoding.HEX)
      .eventIdJsonField("id")
      .eventTypeJsonField("type")
      .build());

  /**
   * Twitch EventSub: {@code Twitch-Eventsub-Message-Signature: sha256=<hex>} over
   * {@code {message id}{timestamp}{body}}, RFC 3339 timestamp; ±10 minutes as Twitch documents.
   * Event id: {@code Twitch-Eventsub-Message-Id}.
   */
  public static final WebhookScheme TWITCH = builtIn(WebhookScheme.builder("twitch")
      .signatureHeader("Twitch-Eventsub-Message-Signature").prefix("sha256=")
      .timestampHeader("Twitch-Eventsub-Message-Timestamp", TimestampFormat.RFC_3339)
      .idHeader("Twitch-Eventsub-Message-Id")
      .signedContent("{id}{timestamp}{body}")
      .defaultTolerance(Duration.ofMinutes(10))
      .eventIdHeader("Twitch-Eventsub-Message-Id")
      .eventTypeHeader("Twitch-Eventsub-Subscription-Type")
      .build());

  /**
   * GitLab (classic): the {@code X-Gitlab-Token} header compared in constant time with the
   * configured token. No signature over the body and no timestamp. Event id:
   * {@code Idempotency-Key}, else {@code X-Gitlab-Event-UUID}. For GitLab's signing tokens use
   * {@link #STANDARD_WEBHOOKS}.
   */
  public static final WebhookScheme GITLAB = builtIn(WebhookScheme.builder("gitlab")
      .signatureHeader("X-Gitlab-Token").sharedToken()
      .eventIdHeader("Idempotency-Key").eventIdHeader("X-Gitlab-Event-UUID")
      .eventTypeHeader("X-Gitlab-Event")
      .build());

  /**
   * PagerDuty v3: {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]} over the body; the secret is
   * used as UTF-8 text, not decoded. Event id: body {@code event.id}. No timestamp.
   */
  public static final WebhookScheme PAGERDUTY = builtIn(WebhookScheme.builder("pagerduty")
      .signatureHeader("X-PagerDuty-Signature")
      .keyValueList(',', "v1", null)
      .eventIdJsonField("event.id")
      .eventTypeJsonField("event.event_type")
      .build());

  /**
   * Typeform: {@code Typeform-Signature: sha256=<base64>} over the body. Event id: body
   * {@code event_id}. No timestamp.
   */
  public static final WebhookScheme TYPEFORM = builtIn(WebhookScheme.builder("typeform")
      .signatureHeader("Typeform-Signature").prefix("sha256=")
      .encoding(SignatureEncoding.BASE64)
      .eventIdJsonField("event_id")
      .eventTypeJsonField("event_type")
      .build());

  // ---- Standard Webhooks senders: the same recipe, each with the header family it sends ----

  /**
   * Clerk (user and session events), delivered through Svix: {@code svix-id},
   * {@code svix-timestamp}, {@code svix-signature: v1,<base64> …}, HMAC-SHA256 over
   * {@code {id}.{timestamp}.{body}} with the endpoint's {@code whsec_} signing secret. Only the
   * {@code svix-*} family: Clerk's own {@code verifyWebhook} (@clerk/backend) requires those three
   * headers. Event id: the signed {@code svix-id}; type: body {@code type}; ±5 minutes.
   */
  public static final WebhookScheme CLERK = builtIn(standardWebhooksFamily("clerk", "svix")
      .eventTypeJsonField("type")
      .build());

  /**
   * Resend, delivered through Svix: the {@code svix-*} headers, as Resend's SDKs
   * ({@code resend.webhooks.verify}, resend-java's {@code Webhooks.verify}) read them; HMAC-SHA256
   * over {@code {id}.{timestamp}.{body}} with the {@code whsec_} signing secret. Event id: the
   * signed {@code svix-id}; type: body {@code type}; ±5 minutes.
   */
  public static final WebhookScheme RESEND = builtIn(standardWebhooksFamily("resend", "svix")
      .eventTypeJsonField("type")
      .build());

  /**
   * OpenAI (background responses, batches, fine-tuning, evals): Standard Webhooks'
   * {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>}, as
   * OpenAI's SDKs ({@code client.webhooks.verify_signature}) read them; HMAC-SHA256 over
   * {@code {id}.{timestamp}.{body}} with the {@code whsec_} secret. Event id: the signed
   * {@code webhook-id}; type: body {@code type}; ±5 minutes.
   */
  public static final WebhookScheme OPENAI = builtIn(standardWebhooksFamily("openai", "webhook")
      .eventTypeJsonField("type")
      .build());

  /**
   * Replicate (prediction and training updates): {@code webhook-id}, {@code webhook-timestamp},
   * {@code webhook-signature: v1,<base64>}, as replicate-python's {@code Webhooks.validate} reads
   * them; HMAC-SHA256 over {@code {id}.{timestamp}.{body}} with the {@code whsec_} secret from
   * {@code /v1/webhooks/default/secret}. Event id: the signed {@code webhook-id} (the same on a
   * retry); the body is the prediction, which has no event type; ±5 minutes.
   */
  public static final WebhookScheme REPLICATE = builtIn(standardWebhooksFamily("replicate", "webhook")
      .build());

  // ---- Senders that sign the body alone with HMAC ----

  /**
   * CircleCI outbound webhooks: {@code circleci-signature: v1=<hex>}, a comma-separated list of
   * versioned signatures of which only {@code v1} exists (HMAC-SHA256 of the body with the
   * webhook's secret as UTF-8); other versions are ignored, a header with none is
   * {@code UNSUPPORTED_SIGNATURE_VERSION}. No timestamp. Event id: body {@code id} (CircleCI
   * reuses it on a retry); type: body {@code type}, else the {@code circleci-event-type} header.
   */
  public static final WebhookScheme CIRCLECI = builtIn(WebhookScheme.builder("circleci")
      .signatureHeader("circleci-signature")
      .keyValueList(',', "v1", null)
      .eventIdJsonField("id")
      .eventTypeJsonField("type").eventTypeHeader("circleci-event-type")
      .build());

  /**
   * Logto: {@code logto-signature-sha-256: <hex>}, HMAC-SHA256 of the body with the webhook's
   * signing key as UTF-8 (logto's {@code sign.ts}; an early version prefixed {@code sha256=},
   * today's does not). No timestamp and no delivery id: the payload's {@code hookId} names the
   * webhook, not the event, and {@code createdAt} is not unique, so there is no event id and
   * deduplication keys on the signed body, which a retry (Logto retries the same request) repeats
   * byte for byte. Type: body {@code event}.
   */
  public static final WebhookScheme LOGTO = builtIn(WebhookScheme.builder("logto")
      .signatureHeader("logto-signature-sha-256")
      .eventTypeJsonField("event")
      .build());

  /**
   * WooCommerce: {@code X-WC-Webhook-Signature}, base64 HMAC-SHA256 of the body with the
   * webhook's secret ({@code WC_Webhook::generate_signature}; sha256 unless a site filter changes
   * it). No timestamp. Event id: {@code X-WC-Webhook-Delivery-ID} (not signed); type:
   * {@code X-WC-Webhook-Topic}. Handshake: WooCommerce's unsigned ping when a webhook is saved
   * (a body of exactly {@code webhook_id=<n>} without a signature header, which must get a 200) is
   * answered 200 ({@link Handshake#WOOCOMMERCE_PING}).
   */
  public static final WebhookScheme WOOCOMMERCE = builtIn(WebhookScheme.builder("woocommerce")
      .signatureHeader("X-WC-Webhook-Signature")
      .encoding(SignatureEncoding.BASE64)
      .eventIdHeader("X-WC-Webhook-Delivery-ID")
      .eventTypeHeader("X-WC-Webhook-Topic")
      .handshake(Handshake.WOOCOMMERCE_PING)
      .build());

  /**
   * DocuSign Connect with HMAC: one {@code X-DocuSign-Signature-<n>} header per active Connect
   * key, each a base64 HMAC-SHA256 of the body; all of {@code -1} to {@code -100} are read and
   * any may match any configured key, so keys rotate without a gap. No timestamp. No event id:
   * the JSON payload has none, and a retry increments its {@code retryCount}, so the body key does
   * not catch retries either; key on {@code data.envelopeId} and {@code event} in the
   * application. Type: body {@code event}.
   */
  public static final WebhookScheme DOCUSIGN = builtIn(WebhookScheme.builder("docusign")
      .numberedSignatureHeaders("X-DocuSign-Signature-", 100)
      .encoding(SignatureEncoding.BASE64)
      .eventTypeJsonField("event")
      .build());

  /**
   * Bitbucket Cloud: {@code X-Hub-Signature: sha256=<hex>}, HMAC-SHA256 of the body with the
   * webhook's secret (the same header name as GitHub's SHA-1 one, with SHA-256). No timestamp.
   * Event id: {@code X-Request-UUID} (not signed); type: {@code X-Event-Key}.
   */
  public static final WebhookScheme BITBUCKET = builtIn(WebhookScheme.builder("bitbucket")
      .signatureHeader("X-Hub-Signature").prefix("sha256=")
      .eventIdHeader("X-Request-UUID")
      .eventTypeHeader("X-Event-Key")
      .build());

  /**
   * Gitea: {@code X-Gitea-Signature: <hex>}, HMAC-SHA256 of the body with the webhook's secret
   * ({@code addDefaultHeaders} in Gitea's {@code services/webhook/deliver.go}). No timestamp.
   * Event id: {@code X-Gitea-Delivery} (the hook task's UUID, not signed); type:
   * {@code X-Gitea-Event}.
   */
  public static final WebhookScheme GITEA = builtIn(WebhookScheme.builder("gitea")
      .signatureHeader("X-Gitea-Signature")
      .eventIdHeader("X-Gitea-Delivery")
      .eventTypeHeader("X-Gitea-Event")
      .build());

  /**
   * Forgejo: {@code X-Forgejo-Signature: <hex>}, HMAC-SHA256 of the body with the webhook's
   * secret (Forgejo also sends Gitea's headers; this reads its own). No timestamp. Event id:
   * {@code X-Forgejo-Delivery} (not signed); type: {@code X-Forgejo-Event}.
   */
  public static final WebhookScheme FORGEJO = builtIn(WebhookScheme.builder("forgejo")
      .signatureHeader("X-Forgejo-Signature")
      .eventIdHeader("X-Forgejo-Delivery")
      .eventTypeHeader("X-Forgejo-Event")
      .build());

  /**
   * Vercel: {@code x-vercel-signature: <hex>}, HMAC-SHA1 of the body with the webhook's secret
   * (or the integration's client secret). No timestamp. Event id: body {@code id}; type: body
   * {@code type}.
   */
  public static final WebhookScheme VERCEL = builtIn(WebhookScheme.builder("vercel")
      .signatureHeader("x-vercel-signature")
      .algorithm(HmacAlgorithm.SHA1)
      .eventIdJsonField("id")
      .eventTypeJsonField("type")
      .build());

  /**
   * Meta (Facebook, Instagram, WhatsApp Cloud API): {@code X-Hub-Signature-256: sha256=<hex>},
   * HMAC-SHA256 of the body with the app secret. No timestamp. Bodies batch entries, so there is
   * no single event id; type: body {@code object} ({@code page}, {@code instagram},
   * {@code whatsapp_business_account}). Handshake: the {@code GET hub.mode=subscribe}
   * verification request is answered with {@code hub.challenge} when {@code hub.verify_token}
   * matches the verifier's {@linkplain WebhookVerifier.Builder#verifyToken verify token}, 403
   * otherwise ({@link Handshake#META_SUBSCRIBE}).
   */
  public static final WebhookScheme META = builtIn(WebhookScheme.builder("meta")
      .signatureHeader("X-Hub-Signature-256").prefix("sha256=")
      .eventTypeJsonField("object")
      .handshake(Handshake.META_SUBSCRIBE)
      .build());

  /**
   * Mailchimp Transactional (Mandrill): {@code X-Mandrill-Signature}, base64 HMAC-SHA1 with the
   * webhook's key over the webhook URL exactly as configured in Mandrill followed by each POST
   * field sorted by name, {@code name + value} with no separator (the docs'
   * {@code generateSignature}). Needs the full public URL on the request (set the endpoint's
   * {@code publicOrigin}). Deliveries are forms, {@code mandrill_events=<JSON array>}; any other
   * body is refused. No timestamp. Each body is a batch of events with their own {@code _id}, so
   * there is no single event id (deduplication keys on the decoded, sorted fields).
   * Hand-written ({@code MandrillScheme}): sorted form fields are not a content template.
   * Handshake: the unsigned {@code HEAD} Mandrill sends to check a new webhook URL is answered 200
   * ({@link Handshake#MANDRILL_HEAD}).
   */
  public static final WebhookScheme MANDRILL = builtIn(new MandrillScheme());

  // ---- Public-key senders ----

  /**
   * Travis CI: {@code Signature}, base64 RSA PKCS#1 v1.5 with SHA-1 over the decoded value of the
   * {@code payload} form field; the body must be a form holding that one field. The public key is
   * the PEM (or base64 DER X.509) key Travis publishes at {@code https://api.travis-ci.com/config}
   * ({@code config.notifications.webhook.public_key}; travis-ci.org's differs), 2048 bits or more,
   * given as configuration; or, instead of a key, that URL itself
   * ({@code publicKey("https://api.travis-ci.com/config")} or {@code .org}, the only two taken),
   * and the key is then fetched from it through {@link RemoteDocuments} (cached; never per
   * delivery; unreachable: 503 {@code key-unavailable}). SHA-1 is what Travis signs
   * with. No timestamp; no event id (the payload's {@code id} is the build's, the same for its
   * started and finished notifications): deduplication keys on the signed payload. Hand-written
   * ({@code TravisScheme}): one form field as the signed content is not a template.
   */
  public static final WebhookScheme TRAVIS_CI = builtIn(new TravisScheme());


  /**
   * Telnyx (API v2): Ed25519 over {@code {telnyx-timestamp}|{body}}, base64 signature in
   * {@code telnyx-signature-ed25519}, {@code telnyx-timestamp} in Unix seconds; the public key
   * from the Telnyx portal is base64 of the raw 32 bytes (its 44-byte X.509 form is accepted
   * too). ±5 minutes: Telnyx's SDKs allow 300 s, on the past side only; Hookguard checks both
   * sides. Event id: body {@code data.id}; type: body {@code data.event_type}.
   */
  public static final WebhookScheme TELNYX = builtIn(WebhookScheme.builder("telnyx")
      .signatureHeader("telnyx-signature-ed25519")
      .timestampHeader("telnyx-timestamp", TimestampFormat.UNIX_SECONDS)
      .encoding(SignatureEncoding.BASE64)
      .signedContent("{timestamp}|{body}")
      .ed25519PublicKeys(PublicKeyEncoding.BASE64)
      .eventIdJsonField("data.id")
      .eventTypeJsonField("data.event_type")
      .build());

  // ---- Senders that sign nothing: a shared credential, compared whole ----

  /**
   * Telegram Bot API: the {@code secret_token} given to {@code setWebhook}, sent back in
   * {@code X-Telegram-Bot-Api-Secret-Token} and compared whole in constant time. Telegram signs
   * nothing: the token proves the sender, not the body. Event id: body {@code update_id} (the
   * same on Telegram's retries; not covered by anything, so deduplication keys on the body too).
   */
  public static final WebhookScheme TELEGRAM = builtIn(WebhookScheme.builder("telegram")
      .signatureHeader("X-Telegram-Bot-Api-Secret-Token").sharedToken()
      .eventIdJsonField("update_id")
      .build());

  /**
   * HTTP basic authentication for senders that sign nothing but send the credentials of the
   * webhook URL (Postmark, Azure DevOps service hooks, Dialogflow ES fulfillment):
   * {@code Authorization: Basic base64(user:password)}, the scheme name in any case. Configure
   * {@code user:password} pairs as secrets, several during a rotation; each is compared whole in
   * constant time. Nothing about the body is proven. No event id (deduplication keys on the
   * body); for a sender with an id, describe it with {@link SchemeBuilder#basicAuth()}.
   */
  public static final WebhookScheme BASIC_AUTH = builtIn(WebhookScheme.builder("basic-auth")
      .signatureHeader("Authorization").basicAuth()
      .build());

  /**
   * A bearer token for senders that let you add a header and sign nothing (Azure DevOps and
   * Dialogflow custom headers): {@code Authorization: Bearer <token>} (the prefix exactly so, as
   * senders write it), the token compared whole in constant
   * time; several tokens during a rotation. Nothing about the body is proven. No event id
   * (deduplication keys on the body). For a token in another header, describe it with
   * {@link SchemeBuilder#sharedToken()}.
   */
  public static final WebhookScheme BEARER_TOKEN = builtIn(WebhookScheme.builder("bearer-token")
      .signatureHeader("Authorization").prefix("Bearer ").sharedToken()
      .build());

  // ---- Senders that sign fields of the body ----

  /**
   * Adyen standard webhooks: each of the JSON body's {@code notificationItems} carries
   * {@code NotificationRequestItem.additionalData.hmacSignature}, the base64 HMAC-SHA256 of
   * {@code pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success}
   * ({@code amount.value}, {@code amount.currency}; absent fields empty, values as decoded, no
   * escaping: Adyen's docs and its Java, PHP and Node libraries), keyed with the hex-decoded HMAC
   * key from the Customer Area; several keys during a rotation. Every item must verify, or the
   * delivery is refused. <strong>Only those eight fields are signed</strong>: the rest of the
   * body ({@code additionalData} but the signature, {@code reason}, {@code eventDate},
   * {@code live}, …) is not, so act on the signed fields and fetch anything else from Adyen.
   * No timestamp. Event id (signed): {@code eventCode:pspReference:success} of the item, joined
   * by {@code ','} for several; type: the items' {@code eventCode} (none for a batch of several
   * codes, which an endpoint with expected types treats as unexpected). Adyen accepts any 2xx as
   * the acknowledgement (it once required the body {@code [accepted]}, which a handler can
   * still return). Hand-written ({@code AdyenScheme}): one signature per item inside the body.
   */
  public static final WebhookScheme ADYEN = builtIn(new AdyenScheme());

  /**
   * Braintree: a form of {@code bt_signature} ({@code publicKey|hex} pairs joined by {@code &})
   * and {@code bt_payload} (the notification's XML in base64), each pair a hex HMAC-SHA1 over the
   * {@code bt_payload} text keyed with the SHA-1 of the private key; the HMAC over the payload
   * plus one {@code \n} is accepted too, as braintree-java does. Configure the API key pair as
   * {@code publicKey:privateKey}. The decoded payload must be XML. No timestamp; no event id (a
   * notification has a kind, a timestamp and a subject, none unique): deduplication keys on the
   * signed payload. Type: the notification's {@code kind}. Handshake: {@code GET ?bt_challenge=…}
   * is answered {@code publicKey|hex HMAC} over the challenge ({@link Handshake#BRAINTREE_CHALLENGE}).
   * Hand-written ({@code BraintreeScheme}): a signature in a form field under a derived key is not
   * a template.
   */
  public static final WebhookScheme BRAINTREE = builtIn(new BraintreeScheme());

  // ---- Senders that sign with a JWT ----

  /**
   * Plaid: the {@code Plaid-Verification} header is an ES256 JWT (Plaid's "Verify webhooks"
   * guide: refuse any {@code alg} but {@code ES256}) whose {@code request_body_sha256} claim is
   * the lower-case hex SHA-256 of the exact body, compared in constant time; {@code iat} at most
   * 5 minutes old (Plaid's guide), at most 60 s in the future. The key is the JWK Plaid's
   * {@code /webhook_verification_key/get} returns for the token's {@code kid} (a POST with the
   * application's {@code client_id} and {@code secret}): give it as a {@link JwtKeySource}
   * ({@link WebhookVerifier.Builder#keySource}; the source's Javadoc has a sample), cached by
   * kid, or as configured JWKs ({@link WebhookVerifier.Builder#publicKey}); a key whose
   * {@code expired_at} has passed is not used. No event id: Plaid's bodies carry none
   * ({@code item_id} names the Item, not the event), so deduplication keys on the signed body.
   * Type: {@code webhook_type.webhook_code}, such as {@code TRANSACTIONS.SYNC_UPDATES_AVAILABLE}.
   */
  public static final WebhookScheme PLAID = builtIn(WebhookScheme.jwt("plaid")
      .header("Plaid-Verification")
      .algorithm(JwtAlgorithm.ES256)
      .bodySha256Claim("request_body_sha256")
      .maxAge(Duration.ofMinutes(5))
      .eventTypeJsonFields("webhook_type", "webhook_code")
      .build());

  // ---- Senders whose signing certificate is fetched ----

  /**
   * AWS SNS over HTTP/S, SES notifications included (SES publishes them to an SNS topic): the JSON
   * message's {@code Signature}, base64 RSA PKCS#1 v1.5 — {@code SignatureVersion} 1 SHA-1, 2
   * SHA-256 — over {@code Name\nvalue\n} of the fields its {@code Type} signs, in byte order:
   * {@code Notification} Message, MessageId, Subject (when present), Timestamp, TopicArn, Type;
   * {@code SubscriptionConfirmation} and {@code UnsubscribeConfirmation} Message, MessageId,
   * SubscribeURL, Timestamp, Token, TopicArn, Type (AWS's "Verifying the signatures of Amazon
   * SNS messages" and aws-java-sdk-sns {@code SignatureChecker}). <strong>Nothing else is
   * signed</strong>: not {@code MessageAttributes}, not {@code UnsubscribeURL}, not the
   * {@code x-amz-sns-*} headers. The key is the X.509 certificate at {@code SigningCertURL},
   * which must be {@code https://sns.<region>.amazonaws.com/<name>.pem} ({@code .com.cn} in the
   * China regions) for the region of the topic, fetched through {@link RemoteDocuments} (cached;
   * never per delivery), RSA of 2048 bits or more, issued to {@code sns.amazonaws.com} (or SNS's
   * regional name) and valid now. The keys configured are the <strong>ARNs of the topics the
   * endpoint accepts</strong> ({@code publicKey("arn:aws:sns:us-east-1:123456789012:orders")}),
   * required: SNS signs every account's messages with the same certificates, so without a topic
   * list any AWS account could deliver to the endpoint. A message of another topic is refused
   * before anything is fetched. Window ±1 hour on {@code Timestamp} (SNS signs a message once and
   * retries it unchanged for up to an hour). Event id (signed): {@code MessageId}; type: the
   * message's {@code Type} (SES's own {@code notificationType} is inside the signed
   * {@code Message}). Handshake ({@link Handshake#SNS_SUBSCRIPTION}): a verified
   * {@code SubscriptionConfirmation} is confirmed by Hookguard and never reaches the application.
   * Hand-written ({@code AwsSnsScheme}): fields of a JSON body and a fetched certificate are not a
   * template.
   */
  public static final WebhookScheme AWS_SNS = builtIn(new AwsSnsScheme(null));

  /**
   * PayPal REST webhooks, verified offline: {@code PAYPAL-TRANSMISSION-SIG}, base64 RSA PKCS#1
   * v1.5 SHA-256 ({@code PAYPAL-AUTH-ALGO} must be {@code SHA256withRSA}, the one PayPal sends)
   * over {@code <PAYPAL-TRANSMISSION-ID>|<PAYPAL-TRANSMISSION-TIME>|<webhook id>|<CRC32 of the
   * raw body as an unsigned decimal>} (rest-api-sdk 1.14 {@code Event.validateReceivedEvent},
   * {@code SSLUtil.crc32}). The key is the certificate at {@code PAYPAL-CERT-URL}, which must be
   * {@code https://api[-m][.sandbox].paypal.com/v1/notifications/certs/CERT-…}, fetched through
   * {@link RemoteDocuments} (cached; never per delivery); its leaf must be RSA of 2048 bits or
   * more with the CN {@code messageverificationcerts[.sandbox].paypal.com}, valid now. The keys
   * configured are the <strong>webhook ids</strong> the endpoint accepts
   * ({@code publicKey("1JE4291016473214C")}, from the dashboard). Window ±5 minutes on
   * {@code PAYPAL-TRANSMISSION-TIME} (PayPal documents none). <strong>The body is covered only by
   * its CRC32</strong>, which is not a cryptographic digest: whoever holds a delivery's headers
   * can send another body of the same CRC32 under them within the window. The event id (body
   * {@code id}, the same on PayPal's retries) is therefore not signed, and deduplication keys on
   * the body too; before acting on money, read the event or its resource back from PayPal's API.
   * Type: body {@code event_type}. Hand-written ({@code PayPalScheme}): a CRC of the body inside
   * a signed string and a fetched certificate are not a template.
   */
  public static final WebhookScheme PAYPAL = builtIn(new PayPalScheme(null));

  private static final Map<String, WebhookScheme> BY_ID = index(DECLARED);

  private Providers() {}

  /**
   * Every built-in scheme.
   *
   * @return the schemes, in the order the constants are declared in this class
   */
  public static List<WebhookScheme> all() {
    return List.copyOf(BY_ID.values());
  }

  /**
   * Looks a built-in scheme up by its {@linkplain WebhookScheme#id() id}; {@code svix} is an
   * alias of {@code standard-webhooks}.
   *
   * @param id the id, for example {@code stripe}
   * @return the scheme, or empty when there is none of that id
   */
  public static Optional<WebhookScheme> byId(String id) {
    return Optional.ofNullable("svix".equals(id) ? STANDARD_WEBHOOKS : BY_ID.get(id));
  }

  /**
   * A Standard Webhooks HMAC sender that uses one header family only ({@code svix} or
   * {@code webhook}): {@code <prefix>-id}, {@code <prefix>-timestamp}, {@code <prefix>-signature}.
   * Accepting only the family the sender really sends keeps what reaches the verifier as narrow
   * as the sender's own SDK.
   */
  private static SchemeBuilder standardWebhooksFamily(String id, String headerPrefix) {
    return WebhookScheme.builder(id)
        .signatureHeader(headerPrefix + "-signature")
        .timestampHeader(headerPrefix + "-timestamp", TimestampFormat.UNIX_SECONDS)
        .idHeader(headerPrefix + "-id")
        .versionedList("v1")
        .encoding(SignatureEncoding.BASE64)
        .signedContent("{id}.{timestamp}.{body}")
        .secretEncoding(SecretEncoding.STANDARD_WEBHOOKS);
  }

  /** Records a constant as it is defined; see {@link #DECLARED}. */
  private static WebhookScheme builtIn(WebhookScheme scheme) {
    DECLARED.add(scheme);
    return scheme;
  }

  private static Map<String, WebhookScheme> index(List<WebhookScheme> schemes) {
    Map<String, WebhookScheme> byId = new LinkedHashMap<>();
    for (WebhookScheme scheme : schemes) {
      if (byId.putIfAbsent(scheme.id(), scheme) != null) {
        throw new IllegalStateException("two built-in schemes have the id " + scheme.id());
      }
    }
    return Collections.unmodifiableMap(byId);
  }

  /** Google's OAuth 2.0 signing keys, the JWK set Google-issued ID tokens are checked with. */
  public static final String GOOGLE_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs";

  /**
   * Google-issued OpenID Connect ID tokens in {@code Authorization: Bearer}, as Pub/Sub push
   * subscriptions with authentication and Dialogflow CX webhooks (service agent auth) send them:
   * RS256, {@code iss} {@code https://accounts.google.com} or {@code accounts.google.com},
   * {@code aud} containing this audience, {@code exp} required (Google's tokens last an hour),
   * {@code iat} at most an hour old and at most 60 s in the future. Keys: Google's JWK set,
   * {@link #GOOGLE_JWKS_URL}, by {@code kid} ({@code keySource(JwtKeySource.google())}, or the set
   * as configuration). Dialogflow CX sends one when its webhook's service agent auth is
   * {@code ID_TOKEN} (the default), minted for the agent's service agent
   * {@code service-<project number>@gcp-sa-dialogflow.iam.gserviceaccount.com}. <strong>The body is not signed</strong>: the token
   * authenticates the sender, not the bytes, and a captured token can carry another body until it
   * expires. Event id: the body's {@code message.messageId} (Pub/Sub push), not signed, so
   * deduplication keys on the body too; Dialogflow CX requests have none. Not in
   * {@link #all()}: the audience is the endpoint's own.
   *
   * @param audience the audience the subscription or agent was configured with (Pub/Sub: the
   *     push endpoint URL unless another was set)
   * @return the scheme, id {@code google-id-token}
   */
  public static WebhookScheme googleIdToken(String audience) {
    return googleIdTokenBuilder(audience).build();
  }

  /**
   * {@link #googleIdToken(String)} that also requires the token's {@code email} claim to be the
   * push subscription's service account and {@code email_verified} to be {@code true}, as
   * Google's guide for authenticated push recommends: any Google account can obtain an ID token
   * for any audience, so without this check the audience alone admits them.
   *
   * @param audience the configured audience
   * @param serviceAccountEmail the service account the subscription pushes as
   * @return the scheme, id {@code google-id-token}
   */
  public static WebhookScheme googleIdToken(String audience, String serviceAccountEmail) {
    return googleIdTokenBuilder(audience).email(serviceAccountEmail).build();
  }

  private static JwtSchemeBuilder googleIdTokenBuilder(String audience) {
    return WebhookScheme.jwt("google-id-token")
        .bearerHeader("Authorization")
        .algorithm(JwtAlgorithm.RS256)
        .issuer("https://accounts.google.com", "accounts.google.com")
        .audience(audience)
        .requireExpiry()
        .maxAge(Duration.ofHours(1))
        .eventIdJsonField("message.messageId")
        // With a dead-letter policy, Pub/Sub counts the attempts in the push body.
        .perAttemptJsonField("deliveryAttempt");
  }
}
