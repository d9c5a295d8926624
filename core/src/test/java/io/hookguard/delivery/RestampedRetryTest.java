package io.hookguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.RejectionReason;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookScheme;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.inbox.InMemoryInboxStore;
import io.hookguard.inbox.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linear and Mailgun sign their time of sending inside the body (Linear's {@code webhookTimestamp},
 * Mailgun's {@code signature} object), so each retry is a re-stamped copy: another body under the
 * same event id. Dedup and the inbox must take it as the sender's retry — a replay, or 409 while the
 * first copy runs — and still refuse a body that differs in anything else (422).
 */
class RestampedRetryTest {
  private static final String SECRET = "restamp-secret";
  private static final Instant SENT = Instant.parse("2026-12-01T10:00:00Z");

  private final DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();

  private static WebhookScheme scheme(String id) {
    return id.equals("linear") ? Providers.LINEAR : Providers.MAILGUN;
  }

  /** A copy of one event as the sender sends it at {@code sentAt}; {@code state} is the event's content. */
  private static WebhookRequest copy(String scheme, String eventId, String state, Instant sentAt) {
    WebhookSigner signer = WebhookSigner.builder(scheme(scheme)).secret(SECRET).build();
    WebhookRequest.Builder request = WebhookRequest.builder().url("https://hooks.example.com/hooks")
        .header("Content-Type", "application/json");
    if (scheme.equals("linear")) {
      request.header("Linear-Delivery", eventId).header("Linear-Event", "Issue")
          .body("{\"action\":\"update\",\"type\":\"Issue\",\"data\":{\"id\":\"iss_1\",\"state\":\"" + state
              + "\"},\"webhookTimestamp\":" + sentAt.toEpochMilli() + "}");
    } else {
      request.body("{\"id\":\"" + eventId + "\",\"event\":\"delivered\",\"recipient\":\"" + state + "@example.com\"}");
    }
    return signer.sign(request.build(), sentAt);
  }

  private WebhookEndpoint.Builder endpoint(String scheme, Instant now) {
    return WebhookEndpoint.builder(scheme, WebhookVerifier.builder(scheme(scheme)).secret(SECRET)
        .clock(Clock.fixed(now, ZoneOffset.UTC)).build());
  }

  private Reception receive(WebhookEndpoint endpoint, WebhookRequest signed) {
    return lifecycle.receive(endpoint, new IncomingRequest("POST", "https", "hooks.example.com", "/hooks", null,
        signed.headers(), "203.0.113.9", BodySource.of(signed.body())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "mailgun"})
  void aReStampedRetryIsTheSameEventToDedupAndAnotherBodyUnderItsIdIsStill422(String scheme) {
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    Instant retriedAt = SENT.plusSeconds(40);
    WebhookEndpoint first = endpoint(scheme, SENT).dedup(dedup).build();
    WebhookEndpoint later = endpoint(scheme, retriedAt).dedup(dedup).build();

    RunningDelivery running = (RunningDelivery) receive(first, copy(scheme, "evt_restamp", "done", SENT));
    WebhookRequest retry = copy(scheme, "evt_restamp", "done", retriedAt);
    assertThat(retry.body()).as("the retry is another body").isNotEqualTo(copy(scheme, "evt_restamp", "done", SENT).body());

    assertThat(receive(later, retry)).as("while the first copy runs")
        .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.reason()).contains(RejectionReason.IN_PROGRESS));
    running.finish(200);
    assertThat(receive(later, retry)).as("once it completed")
        .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.isReplay()).isTrue());
    assertThat(receive(later, copy(scheme, "evt_restamp", "changed", retriedAt))).as("other content under the id")
        .isInstanceOfSatisfying(Answer.class,
            answer -> assertThat(answer.reason()).contains(RejectionReason.FINGERPRINT_MISMATCH));
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "mailgun"})
  void anInboxAcknowledgesAReStampedRetryAsADuplicateAndRefusesOtherContent(String scheme) {
    InMemoryInboxStore store = InMemoryInboxStore.create();
    Inbox inbox = Inbox.builder(store).handler(scheme, delivery -> {}).build();
    Instant retriedAt = SENT.plus(Duration.ofSeconds(40));

    Reception stored = receive(endpoint(scheme, SENT).inbox(inbox).build(), copy(scheme, "evt_inbox", "done", SENT));
    WebhookEndpoint later = endpoint(scheme, retriedAt).inbox(inbox).build();
    Reception retry = receive(later, copy(scheme, "evt_inbox", "done", retriedAt));
    Reception other = receive(later, copy(scheme, "evt_inbox", "changed", retriedAt));

    assertThat(stored).isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.status()).isEqualTo(200));
    assertThat(retry).isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.isReplay()).isTrue());
    assertThat(((Answer) other).reason()).contains(RejectionReason.FINGERPRINT_MISMATCH);
  }

  @org.junit.jupiter.api.Test
  void aCapturedMailgunSignatureWithAnotherEventUnderAFreshIdIsADuplicateNotANewEvent() {
    // Mailgun signs its timestamp and token only, never the event: a captured signature object
    // passes with any body for five minutes. Its token is the replay key, as Mailgun advises.
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    WebhookEndpoint endpoint = endpoint("mailgun", SENT.plusSeconds(10)).dedup(dedup).build();
    WebhookRequest original = copy("mailgun", "evt_original", "alice", SENT);
    String body = new String(original.body(), java.nio.charset.StandardCharsets.UTF_8);
    WebhookRequest forged = original.toBuilder()
        .body(body.replace("evt_original", "evt_forged").replace("alice@", "mallory@")).build();

    RunningDelivery running = (RunningDelivery) receive(endpoint, original);
    assertThat(receive(endpoint, forged)).as("while the original runs")
        .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.reason()).contains(RejectionReason.IN_PROGRESS));
    running.finish(200);
    assertThat(receive(endpoint, forged)).as("once it completed")
        .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.isReplay()).isTrue());
    assertThat(receive(endpoint, copy("mailgun", "evt_next", "bob", SENT.plusSeconds(5))))
        .as("the sender's next event, signed anew").isInstanceOf(RunningDelivery.class);
  }
}
