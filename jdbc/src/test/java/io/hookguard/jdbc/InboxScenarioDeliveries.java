package io.hookguard.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hookguard.inbox.ReceivedDelivery;
import io.hookguard.internal.EventKeys;
import java.time.Instant;

/** Deliveries made by hand, for cases that feed the inbox without HTTP. */
final class InboxScenarioDeliveries {
  private InboxScenarioDeliveries() {}

  static ReceivedDelivery of(String endpoint, String eventId) {
    byte[] body = ("{\"id\":\"" + eventId + "\"}").getBytes(UTF_8);
    return new ReceivedDelivery(endpoint, "standard-webhooks", eventId, null, "application/json", body, Instant.now(),
        "127.0.0.1", EventKeys.eventKey("hookguard:", endpoint, "standard-webhooks", eventId), null,
        EventKeys.sha256Hex(body));
  }
}
