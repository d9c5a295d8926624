package io.hookguard.test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What each built-in sender's deliveries look like, for the deliveries the kit makes up: the
 * form of its event ids, a common event type, and a small body carrying both where the sender
 * puts them in the body. Not the senders' full payloads: enough that Hookguard reads what it reads
 * from a real delivery.
 */
final class Senders {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String UPPER = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** One sender's sample. {@code typeHeader}: a header the sender sends the type in besides the body. */
  record Sample(String contentType, String type, @Nullable String typeHeader) {}

  private Senders() {}

  /** A fresh event id in the sender's form (Stripe {@code evt_…}, GitHub a UUID, …). */
  static String newEventId(String scheme) {
    Random random = RANDOM;
    return switch (scheme) {
      case "stripe" -> "evt_" + random(random, ALNUM, 24);
      case "paddle" -> "evt_" + random(random, UPPER, 26).toLowerCase(java.util.Locale.ROOT);
      case "slack" -> "Ev" + random(random, UPPER, 10);
      // Svix message ids (Clerk and Resend deliver through Svix; Replicate uses the same form).
      case "standard-webhooks", "clerk", "resend", "replicate" -> "msg_" + random(random, ALNUM, 27);
      case "openai" -> "wh_" + random(random, "0123456789abcdef", 32);
      case "woocommerce" -> random(random, "0123456789abcdef", 32); // wp_hash(): an md5 in hex
      case "vercel" -> random(random, ALNUM, 24);
      case "telegram" -> Integer.toString(100_000_000 + random.nextInt(800_000_000)); // update_id
      case "google-id-token" -> Long.toString(1_000_000_000_000_000L + Math.floorMod(random.nextLong(), 9_000_000_000_000_000L));

      case "intercom" -> "notif_" + UUID.randomUUID();
      case "discord" -> Long.toString(1_000_000_000_000_000_000L + Math.floorMod(RANDOM.nextLong(), 8_000_000_000_000_000_000L));
      case "pagerduty", "typeform" -> "01" + random(random, UPPER, 24);
      case "mailgun" -> random(random, ALNUM, 22);
      // eventCode:pspReference:success, the signed parts Hookguard names an Adyen event by.
      case "adyen" -> sample("adyen").type() + ":" + random(random, "0123456789", 16) + ":true";
      case "paypal" -> "WH-" + random(random, UPPER + "0123456789", 17) + "-" + random(random, UPPER + "0123456789", 17);
      default -> UUID.randomUUID().toString();
    };
  }

  /** The event code of an Adyen id of the form {@code eventCode:pspReference:success}, else the type. */
  static String typeOfId(String scheme, String id, String type) {
    String[] parts = adyenIdParts(scheme, id);
    return parts != null ? parts[0] : type;
  }

  /** A made-up Adyen id with this type as its event code; other ids unchanged. */
  static String idOfType(String scheme, String id, String type) {
    String[] parts = adyenIdParts(scheme, id);
    return parts != null ? type + ":" + parts[1] + ":" + parts[2] : id;
  }

  private static String @Nullable [] adyenIdParts(String scheme, String id) {
    String[] parts = id.split(":", -1);
    return scheme.equals("adyen") && parts.length == 3 ? parts : null;
  }

  static Sample sample(String scheme) {
    return switch (scheme) {
      case "stripe" -> json("invoice.paid");
      case "github", "github-sha1" -> new Sample(JSON, "push", null);
      case "slack" -> json("app_mention");
      case "shopify" -> new Sample(JSON, "orders/create", null);
      case "twilio" -> new Sample(FORM, "", null);
      case "paddle" -> json("transaction.completed");
      case "square" -> json("payment.updated");
      case "zoom" -> json("meeting.started");
      case "linear" -> new Sample(JSON, "Issue", "Linear-Event");
      case "intercom" -> json("conversation.user.created");
      case "mailgun" -> json("delivered");
      case "discord" -> json("2");
      case "twitch" -> new Sample(JSON, "channel.follow", null);
      case "gitlab" -> new Sample(JSON, "Push Hook", null);
      case "pagerduty" -> json("incident.triggered");
      case "typeform" -> json("form_response");
      case "standard-webhooks", "clerk" -> json("user.created");
      case "resend" -> json("email.delivered");
      case "openai" -> json("response.completed");
      case "circleci" -> new Sample(JSON, "workflow-completed", "circleci-event-type");
      case "logto" -> json("PostRegister");
      case "woocommerce" -> new Sample(JSON, "order.created", null);
      case "docusign" -> json("envelope-completed");
      case "bitbucket" -> new Sample(JSON, "repo:push", null);
      case "gitea", "forgejo" -> new Sample(JSON, "push", null);
      case "vercel" -> json("deployment.created");
      case "meta" -> json("page");
      case "telnyx" -> json("message.received");
      case "adyen" -> json("AUTHORISATION");
      // Mandrill and Travis CI post a form of one field holding JSON; neither sends a type.
      case "mandrill", "travis-ci" -> new Sample(FORM, "", null);
      // Replicate's body is the prediction, Telegram's the update: neither has a type.
      case "replicate", "telegram" -> json("");
      // Plaid's type is webhook_type.webhook_code, both in the body.
      case "plaid" -> json("TRANSACTIONS.SYNC_UPDATES_AVAILABLE");
      case "google-id-token" -> new Sample(JSON, "", null); // a Pub/Sub push: no type
      // SNS posts its JSON as text/plain; the type is the message's Type.
      case "aws-sns" -> new Sample("text/plain; charset=UTF-8", "Notification", null);
      case "paypal" -> json("PAYMENT.CAPTURE.COMPLETED");
      default -> json("test.event"); // hubspot, sendgrid, basic-auth, bearer-token, users' own schemes
    };
  }

  /**
   * A body the sender could send, with the id and type where the sender puts them in the body
   * (header-borne ones are set by the signer). The same arguments give the same bytes, so that
   * sending one delivery twice is a retry, not a new event; only Linear's signed
   * {@code webhookTimestamp} is the time of sending (Mailgun's signer re-stamps its envelope).
   *
   * @param eventTime when the event happened (the same on every retry)
   * @param sentAt when this copy is sent
   * @param seed the delivery's own seed for the made-up parts (resource ids, hashes), which make
   *     two deliveries two bodies: an endpoint deduplicating on the body must not merge them
   */
  static String body(String scheme, String id, String type, Instant eventTime, Instant sentAt, long seed) {
    Random random = new Random(seed);
    return switch (scheme) {
      case "stripe" -> "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type
          + "\",\"created\":" + eventTime.getEpochSecond() + ",\"data\":{\"object\":{}}}";
      case "github", "github-sha1" -> "{\"ref\":\"refs/heads/main\",\"after\":\"" + random(random, UPPER, 40).toLowerCase(java.util.Locale.ROOT)
          + "\",\"repository\":{\"full_name\":\"octo/hello\"}}";
      case "slack" -> "{\"type\":\"event_callback\",\"event_id\":\"" + id + "\",\"event_time\":"
          + eventTime.getEpochSecond() + ",\"event\":{\"type\":\"" + type + "\",\"text\":\"hi\"}}";
      case "shopify" -> "{\"id\":" + (1_000_000 + random.nextInt(9_000_000)) + ",\"total_price\":\"10.00\"}";
      case "twilio" -> "AccountSid=AC" + hex(random, 32) + "&MessageSid=SM" + hex(random, 32) + "&From=%2B15005550006&Body=Hello";
      case "paddle" -> "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"occurred_at\":\""
          + eventTime + "\",\"data\":{}}";
      case "square" -> "{\"merchant_id\":\"M" + random(random, UPPER, 12) + "\",\"type\":\"" + type
          + "\",\"event_id\":\"" + id + "\",\"created_at\":\"" + eventTime + "\",\"data\":{}}";
      case "zoom" -> "{\"event\":\"" + type + "\",\"event_ts\":" + eventTime.toEpochMilli() + ",\"payload\":{\"account_id\":\""
          + random(random, ALNUM, 22) + "\",\"object\":{\"id\":" + (1_000_000_000L + random.nextInt(1_000_000_000)) + "}}}";
      case "linear" -> "{\"action\":\"create\",\"type\":\"" + type + "\",\"data\":{\"id\":\"" + uuid(random)
          + "\"},\"webhookTimestamp\":"
          + sentAt.toEpochMilli() + "}";
      case "intercom" -> "{\"type\":\"notification_event\",\"id\":\"" + id + "\",\"topic\":\"" + type
          + "\",\"created_at\":" + eventTime.getEpochSecond() + ",\"data\":{}}";
      // Mailgun's signer wraps this as event-data in the signed envelope.
      case "mailgun" -> "{\"id\":\"" + id + "\",\"event\":\"" + type + "\",\"timestamp\":"
          + eventTime.getEpochSecond() + "}";
      case "discord" -> "{\"id\":\"" + id + "\",\"type\":" + type + ",\"data\":{\"name\":\"hello\"}}";
      case "twitch" -> "{\"subscription\":{\"type\":\"" + type + "\",\"version\":\"2\"},\"event\":{}}";
      case "gitlab" -> "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\",\"checkout_sha\":\"" + hex(random, 40) + "\"}";
      case "pagerduty" -> "{\"event\":{\"id\":\"" + id + "\",\"event_type\":\"" + type
          + "\",\"occurred_at\":\"" + eventTime + "\",\"data\":{}}}";
      case "typeform" -> "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"form_response\":{}}";
      case "standard-webhooks" -> "{\"type\":\"" + type + "\",\"timestamp\":\"" + eventTime + "\",\"data\":{}}";
      case "clerk" -> "{\"type\":\"" + type + "\",\"object\":\"event\",\"timestamp\":" + eventTime.toEpochMilli()
          + ",\"data\":{\"id\":\"user_" + random(random, ALNUM, 27) + "\",\"object\":\"user\"}}";
      case "resend" -> "{\"type\":\"" + type + "\",\"created_at\":\"" + eventTime + "\",\"data\":{\"email_id\":\""
          + uuid(random) + "\",\"to\":[\"a@example.com\"]}}";
      case "openai" -> "{\"object\":\"event\",\"id\":\"evt_" + hex(random, 32) + "\",\"type\":\"" + type
          + "\",\"created_at\":" + eventTime.getEpochSecond() + ",\"data\":{\"id\":\"resp_" + hex(random, 32) + "\"}}";
      case "replicate" -> "{\"id\":\"" + random(random, "0123456789abcdefghjkmnpqrstvwxyz", 26) // the prediction's id
          + "\",\"status\":\"succeeded\",\"created_at\":\"" + eventTime + "\",\"output\":null}";
      case "circleci" -> "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"happened_at\":\"" + eventTime
          + "\",\"webhook\":{\"id\":\"" + uuid(random) + "\",\"name\":\"ci\"},\"workflow\":{\"id\":\""
          + uuid(random) + "\",\"status\":\"success\"}}";
      // Logto, DocuSign, Meta, Mandrill, Travis CI, basic-auth and bearer-token senders send no
      // event id: the bodies differ by their made-up resource ids, so that two deliveries are two
      // events to an endpoint that deduplicates on the body.
      case "logto" -> "{\"hookId\":\"" + random(random, ALNUM, 12).toLowerCase(java.util.Locale.ROOT) + "\",\"event\":\""
          + type + "\",\"createdAt\":\"" + eventTime + "\",\"userId\":\"" + random(random, ALNUM, 12).toLowerCase(java.util.Locale.ROOT) + "\"}";
      case "woocommerce" -> "{\"id\":" + (100 + random.nextInt(100_000)) + ",\"status\":\"processing\",\"total\":\"10.00\"}";
      case "docusign" -> "{\"event\":\"" + type + "\",\"apiVersion\":\"v2.1\",\"retryCount\":0,\"generatedDateTime\":\""
          + eventTime + "\",\"data\":{\"accountId\":\"" + uuid(random) + "\",\"envelopeId\":\"" + uuid(random) + "\"}}";
      case "bitbucket" -> "{\"push\":{\"changes\":[{\"new\":{\"target\":{\"hash\":\"" + hex(random, 40)
          + "\"}}}]},\"repository\":{\"full_name\":\"team/hello\"}}";
      case "gitea", "forgejo" -> "{\"ref\":\"refs/heads/main\",\"after\":\"" + hex(random, 40)
          + "\",\"repository\":{\"full_name\":\"octo/hello\"}}";
      case "vercel" -> "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"createdAt\":" + eventTime.toEpochMilli()
          + ",\"region\":null,\"payload\":{\"deployment\":{\"id\":\"dpl_" + random(random, ALNUM, 28) + "\"}}}";
      case "meta" -> "{\"object\":\"" + type + "\",\"entry\":[{\"id\":\"" + (100_000_000 + random.nextInt(800_000_000))
          + "\",\"time\":" + eventTime.getEpochSecond() + ",\"changes\":[]}]}";
      // Telegram's update_id is a number.
      case "telegram" -> "{\"update_id\":" + id + ",\"message\":{\"message_id\":" + (1 + random.nextInt(100_000))
          + ",\"date\":" + eventTime.getEpochSecond() + ",\"chat\":{\"id\":" + (1 + random.nextInt(1_000_000_000))
          + ",\"type\":\"private\"},\"text\":\"hi\"}}";
      case "telnyx" -> "{\"data\":{\"event_type\":\"" + type + "\",\"id\":\"" + id + "\",\"occurred_at\":\"" + eventTime
          + "\",\"payload\":{},\"record_type\":\"event\"}}";
      case "mandrill" -> "mandrill_events=" + form("[{\"event\":\"send\",\"_id\":\"" + hex(random, 32) + "\",\"ts\":"
          + eventTime.getEpochSecond() + ",\"msg\":{\"email\":\"a@example.com\"}}]");
      case "travis-ci" -> "payload=" + form("{\"id\":" + (1 + random.nextInt(100_000_000)) + ",\"number\":\""
          + (1 + random.nextInt(1000)) + "\",\"type\":\"push\",\"state\":\"passed\",\"status_message\":\"Passed\","
          + "\"finished_at\":\"" + eventTime + "\",\"repository\":{\"name\":\"hello\",\"owner_name\":\"octo\"}}");
      // The signer sets each item's hmacSignature; an id not of Adyen's form is the PSP reference.
      case "adyen" -> {
        String[] parts = adyenIdParts(scheme, id);
        yield "{\"live\":\"false\",\"notificationItems\":[{\"NotificationRequestItem\":{\"additionalData\":{"
            + "\"authCode\":\"" + (100_000 + random.nextInt(900_000)) + "\",\"hmacSignature\":\"\"},"
            + "\"amount\":{\"currency\":\"EUR\",\"value\":" + (100 + random.nextInt(100_000)) + "},"
            + "\"eventCode\":\"" + (parts != null ? parts[0] : type) + "\",\"eventDate\":\"" + eventTime + "\","
            + "\"merchantAccountCode\":\"HookguardTest\",\"merchantReference\":\"order-" + hex(random, 12) + "\","
            + "\"pspReference\":\"" + (parts != null ? parts[1] : id) + "\",\"reason\":\"\","
            + "\"success\":\"" + (parts != null ? parts[2] : "true") + "\"}}]}";
      }
      case "basic-auth", "bearer-token" -> "{\"id\":\"" + uuid(random) + "\",\"type\":\"" + type + "\"}";
      case "hubspot" -> "[{\"eventId\":" + random.nextInt(1_000_000) + ",\"subscriptionType\":\"contact.creation\"}]";
      case "sendgrid" -> "[{\"email\":\"a@example.com\",\"event\":\"delivered\",\"sg_event_id\":\""
          + random(random, ALNUM, 22) + "\",\"timestamp\":" + eventTime.getEpochSecond() + "}]";
      // A Pub/Sub push: the message, its data base64, and the subscription it was pushed for.
      case "google-id-token" -> "{\"message\":{\"attributes\":{},\"data\":\""
          + java.util.Base64.getEncoder().encodeToString(("{\"resource\":\"" + random(random, ALNUM, 12) + "\"}")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8))
          + "\",\"messageId\":\"" + id + "\",\"message_id\":\"" + id + "\",\"publishTime\":\"" + eventTime
          + "\",\"publish_time\":\"" + eventTime + "\"},"
          + "\"subscription\":\"projects/hookguard-test/subscriptions/push\"}";
      case "plaid" -> {
        int dot = type.indexOf('.');
        yield "{\"environment\":\"sandbox\",\"historical_update_complete\":true,\"initial_update_complete\":true,"
            + "\"item_id\":\"" + random(random, ALNUM, 37) + "\",\"webhook_type\":\"" + (dot < 0 ? type : type.substring(0, dot))
            + "\"" + (dot < 0 ? "" : ",\"webhook_code\":\"" + type.substring(dot + 1) + "\"") + "}";
      }
      // The publish time is the Timestamp, the same on retries; the signer adds SignatureVersion,
      // SigningCertURL and Signature. An SES event as the Message.
      case "aws-sns" -> "{\"Type\":\"" + type + "\",\"MessageId\":\"" + id + "\",\"TopicArn\":\"" + TestKeys.AWS_SNS_TOPIC
          + "\",\"Timestamp\":\"" + eventTime + "\",\"Message\":\"{\\\"notificationType\\\":\\\"Delivery\\\",\\\"mail\\\":{\\\"messageId\\\":\\\""
          + hex(random, 32) + "\\\",\\\"timestamp\\\":\\\"" + eventTime + "\\\"}}\"}";
      case "paypal" -> "{\"id\":\"" + id + "\",\"event_version\":\"1.0\",\"create_time\":\"" + eventTime
          + "\",\"resource_type\":\"capture\",\"event_type\":\"" + type + "\",\"summary\":\"Payment completed\","
          + "\"resource\":{\"id\":\"" + random(random, UPPER + "0123456789", 17) + "\",\"status\":\"COMPLETED\"}}";
      default -> "{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}";
    };
  }

  private static Sample json(String type) {
    return new Sample(JSON, type, null);
  }

  private static final String JSON = "application/json";
  private static final String FORM = "application/x-www-form-urlencoded";

  private static String random(Random random, String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static String uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** Form-encodes a field value as the senders do ({@code URLEncoder}: spaces as {@code +}). */
  private static String form(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String hex(Random random, int length) {
    return random(random, "0123456789abcdef", length);
  }
}
