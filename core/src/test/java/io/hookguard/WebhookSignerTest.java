package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What a signed request carries besides its signature: the event id and type a sender sends. */
class WebhookSignerTest {
  /** Senders whose deliveries carry no single event id (batches, or none documented). */

  /** A JSON body with the body-borne ids the schemes read, and no id header at all. */
  private static WebhookRequest withoutIdHeaders() {
    return WebhookRequest.builder().url(Fixtures.URL).header("Content-Type", "application/json")
        .body(Fixtures.sampleJson().getBytes(UTF_8)).build();
  }

  static java.util.stream.Stream<Fixtures.Keyed> schemes() {
    return Fixtures.allSchemes();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void everySignedDeliveryCarriesTheEventIdItsSenderSends(Fixtures.Keyed keyed) {
    VerifiedWebhook verified = keyed.verifier().verify(keyed.signer().sign(withoutIdHeaders())).orElseThrow();

    if (!Fixtures.EXPECTED_EVENT_IDS.containsKey(keyed.scheme().id())) {
      assertThat(verified.eventId()).isEmpty();
    } else {
      assertThat(verified.eventId()).as("a delivery an endpoint requiring ids accepts").isPresent();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void anExplicitEventIdIsTheOneVerifiedWhereTheSenderSendsItInAHeader(Fixtures.Keyed keyed) {
    boolean headerId = keyed.scheme().eventFields().idSources().stream().findFirst()
        .map(source -> source.header() != null).orElse(false);
    if (!headerId) {
      return;
    }
    WebhookRequest signed = keyed.signer().delivery(Fixtures.sampleRequest()).eventId("chosen-id-1").sign();

    assertThat(keyed.verifier().verify(signed).orElseThrow().eventId()).contains("chosen-id-1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void anExplicitEventIdIsTheSignedMessageIdWhereTheSchemeSignsOne(Fixtures.Keyed keyed) {
    String header = keyed.scheme().signedIdHeader();
    if (header == null) {
      return;
    }
    WebhookRequest signed = keyed.signer().delivery(Fixtures.sampleRequest()).eventId("msg_chosen1").sign();

    assertThat(signed.headers().first(header)).isEqualTo("msg_chosen1");
    assertThat(keyed.verifier().verify(signed).orElseThrow().eventId()).contains("msg_chosen1");
  }

  @Test
  void everyStandardWebhooksPresetTakesAnExplicitEventId() {
    assertThat(List.of(Providers.STANDARD_WEBHOOKS, Providers.CLERK, Providers.RESEND, Providers.OPENAI,
        Providers.REPLICATE)).allSatisfy(scheme -> assertThat(scheme.signedIdHeader()).as(scheme.id()).isNotNull());
  }

  @Test
  void freshIdsDifferPerDeliveryAndAHeaderIdTheRequestCarriesIsKept() {
    WebhookSigner github = WebhookSigner.builder(Providers.GITHUB).secret("s").build();
    WebhookRequest body = WebhookRequest.builder().body("{\"zen\":\"hi\"}").build();

    String first = github.sign(body).headers().first("X-GitHub-Delivery");
    String second = github.sign(body).headers().first("X-GitHub-Delivery");
    assertThat(first).isNotBlank().isNotEqualTo(second);
    assertThat(java.util.UUID.fromString(first)).as("GitHub sends a UUID").isNotNull();
    assertThat(github.sign(body.toBuilder().header("X-GitHub-Delivery", "mine").build())
        .headers().all("X-GitHub-Delivery")).containsExactly("mine");
    assertThat(WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(Fixtures.STANDARD_SECRET).build()
        .sign(body).headers().first("webhook-id")).startsWith("msg_");
  }

  @Test
  void theEventTypeGoesWhereTheSenderSendsIt() {
    WebhookRequest signed = WebhookSigner.builder(Providers.GITHUB).secret("s").build()
        .delivery(WebhookRequest.builder().header("X-GitHub-Event", "ping").body("{}").build())
        .eventId("d-1").eventType("push").sign();

    assertThat(signed.headers().all("X-GitHub-Event")).containsExactly("push");
    VerifiedWebhook verified = WebhookVerifier.builder(Providers.GITHUB).secret("s").build()
        .verify(signed).orElseThrow();
    assertThat(verified.eventId()).contains("d-1");
    assertThat(verified.eventType()).contains("push");
  }

  @Test
  void bodyBorneIdsAndTypesAreCheckedNotRewritten() {
    WebhookSigner stripe = WebhookSigner.builder(Providers.STRIPE).secret("whsec_s").build();
    WebhookRequest event = WebhookRequest.builder().body("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}").build();

    assertThat(stripe.delivery(event).eventId("evt_1").eventType("invoice.paid").sign().body())
        .isEqualTo(event.body());
    assertThatThrownBy(() -> stripe.delivery(event).eventId("evt_2").sign())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 'id'");
    assertThatThrownBy(() -> stripe.delivery(event).eventType("charge.failed").sign())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 'type'");
    // Mailgun wraps the body as event-data: the id inside it is the one checked.
    assertThat(WebhookSigner.builder(Providers.MAILGUN).secret("k").build()
        .delivery(WebhookRequest.builder().body("{\"id\":\"mg-1\"}").build()).eventId("mg-1").sign().body())
        .isNotEmpty();
  }

  @Test
  void schemesWithoutAnIdRefuseOne() {
    WebhookSigner zoom = WebhookSigner.builder(Providers.ZOOM).secret("s").build();
    WebhookRequest body = WebhookRequest.builder().body("{}").build();

    assertThatThrownBy(() -> zoom.delivery(body).eventId("x").sign())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("zoom deliveries carry no event id");
    assertThatThrownBy(() -> WebhookSigner.builder(Providers.HUBSPOT).secret("s").build()
        .delivery(body.toBuilder().url(Fixtures.URL).build()).eventType("x").sign())
        .hasMessage("hubspot deliveries carry no event type");
    assertThatThrownBy(() -> zoom.delivery(body).eventId(" ")).hasMessage("eventId must not be blank");
  }

  @Test
  void sentAtIsTheSignedTime() {
    WebhookSigner stripe = WebhookSigner.builder(Providers.STRIPE).secret("whsec_s").clock(Fixtures.CLOCK).build();
    WebhookRequest stale = stripe.delivery(WebhookRequest.builder().body("{\"id\":\"evt_1\"}").build())
        .sentAt(Fixtures.NOW.minus(Duration.ofHours(1))).sign();

    assertThat(WebhookVerifier.builder(Providers.STRIPE).secret("whsec_s").clock(Fixtures.CLOCK).build()
        .verify(stale)).isInstanceOfSatisfying(Rejection.class,
            rejection -> assertThat(rejection.reason()).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD));
  }
}
