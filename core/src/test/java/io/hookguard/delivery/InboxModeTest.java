package io.hookguard.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.Providers;
import io.hookguard.RejectionReason;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.DeadLetterFilter;
import io.hookguard.inbox.InMemoryInboxStore;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxEntry;
import io.hookguard.inbox.InboxLease;
import io.hookguard.inbox.InboxState;
import io.hookguard.inbox.InboxStore;
import io.hookguard.inbox.FlakyInboxStore;
import io.hookguard.inbox.ReceivedDelivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** An endpoint in inbox mode, through the lifecycle every adapter uses: store, then answer. */
class InboxModeTest {
  private static final String SECRET = "inbox-secret";
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();
  private static final WebhookSigner GITHUB = WebhookSigner.builder(Providers.GITHUB).secret(SECRET).build();

  private final List<DeliveryAudit> audits = new CopyOnWriteArrayList<>();
  private final DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().listener(audits::add).build();
  private final AtomicBoolean down = new AtomicBoolean();
  private final InboxStore store = FlakyInboxStore.wrap(InMemoryInboxStore.create(), down);
  private final Inbox inbox = Inbox.builder(store).handler("stripe", d -> {}).handler("github", d -> {})
      .maxBacklog(3).backlogCheckInterval(Duration.ofMillis(1)).build();
  private final WebhookEndpoint stripe = WebhookEndpoint.builder("stripe",
      WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build()).inbox(inbox).build();

  private static IncomingRequest incoming(WebhookRequest signed) {
    return new IncomingRequest("POST", "https", "hooks.example.com", "/hooks", null, signed.headers(), "203.0.113.9",
        BodySource.of(signed.body()));
  }

  private static WebhookRequest stripeEvent(String id, String amount) {
    return STRIPE.sign(WebhookRequest.builder().url("https://hooks.example.com/hooks")
        .header("Content-Type", "application/json")
        .body("{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"amount\":" + amount + "}").build());
  }

  @Test
  void aVerifiedDeliveryIsStoredWithItsExactBytesAndAnswered200WithoutRunningAnything() {
    WebhookRequest signed = stripeEvent("evt_in_1", "100");
    Reception reception = lifecycle.receive(stripe, incoming(signed));

    assertThat(reception).isInstanceOfSatisfying(Answer.class, answer -> {
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.isStored()).isTrue();
      assertThat(answer.isReplay()).isFalse();
      assertThat(answer.body()).isEmpty();
    });
    List<InboxLease> taken = store.take(List.of("stripe"), 5, Duration.ofSeconds(30));
    assertThat(taken).singleElement().satisfies(lease -> {
      assertThat(lease.delivery().body()).isEqualTo(signed.body());
      assertThat(lease.delivery().eventId()).isEqualTo("evt_in_1");
      assertThat(lease.delivery().eventType()).isEqualTo("invoice.paid");
      assertThat(lease.delivery().contentType()).isEqualTo("application/json");
      assertThat(lease.delivery().provider()).isEqualTo("stripe");
      assertThat(lease.delivery().source()).isEqualTo("203.0.113.9");
    });
    assertThat(audits).singleElement().satisfies(audit -> {
      assertThat(audit.outcome()).isEqualTo(DeliveryAudit.Outcome.STORED);
      assertThat(audit.accepted()).isTrue();
      assertThat(audit.eventId()).isEqualTo("evt_in_1");
    });
  }

  @Test
  void theSendersRetryIsAnAcknowledgedReplayAndAnotherBodyUnderTheIdIs422() {
    lifecycle.receive(stripe, incoming(stripeEvent("evt_in_2", "100")));
    Reception retry = lifecycle.receive(stripe, incoming(stripeEvent("evt_in_2", "100")));
    Reception other = lifecycle.receive(stripe, incoming(stripeEvent("evt_in_2", "999")));

    assertThat(retry).isInstanceOfSatisfying(Answer.class, answer -> {
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.headers()).containsEntry(Answer.REPLAY_HEADER, "true");
    });
    assertThat(((Answer) other).reason()).contains(RejectionReason.FINGERPRINT_MISMATCH);
    assertThat(store.depth().get(InboxState.READY)).isEqualTo(1);
  }

  @Test
  void aForgedDeliveryNeverReachesTheStore() {
    WebhookRequest signed = stripeEvent("evt_forged", "100");
    WebhookRequest tampered = WebhookRequest.builder().headers(signed.headers())
        .body(new String(signed.body(), UTF_8).replace("100", "101")).build();

    Answer answer = (Answer) lifecycle.receive(stripe, incoming(tampered));

    assertThat(answer.status()).isEqualTo(401);
    assertThat(store.depth().values()).allSatisfy(count -> assertThat(count).isZero());
  }

  @Test
  void aStoreThatIsDownIs503WithRetryAfterAndNothingIsAcknowledged() {
    down.set(true);
    Answer answer = (Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_down", "1")));
    down.set(false);

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.reason()).contains(RejectionReason.STORE_UNAVAILABLE);
    assertThat(answer.headers()).containsEntry("Retry-After", "5");
    assertThat(store.depth().get(InboxState.READY)).isZero();
    assertThat(audits).singleElement().extracting(DeliveryAudit::outcome).isEqualTo(DeliveryAudit.Outcome.REJECTED);
  }

  @Test
  void pastTheBacklogBoundReceiptsAre503InboxFullUntilWorkersCatchUp() {
    for (int i = 0; i < 3; i++) {
      assertThat(((Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_b" + i, "1")))).status()).isEqualTo(200);
    }
    Answer full = (Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_b3", "1")));
    assertThat(full.status()).isEqualTo(503);
    assertThat(full.reason()).contains(RejectionReason.INBOX_FULL);
    assertThat(full.headers()).containsKey("Retry-After");

    store.take(List.of("stripe"), 1, Duration.ofSeconds(30)).forEach(store::markDone);
    sleepPastTheCheckInterval();
    assertThat(((Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_b3", "1")))).status()).isEqualTo(200);
  }

  @Test
  void whileTheInboxIsFullARetryOfAStoredDeliveryIsStillAcknowledgedAsADuplicate() {
    WebhookRequest stored = stripeEvent("evt_full_0", "1");
    assertThat(((Answer) lifecycle.receive(stripe, incoming(stored))).status()).isEqualTo(200);
    for (int i = 1; i < 3; i++) {
      assertThat(((Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_full_" + i, "1")))).status())
          .isEqualTo(200);
    }
    sleepPastTheCheckInterval();
    assertThat(((Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_full_new", "1")))).reason())
        .as("a new delivery").contains(RejectionReason.INBOX_FULL);

    Answer retry = (Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_full_0", "1")));
    Answer changed = (Answer) lifecycle.receive(stripe, incoming(stripeEvent("evt_full_0", "2")));

    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.isReplay()).as("the sender's retry of a stored delivery").isTrue();
    assertThat(changed.reason()).as("the same id with another body").contains(RejectionReason.FINGERPRINT_MISMATCH);
    assertThat(store.depth().get(InboxState.READY)).isEqualTo(3);
  }

  @Test
  void aSchemeWithAnUnsignedIdIsKeyedOnTheBodyTooSoAReplayUnderAFreshIdIsADuplicate() {
    WebhookEndpoint github = WebhookEndpoint.builder("github",
        WebhookVerifier.builder(Providers.GITHUB).secret(SECRET).build()).inbox(inbox).build();
    WebhookRequest first = GITHUB.sign(WebhookRequest.builder().header("X-GitHub-Delivery", "d-1")
        .header("X-GitHub-Event", "push").body("{\"ref\":\"main\"}").build());
    WebhookRequest freshId = WebhookRequest.builder().headers(first.headers()).header("X-GitHub-Delivery", "d-2")
        .body(first.body()).build();
    assertThat(((Answer) lifecycle.receive(github, incoming(first))).isStored()).isTrue();

    Answer replay = (Answer) lifecycle.receive(github, incoming(freshId));

    assertThat(replay.isReplay()).isTrue();
  }

  @Test
  void aDeliveryWithoutAnIdIsRefusedUnlessTheEndpointRunsThemKeyedOnTheBody() {
    WebhookSigner slack = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
    Inbox slackInbox = Inbox.builder(InMemoryInboxStore.create()).handler("slack", d -> {}).build();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.SLACK).secret(SECRET).build();
    WebhookRequest command = slack.sign(WebhookRequest.builder().header("Content-Type",
        "application/x-www-form-urlencoded").body("command=%2Fdeploy&text=now").build());

    Answer refused = (Answer) lifecycle.receive(WebhookEndpoint.builder("slack", verifier).inbox(slackInbox).build(),
        incoming(command));
    WebhookEndpoint runs = WebhookEndpoint.builder("slack", verifier).inbox(slackInbox)
        .missingEventId(WebhookEndpoint.MissingEventId.RUN).build();
    Answer stored = (Answer) lifecycle.receive(runs, incoming(command));
    Answer again = (Answer) lifecycle.receive(runs, incoming(command));

    assertThat(refused.reason()).contains(RejectionReason.MISSING_EVENT_ID);
    assertThat(stored.isStored()).isTrue();
    assertThat(again.isReplay()).isTrue();
  }

  @Test
  void anInboxEndpointNeedsAHandlerAndTakesNoDedupEngine() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build();
    assertThatThrownBy(() -> WebhookEndpoint.builder("unknown", verifier).inbox(inbox))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no handler");
    assertThatThrownBy(() -> WebhookEndpoint.builder("stripe", verifier).inbox(inbox)
        .dedup(DedupEngine.builder(CaffeineDedupStore.create()).build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("inbox mode");
    assertThatThrownBy(() -> inbox.accept(new ReceivedDelivery("nobody", "stripe", "e", null, null, new byte[0],
        java.time.Instant.now(), null, "k", null, "f"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deadLettersAreReachableThroughTheInbox() {
    lifecycle.receive(stripe, incoming(stripeEvent("evt_dl", "1")));
    InboxLease lease = store.take(List.of("stripe"), 1, Duration.ofSeconds(30)).get(0);
    store.deadLetter(lease, "x");

    List<InboxEntry> dead = inbox.deadLetters(DeadLetterFilter.endpoint("stripe"), 10);
    assertThat(dead).singleElement().extracting(InboxEntry::eventId).isEqualTo("evt_dl");
    assertThat(inbox.replay(dead.get(0).id())).isTrue();
    assertThat(inbox.replayed()).isEqualTo(1);
    assertThat(inbox.depth()).containsEntry(InboxState.READY, 1L);
    assertThat(store.store(new ReceivedDelivery("stripe", "stripe", "evt_dl", null, null, new byte[0],
        java.time.Instant.now(), null, "hookguard:stripe:stripe:evt_dl", null, "other")))
        .isInstanceOf(Acceptance.FingerprintMismatch.class);
  }

  private static void sleepPastTheCheckInterval() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
