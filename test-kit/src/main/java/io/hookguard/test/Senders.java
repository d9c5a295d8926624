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
      case "standard-webhooks" -> "msg_" + random(random, ALNUM, 27);
      case "intercom" -> "notif_" + UUID.randomUUID();
      case "discord" -> Long.toString(1_000_000_000_000_000_000L + Math.floorMod(RANDOM.nextLong(), 8_000_000_000_000_000_000L));
      case "pagerduty", "typeform" -> "01" + random(random, UPPER, 24);
      case "mailgun" -> random(random, ALNUM, 22);
      default -> UUID.randomUUID().toString();
    };
  }

  static Sample sample(String scheme) {
    return switch (scheme) {
      case "stripe" -> json("invoice.paid");
      case "github", "github-sha1" -> new Sample(JSON, "push", null);
      case "slack" -> json("app_mention");
      case "shopify" -> new Sample(JSON, "orders/create", null);
      case "twilio" -> new Sample("application/x-www-form-urlencoded", "", null);
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
      case "standard-webhooks" -> json("user.created");
      default -> json("test.event"); // hubspot, sendgrid, and users' own schemes
    };
  }

  /**
   * A body the sender could send, with the id and type where the sender puts them in the body
   * (header-borne ones are set by the signer). The same arguments give the same bytes, so that
   * sending one delivery twice is a retry, not a new event; only Linear's signed
   * {@code webhookTimestamp} is the time of sending.
   *
   * @param eventTime when the event happened (the same on every retry)
   * @param sentAt when this copy is sent
   * @param seed the delivery's own seed for the made-up parts (resource ids, hashes)
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
      case "zoom" -> "{\"event\":\"" + type + "\",\"event_ts\":" + eventTime.toEpochMilli() + ",\"payload\":{}}";
      case "linear" -> "{\"action\":\"create\",\"type\":\"" + type + "\",\"data\":{},\"webhookTimestamp\":"
          + sentAt.toEpochMilli() + "}";
      case "intercom" -> "{\"type\":\"notification_event\",\"id\":\"" + id + "\",\"topic\":\"" + type
          + "\",\"created_at\":" + eventTime.getEpochSecond() + ",\"data\":{}}";
      // Mailgun's signer wraps this as event-data in the signed envelope.
      case "mailgun" -> "{\"id\":\"" + id + "\",\"event\":\"" + type + "\",\"timestamp\":"
          + eventTime.getEpochSecond() + "}";
      case "discord" -> "{\"id\":\"" + id + "\",\"type\":" + type + ",\"data\":{\"name\":\"hello\"}}";
      case "twitch" -> "{\"subscription\":{\"type\":\"" + type + "\",\"version\":\"2\"},\"event\":{}}";
      case "gitlab" -> "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\"}";
      case "pagerduty" -> "{\"event\":{\"id\":\"" + id + "\",\"event_type\":\"" + type
          + "\",\"occurred_at\":\"" + eventTime + "\",\"data\":{}}}";
      case "typeform" -> "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"form_response\":{}}";
      case "standard-webhooks" -> "{\"type\":\"" + type + "\",\"timestamp\":\"" + eventTime + "\",\"data\":{}}";
      case "hubspot" -> "[{\"eventId\":" + random.nextInt(1_000_000) + ",\"subscriptionType\":\"contact.creation\"}]";
      case "sendgrid" -> "[{\"email\":\"a@example.com\",\"event\":\"delivered\",\"sg_event_id\":\""
          + random(random, ALNUM, 22) + "\",\"timestamp\":" + eventTime.getEpochSecond() + "}]";
      default -> "{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}";
    };
  }

  private static Sample json(String type) {
    return new Sample(JSON, type, null);
  }

  private static final String JSON = "application/json";

  private static String random(Random random, String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static String hex(Random random, int length) {
    return random(random, "0123456789abcdef", length);
  }
}
