package io.hookguard;

import static io.hookguard.FieldSource.header;
import static io.hookguard.FieldSource.json;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in schemes, one per sender. Secrets are given in the form each sender hands them out
 * (see each constant); the README has the full table.
 */
public final class Providers {
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  /**
   * Standard Webhooks, and Svix and the senders built on it (Clerk, Resend, OpenAI, …):
   * {@code webhook-*} or {@code svix-*} headers, {@code v1} HMAC-SHA256 over
   * {@code {id}.{timestamp}.{body}} with a {@code whsec_} secret, or {@code v1a} Ed25519 with a
   * public key: base64 of the raw 32 bytes or of the 44-byte X.509 SubjectPublicKeyInfo, with or
   * without {@code whpk_}. Event id: the {@code webhook-id} header; ±5 minutes.
   */
  public static final WebhookScheme STANDARD_WEBHOOKS = DeclarativeScheme.builder("standard-webhooks")
      .headers("webhook-signature", "webhook-timestamp", "webhook-id")
      .headers("svix-signature", "svix-timestamp", "svix-id")
      .format(SignatureFormat.versionedList())
      .encoding(SignatureEncoding.BASE64)
      .content("{id}.{timestamp}.{body}")
      .timestampInHeader(TimestampFormat.UNIX_SECONDS)
      .hmac("v1", HmacAlgorithm.SHA256, SecretEncoding.STANDARD_WEBHOOKS)
      .publicKeys(Providers::standardWebhooksPublicKey, Providers::standardWebhooksPrivateKey)
      .eventId(header("webhook-id"), header("svix-id"))
      .eventType(json("type"))
      .build();

  /**
   * Stripe: {@code Stripe-Signature: t=…,v1=…}, HMAC-SHA256 over {@code {t}.{body}} keyed with the
   * whole {@code whsec_…} string as UTF-8; several {@code v1} during a secret roll. Event id: body
   * {@code id}; ±5 minutes.
   */
  public static final WebhookScheme STRIPE = DeclarativeScheme.builder("stripe")
      .signatureHeader("Stripe-Signature")
      .format(SignatureFormat.keyValueList(',', "v1", "t"))
      .content("{timestamp}.{body}")
      .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS)
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(json("id"))
      .eventType(json("type"))
      .build();

  /**
   * GitHub: {@code X-Hub-Signature-256: sha256=<hex>} over the body. No timestamp, so no replay
   * window. Event id: the {@code X-GitHub-Delivery} header (not covered by the signature).
   */
  public static final WebhookScheme GITHUB = DeclarativeScheme.builder("github")
      .signatureHeader("X-Hub-Signature-256")
      .format(SignatureFormat.prefixed("sha256="))
      .content("{body}")
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(header("X-GitHub-Delivery"))
      .eventType(header("X-GitHub-Event"))
      .build();

  /**
   * GitHub's legacy {@code X-Hub-Signature: sha1=<hex>}. Separate from {@link #GITHUB} so that
   * nobody is downgraded to SHA-1 by accident.
   */
  public static final WebhookScheme GITHUB_SHA1 = DeclarativeScheme.builder("github-sha1")
      .signatureHeader("X-Hub-Signature")
      .format(SignatureFormat.prefixed("sha1="))
      .content("{body}")
      .hmac(HmacAlgorithm.SHA1, SecretEncoding.UTF8)
      .eventId(header("X-GitHub-Delivery"))
      .eventType(header("X-GitHub-Event"))
      .build();

  /**
   * Slack: {@code X-Slack-Signature: v0=<hex>} over {@code v0:{timestamp}:{body}} with
   * {@code X-Slack-Request-Timestamp}. Event id: body {@code event_id} (Events API; slash
   * commands have none); ±5 minutes.
   */
  public static final WebhookScheme SLACK = DeclarativeScheme.builder("slack")
      .headers("X-Slack-Signature", "X-Slack-Request-Timestamp", null)
      .format(SignatureFormat.prefixed("v0="))
      .content("v0:{timestamp}:{body}")
      .timestampInHeader(TimestampFormat.UNIX_SECONDS)
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(json("event_id"))
      .eventType(json("event.type"), json("type"))
      .build();

  /**
   * Shopify: {@code X-Shopify-Hmac-Sha256} (or {@code Shopify-Hmac-Sha256}), base64 HMAC-SHA256
   * of the body with the app's client secret. Event id: {@code X-Shopify-Event-Id}, else
   * {@code X-Shopify-Webhook-Id}. No timestamp.
   */
  public static final WebhookScheme SHOPIFY = DeclarativeScheme.builder("shopify")
      .signatureHeader("X-Shopify-Hmac-Sha256")
      .signatureHeader("Shopify-Hmac-Sha256")
      .format(SignatureFormat.prefixed(""))
      .encoding(SignatureEncoding.BASE64)
      .content("{body}")
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(header("X-Shopify-Event-Id"), header("X-Shopify-Webhook-Id"))
      .eventType(header("X-Shopify-Topic"))
      .build();

  /**
   * Twilio: {@code X-Twilio-Signature}, base64 HMAC-SHA1 with the Auth Token over the URL plus the
   * sorted form parameters, or over a URL carrying {@code bodySHA256} for JSON bodies. Needs the
   * full public URL on the request. Event id: {@code I-Twilio-Idempotency-Token}.
   */
  public static final WebhookScheme TWILIO = new TwilioScheme();

  /**
   * Paddle Billing: {@code Paddle-Signature: ts=…;h1=…}, HMAC-SHA256 over {@code {ts}:{body}}.
   * Event id: body {@code event_id}; ±5 minutes (Paddle's SDK allows only 5 s).
   */
  public static final WebhookScheme PADDLE = DeclarativeScheme.builder("paddle")
      .signatureHeader("Paddle-Signature")
      .format(SignatureFormat.keyValueList(';', "h1", "ts"))
      .content("{timestamp}:{body}")
      .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS)
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(json("event_id"))
      .eventType(json("event_type"))
      .build();

  /**
   * Square: {@code x-square-hmacsha256-signature}, base64 HMAC-SHA256 over the notification URL
   * followed by the body. Needs the URL exactly as registered. Event id: body {@code event_id}.
   */
  public static final WebhookScheme SQUARE = DeclarativeScheme.builder("square")
      .signatureHeader("x-square-hmacsha256-signature")
      .format(SignatureFormat.prefixed(""))
      .encoding(SignatureEncoding.BASE64)
      .content("{url}{body}")
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(json("event_id"))
      .eventType(json("type"))
      .build();

  /**
   * Zoom: {@code x-zm-signature: v0=<hex>} over {@code v0:{timestamp}:{body}} with
   * {@code x-zm-request-timestamp}, keyed with the secret token. No event id; ±5 minutes.
   */
  public static final WebhookScheme ZOOM = DeclarativeScheme.builder("zoom")
      .headers("x-zm-signature", "x-zm-request-timestamp", null)
      .format(SignatureFormat.prefixed("v0="))
      .content("v0:{timestamp}:{body}")
      .timestampInHeader(TimestampFormat.UNIX_SECONDS)
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventType(json("event"))
      .build();

  /**
   * Linear: {@code Linear-Signature}, hex HMAC-SHA256 of the body; the timestamp is the body's
   * {@code webhookTimestamp} in milliseconds, ±60 s as Linear's SDK. Event id:
   * {@code Linear-Delivery}.
   */
  public static final WebhookScheme LINEAR = DeclarativeScheme.builder("linear")
      .signatureHeader("Linear-Signature")
      .format(SignatureFormat.prefixed(""))
      .content("{body}")
      .timestampInBody("webhookTimestamp", TimestampFormat.UNIX_MILLIS)
      .tolerance(Duration.ofSeconds(60))
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(header("Linear-Delivery"))
      .eventType(header("Linear-Event"), json("type"))
      .build();

  /**
   * Intercom: {@code X-Hub-Signature: sha1=<hex>} over the body with the app's client secret.
   * Event id: body {@code id}. No timestamp.
   */
  public static final WebhookScheme INTERCOM = DeclarativeScheme.builder("intercom")
      .signatureHeader("X-Hub-Signature")
      .format(SignatureFormat.prefixed("sha1="))
      .content("{body}")
      .hmac(HmacAlgorithm.SHA1, SecretEncoding.UTF8)
      .eventId(json("id"))
      .eventType(json("topic"))
      .build();

  /**
   * HubSpot v3: {@code X-HubSpot-Signature-v3}, base64 HMAC-SHA256 over
   * {@code {method}{decoded url}{body}{timestamp}} with {@code X-HubSpot-Request-Timestamp} in
   * milliseconds; ±5 minutes. Bodies are batches, so there is no single event id.
   */
  public static final WebhookScheme HUBSPOT = DeclarativeScheme.builder("hubspot")
      .headers("X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp", null)
      .format(SignatureFormat.prefixed(""))
      .encoding(SignatureEncoding.BASE64)
      .content("{method}{decoded-url}{body}{timestamp}")
      .timestampInHeader(TimestampFormat.UNIX_MILLIS)
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .build();

  /**
   * Mailgun: the signature is inside the JSON body ({@code signature.timestamp},
   * {@code signature.token}, {@code signature.signature}). Event id: {@code event-data.id};
   * ±5 minutes.
   */
  public static final WebhookScheme MAILGUN = new MailgunScheme();

  /**
   * SendGrid Event Webhook: ECDSA P-256 over {@code {timestamp}{body}}, base64 DER signature in
   * {@code X-Twilio-Email-Event-Webhook-Signature}; the verification key is base64 DER (or PEM).
   * Bodies are batches, so there is no single event id; ±5 minutes.
   */
  public static final WebhookScheme SENDGRID = DeclarativeScheme.builder("sendgrid")
      .headers("X-Twilio-Email-Event-Webhook-Signature", "X-Twilio-Email-Event-Webhook-Timestamp", null)
      .format(SignatureFormat.prefixed(""))
      .encoding(SignatureEncoding.BASE64)
      .content("{timestamp}{body}")
      .timestampInHeader(TimestampFormat.UNIX_SECONDS)
      .publicKeys(
          key -> Keys.ecdsaP256PublicKey("", base64Key(stripPem(key), "public key")),
          key -> Keys.ecdsaP256PrivateKey("", base64Key(stripPem(key), "private key")))
      .build();

  /**
   * Discord interactions: Ed25519 over {@code {timestamp}{body}}, hex signature in
   * {@code X-Signature-Ed25519}, hex public key. Event id: body {@code id}; ±5 minutes.
   */
  public static final WebhookScheme DISCORD = DeclarativeScheme.builder("discord")
      .headers("X-Signature-Ed25519", "X-Signature-Timestamp", null)
      .format(SignatureFormat.prefixed(""))
      .content("{timestamp}{body}")
      .timestampInHeader(TimestampFormat.UNIX_SECONDS)
      .publicKeys(
          key -> Keys.ed25519PublicKey("", hexKey(key, "public key")),
          key -> Keys.ed25519PrivateKey("", hexKey(key, "private key")))
      .eventId(json("id"))
      .eventType(json("type"))
      .build();

  /**
   * Twitch EventSub: {@code Twitch-Eventsub-Message-Signature: sha256=<hex>} over
   * {@code {message id}{timestamp}{body}}, RFC 3339 timestamp; ±10 minutes as Twitch documents.
   * Event id: {@code Twitch-Eventsub-Message-Id}.
   */
  public static final WebhookScheme TWITCH = DeclarativeScheme.builder("twitch")
      .headers("Twitch-Eventsub-Message-Signature", "Twitch-Eventsub-Message-Timestamp",
          "Twitch-Eventsub-Message-Id")
      .format(SignatureFormat.prefixed("sha256="))
      .content("{id}{timestamp}{body}")
      .timestampInHeader(TimestampFormat.RFC_3339)
      .tolerance(Duration.ofMinutes(10))
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(header("Twitch-Eventsub-Message-Id"))
      .eventType(header("Twitch-Eventsub-Subscription-Type"))
      .build();

  /**
   * GitLab (classic): the {@code X-Gitlab-Token} header compared in constant time with the
   * configured token. No signature over the body and no timestamp. Event id:
   * {@code Idempotency-Key}, else {@code X-Gitlab-Event-UUID}. For GitLab's signing tokens use
   * {@link #STANDARD_WEBHOOKS}.
   */
  public static final WebhookScheme GITLAB = new TokenScheme("gitlab", "X-Gitlab-Token",
      List.of(header("Idempotency-Key"), header("X-Gitlab-Event-UUID")),
      List.of(header("X-Gitlab-Event")));

  /**
   * PagerDuty v3: {@code X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]} over the body; the secret is
   * used as UTF-8 text, not decoded. Event id: body {@code event.id}. No timestamp.
   */
  public static final WebhookScheme PAGERDUTY = DeclarativeScheme.builder("pagerduty")
      .signatureHeader("X-PagerDuty-Signature")
      .format(SignatureFormat.keyValueList(',', "v1", null))
      .content("{body}")
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(json("event.id"))
      .eventType(json("event.event_type"))
      .build();

  /**
   * Typeform: {@code Typeform-Signature: sha256=<base64>} over the body. Event id: body
   * {@code event_id}. No timestamp.
   */
  public static final WebhookScheme TYPEFORM = DeclarativeScheme.builder("typeform")
      .signatureHeader("Typeform-Signature")
      .format(SignatureFormat.prefixed("sha256="))
      .encoding(SignatureEncoding.BASE64)
      .content("{body}")
      .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8)
      .eventId(json("event_id"))
      .eventType(json("event_type"))
      .build();

  private static final Map<String, WebhookScheme> BY_ID = index(STANDARD_WEBHOOKS, STRIPE, GITHUB,
      GITHUB_SHA1, SLACK, SHOPIFY, TWILIO, PADDLE, SQUARE, ZOOM, LINEAR, INTERCOM, HUBSPOT, MAILGUN,
      SENDGRID, DISCORD, TWITCH, GITLAB, PAGERDUTY, TYPEFORM);

  private Providers() {}

  /**
   * Every built-in scheme.
   *
   * @return the schemes, in a stable order
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

  private static Map<String, WebhookScheme> index(WebhookScheme... schemes) {
    Map<String, WebhookScheme> byId = new LinkedHashMap<>();
    for (WebhookScheme scheme : schemes) {
      byId.put(scheme.id(), scheme);
    }
    return byId;
  }

  private static Keys.VerificationKey standardWebhooksPublicKey(String key) {
    String text = key.strip();
    if (text.startsWith("whsec_")) {
      throw new IllegalArgumentException("public key is a whsec_ secret, not a whpk_ public key:"
          + " configure it with secret()");
    }
    if (text.startsWith("whsk_")) {
      throw new IllegalArgumentException("public key is a whsk_ private key, which signs: verify"
          + " with its whpk_ public key");
    }
    return Keys.ed25519RawOrSpkiPublicKey("v1a", base64Key(stripPrefix(text, "whpk_"), "public key"));
  }

  private static Keys.SigningKey standardWebhooksPrivateKey(String key) {
    String text = key.strip();
    if (text.startsWith("whsec_")) {
      throw new IllegalArgumentException("private key is a whsec_ secret, not a whsk_ private key:"
          + " sign with secret()");
    }
    if (text.startsWith("whpk_")) {
      throw new IllegalArgumentException("private key is a whpk_ public key, which only verifies:"
          + " sign with the whsk_ private key");
    }
    return Keys.ed25519PrivateKey("v1a", base64Key(stripPrefix(text, "whsk_"), "private key"));
  }

  private static String stripPrefix(String key, String prefix) {
    return key.startsWith(prefix) ? key.substring(prefix.length()) : key;
  }

  private static String stripPem(String key) {
    return key.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
  }

  private static byte[] base64Key(String text, String what) {
    try {
      return Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64");
    }
  }

  private static byte[] hexKey(String text, String what) {
    try {
      return HexFormat.of().parseHex(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid hexadecimal");
    }
  }
}
