package io.hookguard.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.Providers;
import io.hookguard.Rejection;
import io.hookguard.RejectionReason;
import io.hookguard.VerificationResult;
import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookScheme;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.IncomingRequest;
import io.hookguard.delivery.Reception;
import io.hookguard.delivery.RunningDelivery;
import io.hookguard.delivery.WebhookEndpoint;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in sender's test deliveries against the real verifier and lifecycle, defaults on. */
class TestWebhookTest {
  private static final TestClock CLOCK = TestClock.at(Instant.parse("2026-11-24T12:00:00Z"));
  private static final String ORIGIN = "https://hooks.example.com";
  /** Senders that sign no body: a changed body still verifies (the README says so). */
  private static final Set<String> UNSIGNED_BODY = Set.of("mailgun", "gitlab", "telegram", "basic-auth", "bearer-token",
      "google-id-token");

  private final DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().clock(CLOCK).build();

  static Stream<WebhookScheme> schemes() {
    // Google ID token schemes are made per audience, so they are not among Providers.all().
    return Stream.concat(Providers.all().stream(), Stream.of(
        Providers.googleIdToken("https://hooks.example.com/webhooks/google-id-token"),
        Providers.googleIdToken("https://hooks.example.com/webhooks/google-id-token",
            "push@hookguard-test.iam.gserviceaccount.com")));
  }

  private static WebhookVerifier verifier(WebhookScheme scheme) {
    WebhookVerifier.Builder builder = WebhookVerifier.builder(scheme).clock(CLOCK);
    if (scheme.fetchesDocuments()) {
      builder.remoteDocuments(TestKeys.remoteDocuments());
    }
    String key = TestKeys.verificationKey(scheme);
    return scheme.usesPublicKeys() ? builder.publicKey(key).build() : builder.secret(key).build();
  }

  private static String path(WebhookScheme scheme) {
    return "/webhooks/" + scheme.id();
  }

  private Reception receive(WebhookEndpoint endpoint, WebhookScheme scheme, TestWebhook webhook) {
    WebhookRequest signed = webhook.request("POST", ORIGIN + path(scheme));
    URI url = URI.create(signed.url());
    return lifecycle.receive(endpoint, new IncomingRequest("POST", "https", "hooks.example.com",
        url.getRawPath(), url.getRawQuery(), signed.headers(), "203.0.113.9", BodySource.of(signed.body())));
  }

  /** Senders whose deliveries carry no event id: an endpoint for them runs id-less deliveries. */
  private static final Set<String> NO_EVENT_ID = Set.of("zoom", "hubspot", "sendgrid", "logto", "docusign",
      "meta", "mandrill", "travis-ci", "basic-auth", "bearer-token", "braintree", "plaid");

  private static WebhookEndpoint endpoint(WebhookScheme scheme) {
    // Every default on: dedup required, so an id-less delivery would be 400 missing-event-id.
    WebhookEndpoint.Builder endpoint = WebhookEndpoint.builder(scheme.id(), verifier(scheme))
        .dedup(DedupEngine.builder(CaffeineDedupStore.create()).build());
    if (NO_EVENT_ID.contains(scheme.id())) {
      endpoint.missingEventId(WebhookEndpoint.MissingEventId.RUN);
    }
    return endpoint.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void aDeliveryIsAcceptedUnderDefaultSettingsAndItsResendIsTheSendersRetry(WebhookScheme scheme) {
    WebhookEndpoint endpoint = endpoint(scheme);
    TestWebhook webhook = TestWebhook.of(scheme).clock(CLOCK);

    Reception first = receive(endpoint, scheme, webhook);
    assertThat(first).as("accepted, not refused").isInstanceOf(RunningDelivery.class);
    RunningDelivery running = (RunningDelivery) first;
    assertThat(running.webhook().eventId()).isEqualTo(webhook.expectedEventId());
    running.finish(200);

    CLOCK.advance(Duration.ofSeconds(30));
    Reception resent = receive(endpoint, scheme, webhook);
    // Linear (webhookTimestamp) and Mailgun (the signature object) put the time of sending inside
    // the body, so the copy sent later is re-stamped: still the sender's retry, not another body.
    assertThat(resent).as("the same event again")
        .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.isReplay()).isTrue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void twoMadeUpDeliveriesAreTwoEvents(WebhookScheme scheme) {
    // With no event id, an endpoint deduplicates on the body: made-up bodies must differ.
    WebhookEndpoint endpoint = endpoint(scheme);
    Reception first = receive(endpoint, scheme, TestWebhook.of(scheme).clock(CLOCK));
    assertThat(first).isInstanceOf(RunningDelivery.class);
    ((RunningDelivery) first).finish(200);
    assertThat(receive(endpoint, scheme, TestWebhook.of(scheme).clock(CLOCK))).isInstanceOf(RunningDelivery.class);
  }

  @Test
  void theNewerSendersAreShapedAsTheySendAndKeyedAsTheyAreConfigured() {
    String url = ORIGIN + "/webhooks/in";
    WebhookRequest mandrill = TestWebhook.of(Providers.MANDRILL).clock(CLOCK).request("POST", url);
    assertThat(mandrill.headers().first("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(new String(mandrill.body(), UTF_8)).startsWith("mandrill_events=%5B%7B");
    WebhookRequest travis = TestWebhook.of(Providers.TRAVIS_CI).clock(CLOCK).request();
    assertThat(travis.headers().first("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(new String(travis.body(), UTF_8)).startsWith("payload=%7B").doesNotContain("&");

    TestWebhook update = TestWebhook.of(Providers.TELEGRAM).clock(CLOCK);
    VerifiedWebhook telegram = verifier(Providers.TELEGRAM).verify(update.request()).orElseThrow();
    assertThat(telegram.eventId()).isEqualTo(update.expectedEventId()).hasValueSatisfying(id -> assertThat(id).matches("[0-9]{9}"));
    assertThat(telegram.eventType()).isEmpty();
    assertThatThrownBy(() -> update.eventType("message").request()).hasMessageContaining("no event type");

    // The Standard Webhooks presets: the event id is the signed message id, in their header family.
    WebhookRequest clerk = TestWebhook.of(Providers.CLERK).clock(CLOCK).eventId("msg_given").request();
    assertThat(clerk.headers().first("svix-id")).isEqualTo("msg_given");
    assertThat(verifier(Providers.CLERK).verify(clerk).orElseThrow().eventId()).contains("msg_given");
    assertThat(TestWebhook.of(Providers.OPENAI).expectedEventId()).hasValueSatisfying(id -> assertThat(id).matches("wh_[0-9a-f]{32}"));
    assertThat(TestWebhook.of(Providers.CIRCLECI).request().headers().first("circleci-event-type"))
        .isEqualTo("workflow-completed");

    assertThat(TestKeys.verificationKey(Providers.RESEND)).startsWith("whsec_");
    assertThat(TestKeys.verificationKey(Providers.BASIC_AUTH)).contains(":");
    assertThat(TestWebhook.of(Providers.LOGTO).expectedEventId()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void theTamperingHelpersAreRefusedAsTheyShouldBe(WebhookScheme scheme) {
    WebhookVerifier verifier = verifier(scheme);
    TestWebhook webhook = TestWebhook.of(scheme).clock(CLOCK);
    String url = ORIGIN + path(scheme);

    assertThat(reason(verifier.verify(webhook.signedWithWrongKey().request("POST", url))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    VerificationResult tampered = verifier.verify(webhook.tamperedBody().request("POST", url));
    if (UNSIGNED_BODY.contains(scheme.id())) {
      assertThat(tampered).isInstanceOf(VerifiedWebhook.class);
    } else {
      assertThat(reason(tampered)).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    // Past the scheme's window (an hour where it has none; AWS SNS's is an hour itself).
    Duration outside = scheme.defaultTolerance().map(tolerance -> tolerance.plusMinutes(1)).orElse(Duration.ofHours(1));
    VerificationResult stale = verifier.verify(webhook.timestampShiftedBy(outside.negated()).request("POST", url));
    VerificationResult early = verifier.verify(webhook.timestampShiftedBy(outside).request("POST", url));
    if (scheme.hasTimestamp()) {
      assertThat(reason(stale)).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
      assertThat(reason(early)).isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
    } else {
      assertThat(stale).isInstanceOf(VerifiedWebhook.class);
    }
  }

  @Test
  void idsTypesAndBodiesAreOverridable() {
    VerifiedWebhook push = verifier(Providers.GITHUB).verify(TestWebhook.of(Providers.GITHUB).clock(CLOCK)
        .eventId("d-42").eventType("pull_request").json("{\"action\":\"opened\"}").request()).orElseThrow();
    assertThat(push.eventId()).contains("d-42");
    assertThat(push.eventType()).contains("pull_request");

    TestWebhook stripe = TestWebhook.of(Providers.STRIPE).clock(CLOCK).eventId("evt_given").eventType("charge.failed");
    VerifiedWebhook made = verifier(Providers.STRIPE).verify(stripe.request()).orElseThrow();
    assertThat(made.eventId()).contains("evt_given");
    assertThat(made.eventType()).contains("charge.failed");
    assertThat(new String(stripe.request().body(), UTF_8)).startsWith("{\"id\":\"evt_given\"");

    // A body of your own carries its own id where the sender puts it there.
    TestWebhook own = TestWebhook.of(Providers.STRIPE).clock(CLOCK).json("{\"id\":\"evt_own\",\"type\":\"invoice.paid\"}");
    assertThat(own.expectedEventId()).isEmpty();
    assertThat(verifier(Providers.STRIPE).verify(own.request()).orElseThrow().eventId()).contains("evt_own");
    assertThatThrownBy(() -> own.eventId("evt_other").request())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 'id'");
  }

  @Test
  void madeUpIdsHaveTheSendersForm() {
    assertThat(TestWebhook.of(Providers.STRIPE).expectedEventId()).hasValueSatisfying(id -> assertThat(id).matches("evt_[0-9A-Za-z]{24}"));
    assertThat(TestWebhook.of(Providers.GITHUB).expectedEventId()).hasValueSatisfying(id -> assertThat(id).hasSize(36));
    assertThat(TestWebhook.of(Providers.STANDARD_WEBHOOKS).expectedEventId()).hasValueSatisfying(id -> assertThat(id).startsWith("msg_"));
    assertThat(TestWebhook.of(Providers.ZOOM).expectedEventId()).isEmpty();
    assertThat(TestWebhook.of("stripe").expectedEventId()).isNotEqualTo(TestWebhook.of("stripe").expectedEventId());
  }

  @Test
  void aSchemeOfYourOwnIsSignedWithWhatItIsGiven() {
    WebhookScheme acme = WebhookScheme.builder("acme").signatureHeader("X-Acme-Signature").prefix("sha256=")
        .eventIdHeader("X-Acme-Delivery").build();
    WebhookRequest signed = TestWebhook.of(acme, "acme-secret").eventId("a-1").json("{}").request();

    assertThat(WebhookVerifier.builder(acme).secret("acme-secret").build().verify(signed).orElseThrow().eventId())
        .contains("a-1");
  }

  @Test
  void keysOfTheWrongFormAndUnknownProvidersFailFast() {
    assertThatThrownBy(() -> TestWebhook.of(Providers.DISCORD, "not-hex")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestWebhook.of("strype")).hasMessageContaining("no built-in provider 'strype'");
    assertThatThrownBy(() -> TestWebhook.of(Providers.TWILIO).request())
        .as("a URL-signing sender needs the URL").hasMessageContaining("URL");
  }

  @Test
  void theTestClockStandsStillUntilMoved() throws InterruptedException {
    TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    Instant before = clock.instant();
    Thread.sleep(5);
    assertThat(clock.instant()).isEqualTo(before);
    assertThat(clock.advance(Duration.ofMinutes(10))).isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
    assertThat(clock.withZone(java.time.ZoneId.of("Europe/Paris")).instant()).isEqualTo(clock.instant());
  }

  private static RejectionReason reason(VerificationResult result) {
    assertThat(result).isInstanceOf(Rejection.class);
    return ((Rejection) result).reason();
  }
}
