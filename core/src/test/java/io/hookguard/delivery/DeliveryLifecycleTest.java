package io.hookguard.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.RejectionReason;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The lifecycle without any web stack: what every adapter gets. */
class DeliveryLifecycleTest {
  private static final String SECRET = "lifecycle-secret";
  private static final WebhookSigner SLACK = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();

  private final List<DeliveryAudit> audits = new CopyOnWriteArrayList<>();
  private final DeliveryLifecycle lifecycle = DeliveryLifecycle.builder()
      .listener(audits::add)
      .listener(audit -> {
        throw new IllegalStateException("a broken sink changes nothing");
      })
      .build();
  private final DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
  private final WebhookEndpoint stripe = WebhookEndpoint.builder("stripe",
      WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build()).dedup(dedup).build();
  private final WebhookEndpoint slack = WebhookEndpoint.builder("slack-commands",
      WebhookVerifier.builder(Providers.SLACK).secret(SECRET).build()).maxParameters(3).build();

  private static IncomingRequest incoming(WebhookRequest signed, String pathAndQuery) {
    int question = pathAndQuery.indexOf('?');
    return new IncomingRequest("POST", "https", "hooks.example.com",
        question < 0 ? pathAndQuery : pathAndQuery.substring(0, question),
        question < 0 ? null : pathAndQuery.substring(question + 1), signed.headers(), "203.0.113.9",
        BodySource.of(signed.body()));
  }

  private static WebhookRequest stripeEvent(String id) {
    return STRIPE.sign(WebhookRequest.builder().url("https://hooks.example.com/stripe")
        .header("Content-Type", "application/json")
        .body("{\"id\":\"" + id + "\",\"type\":\"invoice.paid\"}").build());
  }

  @Test
  void aVerifiedDeliveryRunsOnceAndItsFinishIsAuditedOnce() {
    Reception first = lifecycle.receive(stripe, incoming(stripeEvent("evt_lc_1"), "/stripe"));
    assertThat(first).isInstanceOf(RunningDelivery.class);
    RunningDelivery running = (RunningDelivery) first;
    assertThat(running.webhook().eventId()).contains("evt_lc_1");
    assertThat(running.sourceAddress()).isEqualTo("203.0.113.9");
    assertThat(audits).isEmpty();

    assertThat(running.finish(200)).isTrue();
    assertThat(running.finish(200)).as("finished once").isFalse();
    assertThat(audits).singleElement().satisfies(audit -> {
      assertThat(audit.outcome()).isEqualTo(DeliveryAudit.Outcome.PROCESSED);
      assertThat(audit.endpoint()).isEqualTo("stripe");
      assertThat(audit.dedup()).isEqualTo(DeliveryAudit.Dedup.CLAIMED);
      assertThat(audit.handlerTime()).isPresent();
    });

    Reception retry = lifecycle.receive(stripe, incoming(stripeEvent("evt_lc_1"), "/stripe"));
    assertThat(retry).isInstanceOfSatisfying(Answer.class, answer -> {
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.isReplay()).isTrue();
      assertThat(answer.headers()).containsEntry(Answer.REPLAY_HEADER, "true");
      assertThat(answer.body()).isEmpty();
    });
    assertThat(audits).hasSize(2).last().extracting(DeliveryAudit::outcome).isEqualTo(DeliveryAudit.Outcome.DUPLICATE);
  }

  @Test
  void aFailedDeliveryIsReleasedSoTheRetryRuns() {
    RunningDelivery failing = (RunningDelivery) lifecycle.receive(stripe, incoming(stripeEvent("evt_lc_2"), "/stripe"));
    failing.fail(500);
    assertThat(audits).singleElement().extracting(DeliveryAudit::outcome).isEqualTo(DeliveryAudit.Outcome.FAILED);
    assertThat(lifecycle.receive(stripe, incoming(stripeEvent("evt_lc_2"), "/stripe"))).isInstanceOf(RunningDelivery.class);
  }

  @Test
  void aRefusalIsAProblemFromTheOneCatalogue() {
    WebhookRequest forged = stripeEvent("evt_lc_3").toBuilder().body("{\"id\":\"evt_lc_3\",\"amount\":1}").build();
    Answer answer = (Answer) lifecycle.receive(stripe, incoming(forged, "/stripe"));
    assertThat(answer.reason()).contains(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.headers()).containsEntry("Content-Type", Answer.PROBLEM_MEDIA_TYPE);
    assertThat(new String(answer.body(), UTF_8))
        .contains("\"type\":\"urn:hookguard:problem:no-matching-signature\"")
        .contains("\"title\":\"Signature does not match\"").contains("\"status\":401")
        .doesNotContain(SECRET).doesNotContain("amount");
    assertThat(audits).singleElement().satisfies(audit -> {
      assertThat(audit.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
      assertThat(audit.eventId()).as("nothing unverified is recorded").isNull();
    });
  }

  @Test
  void onlySignedBytesBecomeParametersAndThereAreBoundedlyMany() {
    WebhookRequest command = SLACK.sign(WebhookRequest.builder().url("https://hooks.example.com/slack")
        .header("Content-Type", "application/x-www-form-urlencoded").body("command=%2Fdeploy&text=now").build());
    RunningDelivery running = (RunningDelivery) lifecycle.receive(slack,
        incoming(command, "/slack?command=/rm-rf&extra=1"));
    assertThat(running.parameters()).containsOnlyKeys("command", "text");
    assertThat(running.parameters().get("command")).containsExactly("/deploy");

    WebhookRequest flood = SLACK.sign(WebhookRequest.builder().url("https://hooks.example.com/slack")
        .header("Content-Type", "application/x-www-form-urlencoded").body("a=1&b=2&c=3&d=4").build());
    assertThat(((Answer) lifecycle.receive(slack, incoming(flood, "/slack"))).reason())
        .contains(RejectionReason.TOO_MANY_PARAMETERS);
  }

  @Test
  void aSignedBodyInAnUnknownCharsetIsRefused() {
    WebhookRequest odd = SLACK.sign(WebhookRequest.builder().url("https://hooks.example.com/slack")
        .header("Content-Type", "application/x-www-form-urlencoded; charset=no-such-charset").body("command=x").build());
    assertThat(((Answer) lifecycle.receive(slack, incoming(odd, "/slack"))).reason())
        .contains(RejectionReason.UNSUPPORTED_CHARSET);
  }

  @Test
  void bodyLimitsAndEncodingsAreRefusedBeforeVerification() {
    WebhookEndpoint small = WebhookEndpoint.builder("small",
        WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build()).maxBodyBytes(8).build();
    assertThat(((Answer) lifecycle.receive(small, incoming(stripeEvent("evt_big"), "/small"))).reason())
        .contains(RejectionReason.BODY_TOO_LARGE);
    WebhookRequest gzip = stripeEvent("evt_gz").toBuilder().setHeader("Content-Encoding", "gzip").build();
    assertThat(((Answer) lifecycle.receive(stripe, incoming(gzip, "/stripe"))).reason())
        .contains(RejectionReason.UNSUPPORTED_CONTENT_ENCODING);
    WebhookRequest second = stripeEvent("evt_gz2").toBuilder().header("Content-Encoding", "identity")
        .header("Content-Encoding", "gzip").build();
    assertThat(((Answer) lifecycle.receive(stripe, incoming(second, "/stripe"))).reason())
        .as("every Content-Encoding value counts").contains(RejectionReason.UNSUPPORTED_CONTENT_ENCODING);
    IncomingRequest unreadable = new IncomingRequest("POST", "https", "h", "/stripe", null, WebhookHeaders.empty(),
        "203.0.113.9", (max, timeout) -> {
          throw new java.io.EOFException("client went away");
        });
    assertThat(((Answer) lifecycle.receive(stripe, unreadable)).reason()).contains(RejectionReason.UNREADABLE_BODY);
    IncomingRequest slow = new IncomingRequest("POST", "https", "h", "/stripe", null, WebhookHeaders.empty(),
        "203.0.113.9", (max, timeout) -> {
          throw new BodySource.BodyReadTimeoutException(timeout);
        });
    assertThat(((Answer) lifecycle.receive(stripe, slow)).status()).isEqualTo(408);
  }

  @Test
  void retryableRefusalsCarryRetryAfter() {
    DedupEngine slowDedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    WebhookEndpoint endpoint = WebhookEndpoint.builder("stripe",
        WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build()).dedup(slowDedup).build();
    RunningDelivery first = (RunningDelivery) lifecycle.receive(endpoint, incoming(stripeEvent("evt_lc_4"), "/stripe"));
    Answer second = (Answer) lifecycle.receive(endpoint, incoming(stripeEvent("evt_lc_4"), "/stripe"));
    assertThat(second.reason()).contains(RejectionReason.IN_PROGRESS);
    assertThat(second.headers()).containsKey("Retry-After");
    assertThat(second.retryAfter()).hasValueSatisfying(after -> assertThat(after).isGreaterThan(Duration.ZERO));
    first.finish(204);
  }

  @Test
  void theMissingEventIdPolicyIsTheEndpointsWhenItHasOne() {
    // One engine (rejecting id-less deliveries by default) shared by three endpoints.
    WebhookVerifier slackVerifier = WebhookVerifier.builder(Providers.SLACK).secret(SECRET).build();
    WebhookEndpoint asEngine = WebhookEndpoint.builder("engine", slackVerifier).dedup(dedup).build();
    WebhookEndpoint running = WebhookEndpoint.builder("commands", slackVerifier).dedup(dedup)
        .missingEventId(WebhookEndpoint.MissingEventId.RUN).build();
    WebhookEndpoint rejecting = WebhookEndpoint.builder("strict", slackVerifier)
        .dedup(DedupEngine.builder(CaffeineDedupStore.create()).runWithoutEventId().build())
        .missingEventId(WebhookEndpoint.MissingEventId.REJECT).build();
    WebhookRequest command = SLACK.sign(WebhookRequest.builder().url("https://hooks.example.com/slack")
        .header("Content-Type", "application/x-www-form-urlencoded").body("command=%2Fdeploy").build());

    assertThat(((Answer) lifecycle.receive(asEngine, incoming(command, "/slack"))).reason())
        .contains(RejectionReason.MISSING_EVENT_ID);
    RunningDelivery ran = (RunningDelivery) lifecycle.receive(running, incoming(command, "/slack"));
    ran.finish(200);
    // Run without an id, but keyed on the signed body: a replay of the same bytes is a duplicate.
    assertThat(audits).last().extracting(DeliveryAudit::dedup).isEqualTo(DeliveryAudit.Dedup.CLAIMED);
    assertThat(lifecycle.receive(running, incoming(command, "/slack")))
        .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.isReplay()).isTrue());
    assertThat(((Answer) lifecycle.receive(rejecting, incoming(command, "/slack"))).reason())
        .contains(RejectionReason.MISSING_EVENT_ID);
  }

  @Test
  void theReadmesGitHubSignerExampleIsAcceptedUnderDefaultSettings() {
    WebhookRequest signed = WebhookSigner.builder(Providers.GITHUB).secret("test-secret").build()
        .sign(WebhookRequest.builder().body("{\"zen\":\"hi\"}").build());
    WebhookEndpoint github = WebhookEndpoint.builder("github",
        WebhookVerifier.builder(Providers.GITHUB).secret("test-secret").build()).dedup(dedup).build();

    Reception reception = lifecycle.receive(github, incoming(signed, "/github"));

    assertThat(reception).as("not 400 missing-event-id").isInstanceOf(RunningDelivery.class);
    ((RunningDelivery) reception).finish(200);
  }

  @Test
  void strippingAnUnsignedIdHeaderDoesNotSwitchDedupOff() {
    WebhookSigner github = WebhookSigner.builder(Providers.GITHUB).secret(SECRET).build();
    WebhookEndpoint endpoint = WebhookEndpoint.builder("github",
        WebhookVerifier.builder(Providers.GITHUB).secret(SECRET).build())
        .dedup(dedup).missingEventId(WebhookEndpoint.MissingEventId.RUN).build();
    WebhookRequest signed = github.sign(WebhookRequest.builder().header("Content-Type", "application/json")
        .header("X-GitHub-Delivery", "d-1").body("{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}").build());
    ((RunningDelivery) lifecycle.receive(endpoint, incoming(signed, "/github"))).finish(200);
    WebhookHeaders.Builder stripped = WebhookHeaders.builder();
    for (String name : signed.headers().names()) {
      if (!name.equalsIgnoreCase("X-GitHub-Delivery")) {
        signed.headers().all(name).forEach(value -> stripped.add(name, value));
      }
    }
    WebhookRequest replay = signed.toBuilder().headers(stripped.build()).build();
    for (int i = 0; i < 3; i++) {
      assertThat(lifecycle.receive(endpoint, incoming(replay, "/github")))
          .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.isReplay()).isTrue());
    }
    // The same through the engine's own policy, without the endpoint's.
    DedupEngine running = DedupEngine.builder(CaffeineDedupStore.create()).runWithoutEventId().build();
    WebhookEndpoint byEngine = WebhookEndpoint.builder("github2",
        WebhookVerifier.builder(Providers.GITHUB).secret(SECRET).build()).dedup(running).build();
    ((RunningDelivery) lifecycle.receive(byEngine, incoming(replay, "/github"))).finish(200);
    assertThat(lifecycle.receive(byEngine, incoming(replay, "/github"))).isInstanceOf(Answer.class);
  }

  @Test
  void aConfiguredPublicOriginIsTheSignedUrlWhateverHostTheClientSends() {
    WebhookSigner twilio = WebhookSigner.builder(Providers.TWILIO).secret(SECRET).build();
    WebhookEndpoint pinned = WebhookEndpoint.builder("twilio",
        WebhookVerifier.builder(Providers.TWILIO).secret(SECRET).build())
        .publicOrigin("https://hooks.example.com").build();
    WebhookRequest forOtherApp = twilio.sign(WebhookRequest.builder().url("https://other-app.example.com/twilio?a=1")
        .header("Content-Type", "application/x-www-form-urlencoded").body("CallSid=CA9").build());
    IncomingRequest sentHere = new IncomingRequest("POST", "https", "other-app.example.com", "/twilio", "a=1",
        forOtherApp.headers(), "203.0.113.9", BodySource.of(forOtherApp.body()));
    assertThat(((Answer) lifecycle.receive(pinned, sentHere)).reason()).contains(RejectionReason.NO_MATCHING_SIGNATURE);

    WebhookRequest forThisApp = twilio.sign(WebhookRequest.builder().url("https://hooks.example.com/twilio?a=1")
        .header("Content-Type", "application/x-www-form-urlencoded").body("CallSid=CA9").build());
    IncomingRequest behindAnything = new IncomingRequest("POST", "http", "10.0.0.7:8080", "/twilio", "a=1",
        forThisApp.headers(), "203.0.113.9", BodySource.of(forThisApp.body()));
    assertThat(lifecycle.receive(pinned, behindAnything)).isInstanceOf(RunningDelivery.class);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> WebhookEndpoint.builder("x",
        WebhookVerifier.builder(Providers.TWILIO).secret(SECRET).build()).publicOrigin("https://h.example/path")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTwilioDeliveryReEncodedUnderAFreshIdIsStillADuplicate() {
    WebhookSigner twilio = WebhookSigner.builder(Providers.TWILIO).secret(SECRET).build();
    WebhookEndpoint endpoint = WebhookEndpoint.builder("twilio",
        WebhookVerifier.builder(Providers.TWILIO).secret(SECRET).build()).dedup(dedup)
        .publicOrigin("https://hooks.example.com").build();
    WebhookRequest signed = twilio.sign(WebhookRequest.builder().url("https://hooks.example.com/twilio")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("I-Twilio-Idempotency-Token", "tok-1").body("CallSid=CA1&Amount=100").build());
    ((RunningDelivery) lifecycle.receive(endpoint, incoming(signed, "/twilio"))).finish(200);

    // Same signature, parameters reordered and re-escaped, a made-up idempotency token.
    WebhookHeaders.Builder headers = WebhookHeaders.builder();
    for (String name : signed.headers().names()) {
      if (!name.equalsIgnoreCase("I-Twilio-Idempotency-Token")) {
        signed.headers().all(name).forEach(value -> headers.add(name, value));
      }
    }
    headers.add("I-Twilio-Idempotency-Token", "tok-attacker");
    WebhookRequest reencoded = signed.toBuilder().headers(headers.build())
        .body("Amount=%31%30%30&CallSid=CA1").build();
    assertThat(lifecycle.receive(endpoint, incoming(reencoded, "/twilio")))
        .isInstanceOfSatisfying(Answer.class, answer -> assertThat(answer.isReplay()).isTrue());
  }

  @Test
  void theCatalogueHasOneEntryPerSlugAndOnlyRetryableOnesHintRetries() {
    assertThat(java.util.Arrays.stream(RejectionReason.values()).map(RejectionReason::slug).distinct().count())
        .isEqualTo(RejectionReason.values().length);
    for (RejectionReason reason : RejectionReason.values()) {
      assertThat(reason.title()).isNotBlank();
      assertThat(reason.httpStatus()).isBetween(400, reason.retryable() ? 503 : 499);
    }
  }
}
