package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Adyen's per-item signatures: what is read, what the event id is, keys and the signer. */
class AdyenSchemeTest {
  private static final WebhookVerifier VERIFIER = Fixtures.keyed(Providers.ADYEN).verifier();
  private static final WebhookSigner SIGNER = Fixtures.keyed(Providers.ADYEN).signer();

  private static String item(String eventCode, String pspReference, String success) {
    return "{\"NotificationRequestItem\":{\"additionalData\":{\"authCode\":\"052095\",\"hmacSignature\":\"x\"},"
        + "\"amount\":{\"currency\":\"EUR\",\"value\":1000},\"eventCode\":\"" + eventCode + "\","
        + "\"eventDate\":\"2026-11-24T12:00:00+01:00\",\"merchantAccountCode\":\"Merchant\","
        + "\"merchantReference\":\"order-1\",\"pspReference\":\"" + pspReference + "\",\"reason\":\"ok\","
        + "\"success\":\"" + success + "\"}}";
  }

  private static WebhookRequest signed(WebhookSigner signer, String... items) {
    String body = "{\"live\":\"false\",\"notificationItems\":[" + String.join(",", items) + "]}";
    return signer.sign(WebhookRequest.builder().header("Content-Type", "application/json").body(body).build());
  }

  @Test
  void theEventIdIsEventCodePspReferenceAndSuccessAllSigned() {
    VerifiedWebhook verified = VERIFIER.verify(signed(SIGNER, item("AUTHORISATION", "7914073381342284", "true")))
        .orElseThrow();

    assertThat(verified.eventId()).contains("AUTHORISATION:7914073381342284:true");
    assertThat(verified.eventType()).contains("AUTHORISATION");
    assertThat(Providers.ADYEN.signsEventId()).isTrue();
    assertThat(Providers.ADYEN.hasTimestamp()).isFalse();
  }

  @Test
  void aFailedEventFollowedBySuccessIsTwoEventsAndDisputeEventsOfOnePaymentDiffer() {
    // Dispute events carry the payment's PSP reference: the code tells them apart.
    assertThat(VERIFIER.verify(signed(SIGNER, item("CHARGEBACK", "7914073381342284", "false"))).orElseThrow()
        .eventId()).contains("CHARGEBACK:7914073381342284:false");
    assertThat(VERIFIER.verify(signed(SIGNER, item("CHARGEBACK", "7914073381342284", "true"))).orElseThrow()
        .eventId()).contains("CHARGEBACK:7914073381342284:true");
  }

  @Test
  void aBatchIsVerifiedItemByItemAndNamedByAllItsIds() {
    VerifiedWebhook same = VERIFIER.verify(signed(SIGNER, item("REFUND", "1000000000000001", "true"),
        item("REFUND", "1000000000000002", "true"))).orElseThrow();
    assertThat(same.eventId()).contains("REFUND:1000000000000001:true,REFUND:1000000000000002:true");
    assertThat(same.eventType()).contains("REFUND");

    VerifiedWebhook mixed = VERIFIER.verify(signed(SIGNER, item("REFUND", "1000000000000001", "true"),
        item("CAPTURE", "1000000000000003", "true"))).orElseThrow();
    assertThat(mixed.eventType()).as("no one type for the batch").isEmpty();
  }

  @Test
  void anItemWithoutReferenceOrCodeLeavesTheDeliveryWithoutAnId() {
    VerifiedWebhook verified = VERIFIER.verify(signed(SIGNER, item("REFUND", "1000000000000001", "true"),
        item("REFUND", "", "true"))).orElseThrow();

    assertThat(verified.eventId()).isEmpty();
  }

  @Test
  void itemsSignedWithTheOldAndTheNewKeyDuringARotationVerifyUnderBoth() {
    WebhookSigner old = WebhookSigner.builder(Providers.ADYEN).secret(Fixtures.OTHER_ADYEN_KEY).build();
    String oldItem = new String(signed(old, item("REFUND", "1000000000000001", "true")).body(), UTF_8);
    String newItem = new String(signed(SIGNER, item("REFUND", "1000000000000002", "true")).body(), UTF_8);
    String body = oldItem.substring(0, oldItem.lastIndexOf(']')) + ","
        + newItem.substring(newItem.indexOf('[') + 1);
    WebhookRequest mixed = WebhookRequest.builder().body(body).build();

    assertThat(VERIFIER.verify(mixed).isVerified()).as("only the new key").isFalse();
    assertThat(WebhookVerifier.builder(Providers.ADYEN).secret(Fixtures.ADYEN_KEY).secret(Fixtures.OTHER_ADYEN_KEY)
        .build().verify(mixed).isVerified()).isTrue();
  }

  @Test
  void theSignerKeepsEveryUnsignedFieldAndReplacesTheSignature() {
    String unsigned = "{\"live\":\"false\",\"notificationItems\":[" + item("AUTHORISATION", "7914073381342284", "true")
        + "]}";
    String body = new String(SIGNER.sign(WebhookRequest.builder().body(unsigned).build()).body(), UTF_8);

    assertThat(body).contains("\"authCode\":\"052095\"", "\"reason\":\"ok\"", "\"eventDate\":\"2026-11-24T12:00:00+01:00\"",
        "\"value\":1000").doesNotContain("\"hmacSignature\":\"x\"");
    assertThat(body.replaceFirst("\"hmacSignature\":\"[^\"]+\"", "\"hmacSignature\":\"x\"")).isEqualTo(unsigned);
  }

  @Test
  void theKeyIsHexInEitherCaseAndAnythingElseIsRefusedWithoutEchoingIt() {
    WebhookRequest delivery = signed(SIGNER, item("AUTHORISATION", "7914073381342284", "true"));
    assertThat(WebhookVerifier.builder(Providers.ADYEN).secret(Fixtures.ADYEN_KEY.toLowerCase(java.util.Locale.ROOT))
        .build().verify(delivery).isVerified()).isTrue();

    String notHex = "this-is-not-a-hex-hmac-key";
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.ADYEN).secret(notHex))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(notHex);
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.ADYEN).publicKey(Fixtures.ADYEN_KEY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
