package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact values providers publish in their docs or official SDK tests, and RFC 8032's Ed25519
 * vectors. Each must verify, and a one-character change must not.
 */
class PublishedVectorsTest {

  private static Clock at(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond).plusSeconds(30), ZoneOffset.UTC);
  }

  private static void assertVerifiesAndTamperFails(WebhookVerifier verifier, WebhookRequest request) {
    assertThat(verifier.verify(request).isVerified()).as("published vector").isTrue();
    byte[] body = request.body().clone();
    body[body.length - 1] ^= 1;
    assertThat(verifier.verify(request.toBuilder().body(body).build()).isVerified()).isFalse();
  }

  /** docs.github.com, "Validating webhook deliveries". */
  @Test
  void github() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.GITHUB)
        .secret("It's a Secret to Everybody").build();
    assertVerifiesAndTamperFails(verifier, WebhookRequest.builder()
        .header("X-Hub-Signature-256",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        .body("Hello, World!").build());
  }

  /** api.slack.com, "Verifying requests from Slack" (a slash-command form body). */
  @Test
  void slack() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.SLACK)
        .secret("8f742231b10e8888abcd99yyyzzz85a5").clock(at(1531420618)).build();
    assertVerifiesAndTamperFails(verifier, WebhookRequest.builder()
        .header("X-Slack-Request-Timestamp", "1531420618")
        .header("X-Slack-Signature",
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
            + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
        .build());
  }

  /** The Standard Webhooks specification's example in one header family ({@code webhook} or {@code svix}). */
  private static WebhookRequest standardWebhooksExample(String family) {
    return WebhookRequest.builder()
        .header(family + "-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
        .header(family + "-timestamp", "1614265330")
        .header(family + "-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        .body("{\"test\": 2432232314}").build();
  }

  /** The Standard Webhooks specification's and Svix docs' example, in both header families. */
  @Test
  void standardWebhooksAndSvix() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").clock(at(1614265330)).build();
    for (String family : List.of("webhook", "svix")) {
      WebhookRequest request = standardWebhooksExample(family);
      assertVerifiesAndTamperFails(verifier, request);
      assertThat(verifier.verify(request).orElseThrow().eventId()).contains("msg_p5jXN8AQM9LWM0D4loKWxJek");
    }
  }

  /**
   * The same specification example through each sender built on Standard Webhooks, in the one
   * header family that sender sends; the other family is not read (the sender never sends it).
   */
  @Test
  void standardWebhooksSendersInTheirOwnHeaderFamily() {
    Map<WebhookScheme, String> families = Map.of(Providers.CLERK, "svix", Providers.RESEND, "svix",
        Providers.OPENAI, "webhook", Providers.REPLICATE, "webhook");
    families.forEach((scheme, family) -> {
      WebhookVerifier verifier = WebhookVerifier.builder(scheme)
          .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").clock(at(1614265330)).build();
      String other = family.equals("svix") ? "webhook" : "svix";
      WebhookRequest request = standardWebhooksExample(family);
      assertVerifiesAndTamperFails(verifier, request);
      assertThat(verifier.verify(request).orElseThrow().eventId()).as(scheme.id())
          .contains("msg_p5jXN8AQM9LWM0D4loKWxJek");
      WebhookRequest otherFamily = standardWebhooksExample(other);
      assertThat(((Rejection) verifier.verify(otherFamily)).reason()).as(scheme.id())
          .isEqualTo(RejectionReason.MISSING_HEADER);
    });
  }

  /** logto's packages/core/src/utils/sign.test.ts: signing key "foo", the body as JSON.stringify writes it. */
  @Test
  void logto() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.LOGTO).secret("foo").build();
    assertVerifiesAndTamperFails(verifier, WebhookRequest.builder()
        .header("logto-signature-sha-256", "436958f1dbfefab37712fb3927760490fbf7757da8c0b2306ee7b485f0360eee")
        .body("{\"bar\":\"bar\",\"foo\":\"foo\"}").build());
    assertVerifiesAndTamperFails(verifier, WebhookRequest.builder()
        .header("logto-signature-sha-256", "c76356efa19d219d1d7e08ccb20b1d26db53b143156f406c99dcb8e0876d6c55")
        .body("{}").build());
  }

  private static final String TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  private static final String TWILIO_FORM =
      "Digits=1234&CallSid=CA1234567890ABCDE&To=%2B18005551212&Caller=%2B14158675309&From=%2B14158675309";
  private static final String TWILIO_JSON = "{\"property\": \"value\", \"boolean\": true}";
  private static final String TWILIO_BODY_HASH =
      "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

  private static WebhookRequest twilioForm(String url, String signature) {
    return WebhookRequest.builder().url(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature).body(TWILIO_FORM).build();
  }

  /** twilio-java's RequestValidatorTest: form parameters, default ports, JSON bodySHA256. */
  @Test
  void twilio() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.TWILIO).secret("12345").build();

    assertVerifiesAndTamperFails(verifier, twilioForm(TWILIO_URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    // Signed with :443 / :80 added; received without the port.
    assertVerifiesAndTamperFails(verifier, twilioForm(TWILIO_URL, "kvajT1Ptam85bY51eRf/AJRuM3w="));
    assertVerifiesAndTamperFails(verifier,
        twilioForm(TWILIO_URL.replace("https", "http"), "0ZXoZLH/DfblKGATFgpif+LLRf4="));
    // Received with the default port, signed without it.
    assertThat(verifier.verify(twilioForm(TWILIO_URL.replace(".com", ".com:443"),
        "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isVerified()).isTrue();
    // Any other port is part of the URL, not something to strip.
    assertThat(verifier.verify(twilioForm(TWILIO_URL.replace(".com", ".com:1234"),
        "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isVerified()).isFalse();

    for (var vector : List.of(
        List.of(TWILIO_URL + "&bodySHA256=" + TWILIO_BODY_HASH, "a9nBmqA0ju/hNViExpshrM61xv4="),
        List.of("https://mycompany.com/myapp.php?bodySHA256=" + TWILIO_BODY_HASH, "y77kIzt2vzLz71DgmJGsen2scGs="))) {
      WebhookRequest json = WebhookRequest.builder().url(vector.get(0))
          .header("Content-Type", "application/json")
          .header("X-Twilio-Signature", vector.get(1)).body(TWILIO_JSON).build();
      assertVerifiesAndTamperFails(verifier, json);
    }
  }

  private static final String SQUARE_BODY = "{\"merchant_id\":\"MLEFBHHSJGVHD\",\"type\":\"webhooks.test_notification\","
      + "\"event_id\":\"ac3ac95b-f97d-458c-a6e6-18981597e05f\","
      + "\"created_at\":\"2022-07-13T20:30:59.037339943Z\","
      + "\"data\":{\"type\":\"webhooks\",\"id\":\"bc368e64-01aa-407e-b46e-3231809b1129\"}}";

  /** square-java-sdk's WebhooksHelperTest, recorded from a real Square test notification. */
  @Test
  void square() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.SQUARE)
        .secret("Ibxx_5AKakO-3qeNVR61Dw").build();
    WebhookRequest request = WebhookRequest.builder()
        .url("https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9")
        .header("x-square-hmacsha256-signature", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=")
        .body(SQUARE_BODY).build();
    assertVerifiesAndTamperFails(verifier, request);
    assertThat(verifier.verify(request).orElseThrow().eventId())
        .contains("ac3ac95b-f97d-458c-a6e6-18981597e05f");
    assertThat(verifier.verify(request.toBuilder().url("https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9")
        .build()).isVerified()).as("another URL").isFalse();

    WebhookVerifier escaped = WebhookVerifier.builder(Providers.SQUARE).secret("signature-key").build();
    assertVerifiesAndTamperFails(escaped, WebhookRequest.builder()
        .url("https://webhook.site/webhooks")
        .header("x-square-hmacsha256-signature", "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=")
        .body("{\"data\":{\"type\":\"webhooks\",\"id\":\">id<\"}}").build());
  }

  /** sendgrid-java's EventWebhookTest: ECDSA P-256 over timestamp + body (which ends in CRLF). */
  @Test
  void sendgrid() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.SENDGRID)
        .publicKey("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpV"
            + "KS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==")
        .clock(at(1600112502)).build();
    assertVerifiesAndTamperFails(verifier, WebhookRequest.builder()
        .header("X-Twilio-Email-Event-Webhook-Signature",
            "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=")
        .header("X-Twilio-Email-Event-Webhook-Timestamp", "1600112502")
        .body("[{\"email\":\"hello@world.com\",\"event\":\"dropped\",\"reason\":\"Bounced Address\","
            + "\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\","
            + "\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\","
            + "\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\","
            + "\"timestamp\":1600112492}]\r\n")
        .build());
  }

  /** RFC 8032 section 7.1, tests 1 to 3, through the key type every Ed25519 scheme uses. */
  @Test
  void rfc8032Ed25519() {
    String[][] vectors = {
        {"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
        {"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };
    HexFormat hex = HexFormat.of();
    for (String[] vector : vectors) {
      Keys.VerificationKey key = Keys.ed25519PublicKey("", hex.parseHex(vector[0]));
      byte[] message = hex.parseHex(vector[1]);
      byte[] signature = hex.parseHex(vector[2]);
      assertThat(key.verify(sink -> sink.update(message), List.of(signature))).isTrue();
      byte[] tampered = signature.clone();
      tampered[0] ^= 1;
      assertThat(key.verify(sink -> sink.update(message), List.of(tampered))).isFalse();
    }
  }

  // ---- Adyen: one item, as Adyen's libraries publish it, in the notification Adyen posts ----

  private static WebhookRequest adyenNotification(String item) {
    return WebhookRequest.builder().header("Content-Type", "application/json")
        .body("{\"live\":\"false\",\"notificationItems\":[{\"NotificationRequestItem\":" + item + "}]}")
        .build();
  }

  /** Every vector verifies; one changed signed field, or another key, does not. */
  private static void assertAdyenVector(String key, String item, String signedField, String changed) {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.ADYEN).secret(key).build();
    assertThat(verifier.verify(adyenNotification(item)).isVerified()).as("published vector").isTrue();
    assertThat(item).contains(signedField);
    assertThat(verifier.verify(adyenNotification(item.replace(signedField, changed))).isVerified()).isFalse();
    assertThat(WebhookVerifier.builder(Providers.ADYEN).secret(Fixtures.ADYEN_KEY).build()
        .verify(adyenNotification(item)).isVerified()).isFalse();
  }

  /** adyen-php-api-library, tests/Adyen/Util/HmacSignatureTest.php (the docs' example item). */
  @Test
  void adyenPhpLibrary() {
    assertAdyenVector("DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00",
        "{\"pspReference\":\"7914073381342284\",\"merchantAccountCode\":\"TestMerchant\","
            + "\"merchantReference\":\"TestPayment-1407325143704\",\"amount\":{\"value\":1130,"
            + "\"currency\":\"EUR\"},\"eventCode\":\"AUTHORISATION\",\"success\":\"true\","
            + "\"additionalData\":{\"hmacSignature\":\"Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I=\"}}",
        "\"value\":1130", "\"value\":1131");
  }

  /**
   * adyen-java-api-library, HMACValidatorTest.testValidateHMAC: a string amount value, no
   * {@code originalReference}.
   */
  @Test
  void adyenJavaLibrary() {
    assertAdyenVector("9064450A8892A093D9E97EFCC9639DE31B74F3A7803135555A3C96F5A57915D6",
        "{\"additionalData\":{\"hmacSignature\":\"NuEkADFmlCC6VgX+wcoPAegIWxVPNBPCuKlM4Hzo5qc=\"},"
            + "\"amount\":{\"currency\":\"EUR\",\"value\":\"0\"},\"eventCode\":\"REPORT_AVAILABLE\","
            + "\"eventDate\":\"2019-11-20T14:35:36+01:00\",\"merchantAccountCode\":\"Magento2Rik\","
            + "\"merchantReference\":\"testMerchantRef1\",\"pspReference\":\"test_REPORT_AVAILABLE\","
            + "\"reason\":\"will contain the url to the report\",\"success\":\"true\"}",
        "\"success\":\"true\"", "\"success\":\"false\"");
  }

  /**
   * adyen-java-api-library, HMACValidatorTest.testValidateHMACWithoutEscaping
   * (mocks/hmac-validation-webhook.json): a merchant reference holding {@code \}, {@code :} and
   * {@code /} is signed as decoded, without the escaping Adyen's retired hosted payment pages used.
   */
  @Test
  void adyenJavaLibraryWithoutEscaping() {
    assertAdyenVector("74F490DD33F7327BAECC88B2947C011FC02D014A473AAA33A8EC93E4DC069174",
        "{\"additionalData\":{\"acquirerCode\":\"TestPmmAcquirer\",\"authCode\":\"052095\","
            + "\"hmacSignature\":\"CZErGCNQaSsxbaQfZaJlakqo7KPP+mIa8a+wx3yNs9A=\",\"paymentMethod\":\"visa\"},"
            + "\"amount\":{\"currency\":\"EUR\",\"value\":1000},\"eventCode\":\"AUTHORISATION\","
            + "\"eventDate\":\"2023-01-10T13:42:29+01:00\",\"merchantAccountCode\":\"AntoniStroinski\","
            + "\"merchantReference\":\"\\\\:/\\\\/slashes are fun\",\"operations\":[\"CANCEL\",\"CAPTURE\",\"REFUND\"],"
            + "\"paymentMethod\":\"visa\",\"pspReference\":\"ZVWN7D3WSMK2WN82\","
            + "\"reason\":\"052095:1111:03/2030\",\"success\":\"true\"}",
        "slashes are fun", "slashes are fun!");
  }
}
