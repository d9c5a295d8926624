package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event id deduplication keys on must be one the signature covers, or be flagged as not. */
class SignedEventIdTest {
  private static final WebhookVerifier STANDARD = WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS)
      .secret(Fixtures.STANDARD_SECRET).clock(Fixtures.CLOCK).build();

  private static WebhookRequest signedStandard() {
    WebhookRequest unsigned = WebhookRequest.builder().url(Fixtures.URL)
        .header("webhook-id", "msg_original").body("{\"type\":\"invoice.paid\"}".getBytes(UTF_8)).build();
    return WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(Fixtures.STANDARD_SECRET)
        .clock(Fixtures.CLOCK).build().sign(unsigned);
  }

  /** The same signed delivery as Svix sends it: svix-* headers only. */
  private static WebhookRequest asSvix(WebhookRequest signed) {
    WebhookHeaders headers = signed.headers();
    return signed.toBuilder().headers(WebhookHeaders.builder()
        .add("svix-id", headers.first("webhook-id"))
        .add("svix-timestamp", headers.first("webhook-timestamp"))
        .add("svix-signature", headers.first("webhook-signature"))
        .build()).build();
  }

  @Test
  void aSvixSignedDeliveryKeepsItsSignedIdWhateverWebhookIdIsAdded() {
    WebhookRequest replayed = asSvix(signedStandard()).toBuilder().header("webhook-id", "made-up-by-a-replayer").build();
    VerifiedWebhook verified = STANDARD.verify(replayed).orElseThrow();
    assertThat(verified.eventId()).contains("msg_original");
    assertThat(verified.eventType()).contains("invoice.paid");
  }

  @Test
  void aWebhookSignedDeliveryKeepsItsSignedIdWhateverSvixIdIsAdded() {
    WebhookRequest replayed = signedStandard().toBuilder().header("svix-id", "made-up-by-a-replayer").build();
    assertThat(STANDARD.verify(replayed).orElseThrow().eventId()).contains("msg_original");
  }

  @Test
  void everyBuiltInSaysWhetherItsEventIdIsSigned() {
    Map<String, Boolean> signed = new LinkedHashMap<>();
    for (WebhookScheme scheme : Providers.all()) {
      signed.put(scheme.id(), scheme.signsEventId());
    }
    // The README's provider table states the same; a scheme added without a row here fails.
    assertThat(signed).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("standard-webhooks", true), Map.entry("stripe", true), Map.entry("github", false),
        Map.entry("github-sha1", false), Map.entry("slack", true), Map.entry("shopify", false),
        Map.entry("twilio", false), Map.entry("paddle", true), Map.entry("square", true),
        Map.entry("zoom", false), Map.entry("linear", false), Map.entry("intercom", true),
        Map.entry("hubspot", false), Map.entry("mailgun", false), Map.entry("sendgrid", false),
        Map.entry("discord", true), Map.entry("twitch", true), Map.entry("gitlab", false),
        Map.entry("pagerduty", true), Map.entry("typeform", true), Map.entry("clerk", true),
        Map.entry("resend", true), Map.entry("openai", true), Map.entry("replicate", true),
        Map.entry("circleci", true), Map.entry("logto", false), Map.entry("woocommerce", false),
        Map.entry("docusign", false), Map.entry("bitbucket", false), Map.entry("gitea", false),
        Map.entry("forgejo", false), Map.entry("vercel", true), Map.entry("meta", false),
        Map.entry("telegram", false), Map.entry("basic-auth", false), Map.entry("bearer-token", false),
        Map.entry("telnyx", true), Map.entry("mandrill", false),
        Map.entry("travis-ci", false),
        Map.entry("adyen", true),
        Map.entry("braintree", false),
        Map.entry("plaid", false),
        Map.entry("aws-sns", true),
        Map.entry("paypal", false)));
  }

  @Test
  void onlySchemesThatSignTheUrlSayTheyDo() {
    for (WebhookScheme scheme : Providers.all()) {
      boolean expected = scheme == Providers.TWILIO || scheme == Providers.SQUARE || scheme == Providers.HUBSPOT
          || scheme == Providers.MANDRILL;
      assertThat(scheme.signsUrl()).as(scheme.id()).isEqualTo(expected);
    }
    assertThat(WebhookScheme.hmac("acme").signatureHeader("X-Acme").signedContent("{url}{body}").build().signsUrl()).isTrue();
    assertThat(WebhookScheme.hmac("acme").signatureHeader("X-Acme").build().signsUrl()).isFalse();
  }

  @Test
  void aCustomSchemeSignsItsIdOnlyWhereTheSignatureCoversIt() {
    assertThat(WebhookScheme.hmac("acme").signatureHeader("X-Acme").eventIdHeader("X-Acme-Id").build().signsEventId())
        .isFalse();
    assertThat(WebhookScheme.hmac("acme").signatureHeader("X-Acme").eventIdJsonField("id").build().signsEventId())
        .isTrue();
    assertThat(WebhookScheme.hmac("acme").signatureHeader("X-Acme").build().signsEventId())
        .as("no event id at all").isFalse();
  }
}
