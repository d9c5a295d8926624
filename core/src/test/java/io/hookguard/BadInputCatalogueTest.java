package io.hookguard;

import static io.hookguard.RejectionReason.MALFORMED_HEADER;
import static io.hookguard.RejectionReason.MALFORMED_TIMESTAMP;
import static io.hookguard.RejectionReason.MISSING_HEADER;
import static io.hookguard.RejectionReason.NO_MATCHING_SIGNATURE;
import static io.hookguard.RejectionReason.TIMESTAMP_TOO_NEW;
import static io.hookguard.RejectionReason.TIMESTAMP_TOO_OLD;
import static io.hookguard.RejectionReason.UNREADABLE_BODY;
import static io.hookguard.RejectionReason.UNSUPPORTED_SIGNATURE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, scheme by scheme, with the typed reason each must produce. Every case starts from a
 * correctly signed delivery and changes one thing.
 */
class BadInputCatalogueTest {
  private static final String HUGE = "a".repeat(16 * 1024);
  private static final String OVERFLOW = "99999999999999999999999";

  record Case(String scheme, String header, String value, RejectionReason reason) {}

  static Stream<Arguments> signatureHeaderCases() {
    return Stream.of(
        // Stripe: key=value list with t and v1.
        c("stripe", "Stripe-Signature", "", MALFORMED_HEADER),
        c("stripe", "Stripe-Signature", "   ", MALFORMED_HEADER),
        c("stripe", "Stripe-Signature", "garbage", MALFORMED_HEADER),
        c("stripe", "Stripe-Signature", "t=1,t=2,v1=ab", MALFORMED_HEADER),
        c("stripe", "Stripe-Signature", "v1=abcd", MALFORMED_HEADER),
        c("stripe", "Stripe-Signature", "t={now},v0=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("stripe", "Stripe-Signature", "t={now},v2=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("stripe", "Stripe-Signature", "t={now}, v1=ABCDEF", NO_MATCHING_SIGNATURE),
        c("stripe", "Stripe-Signature", "t={now},v1=zz", NO_MATCHING_SIGNATURE),
        c("stripe", "Stripe-Signature", "t={now},v1=", NO_MATCHING_SIGNATURE),
        c("stripe", "Stripe-Signature", "t=" + OVERFLOW + ",v1=ab", MALFORMED_TIMESTAMP),
        c("stripe", "Stripe-Signature", "t=-5,v1=ab", MALFORMED_TIMESTAMP),
        c("stripe", "Stripe-Signature", "t=1.5,v1=ab", MALFORMED_TIMESTAMP),
        c("stripe", "Stripe-Signature", "t=+15,v1=ab", MALFORMED_TIMESTAMP),
        c("stripe", "Stripe-Signature", "t= ,v1=ab", MALFORMED_TIMESTAMP),
        c("stripe", "Stripe-Signature", "t=1e3,v1=ab", MALFORMED_TIMESTAMP),
        c("stripe", "Stripe-Signature", "t=" + HUGE, MALFORMED_HEADER),
        c("stripe", "Stripe-Signature", "t=\u0661\u0662,v1=ab", MALFORMED_TIMESTAMP),
        // Standard Webhooks: space-separated version,signature entries.
        c("standard-webhooks", "webhook-signature", "", MALFORMED_HEADER),
        c("standard-webhooks", "webhook-signature", "v1", MALFORMED_HEADER),
        c("standard-webhooks", "webhook-signature", "v2,abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("standard-webhooks", "webhook-signature", "v1a,abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("standard-webhooks", "webhook-signature", "v1,not-base64!", NO_MATCHING_SIGNATURE),
        c("standard-webhooks", "webhook-signature", "v1,abc def", MALFORMED_HEADER),
        c("standard-webhooks", "webhook-signature", "v1,AB==", NO_MATCHING_SIGNATURE),
        c("standard-webhooks", "webhook-signature", "v1,AB", NO_MATCHING_SIGNATURE),
        c("standard-webhooks", "webhook-signature", "v1,QUJD v1,QUJD", NO_MATCHING_SIGNATURE),
        c("standard-webhooks", "webhook-timestamp", OVERFLOW, MALFORMED_TIMESTAMP),
        c("standard-webhooks", "webhook-timestamp", "-1", MALFORMED_TIMESTAMP),
        c("standard-webhooks", "webhook-timestamp", "1.0", MALFORMED_TIMESTAMP),
        c("standard-webhooks", "webhook-timestamp", "", MALFORMED_TIMESTAMP),
        // The timestamp is signed: changed, it no longer matches (window checks: SchemeRoundTripTest).
        c("standard-webhooks", "webhook-timestamp", "1", NO_MATCHING_SIGNATURE),
        c("standard-webhooks", "webhook-id", HUGE, MALFORMED_HEADER),
        // GitHub and friends: a prefix.
        c("github", "X-Hub-Signature-256", "", MALFORMED_HEADER),
        c("github", "X-Hub-Signature-256", "sha1=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("github", "X-Hub-Signature-256", "sha256=", NO_MATCHING_SIGNATURE),
        c("github", "X-Hub-Signature-256", "sha256=abc", NO_MATCHING_SIGNATURE),
        c("github", "X-Hub-Signature-256", "SHA256=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("github", "X-Hub-Signature-256", "sha256 abcd", MALFORMED_HEADER),
        c("github", "X-Hub-Signature-256", HUGE, MALFORMED_HEADER),
        c("slack", "X-Slack-Signature", "v1=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("slack", "X-Slack-Request-Timestamp", "abc", MALFORMED_TIMESTAMP),
        c("slack", "X-Slack-Request-Timestamp", OVERFLOW, MALFORMED_TIMESTAMP),
        c("paddle", "Paddle-Signature", "ts={now};h2=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("paddle", "Paddle-Signature", "h1=abcd", MALFORMED_HEADER),
        c("paddle", "Paddle-Signature", "ts={now};h1", MALFORMED_HEADER),
        c("pagerduty", "X-PagerDuty-Signature", "v2=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("pagerduty", "X-PagerDuty-Signature", ",,,", MALFORMED_HEADER),
        c("shopify", "X-Shopify-Hmac-Sha256", "%%%", NO_MATCHING_SIGNATURE),
        c("twitch", "Twitch-Eventsub-Message-Timestamp", "2026-11-24 12:00:00", MALFORMED_TIMESTAMP),
        c("twitch", "Twitch-Eventsub-Message-Timestamp", "2026-13-24T12:00:00Z", MALFORMED_TIMESTAMP),
        c("twitch", "Twitch-Eventsub-Message-Timestamp", "+1000000000-01-01T00:00:00Z", MALFORMED_TIMESTAMP),
        c("hubspot", "X-HubSpot-Request-Timestamp", "1e12", MALFORMED_TIMESTAMP),
        c("discord", "X-Signature-Ed25519", "00", NO_MATCHING_SIGNATURE),
        c("discord", "X-Signature-Ed25519", "zz", NO_MATCHING_SIGNATURE),
        c("sendgrid", "X-Twilio-Email-Event-Webhook-Signature", "MEUCIQ==", NO_MATCHING_SIGNATURE),
        c("sendgrid", "X-Twilio-Email-Event-Webhook-Timestamp", "timestamp", MALFORMED_TIMESTAMP),
        c("twilio", "X-Twilio-Signature", "", NO_MATCHING_SIGNATURE),
        c("circleci", "circleci-signature", "v2=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("circleci", "circleci-signature", "v1", MALFORMED_HEADER),
        c("circleci", "circleci-signature", "v1=ABCDEF", NO_MATCHING_SIGNATURE),
        c("bitbucket", "X-Hub-Signature", "sha1=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("woocommerce", "X-WC-Webhook-Signature", "%%%", NO_MATCHING_SIGNATURE),
        c("docusign", "X-DocuSign-Signature-1", "AB==", NO_MATCHING_SIGNATURE),
        c("docusign", "X-DocuSign-Signature-1", HUGE, MALFORMED_HEADER),
        c("vercel", "x-vercel-signature", "ABCDEF", NO_MATCHING_SIGNATURE),
        c("meta", "X-Hub-Signature-256", "sha1=abcd", UNSUPPORTED_SIGNATURE_VERSION),
        c("mandrill", "X-Mandrill-Signature", "", NO_MATCHING_SIGNATURE),
        c("mandrill", "X-Mandrill-Signature", HUGE, MALFORMED_HEADER),
        c("mandrill", "Content-Type", "application/json", UNREADABLE_BODY),
        c("travis-ci", "Signature", "", NO_MATCHING_SIGNATURE),
        c("travis-ci", "Signature", "not base64!", NO_MATCHING_SIGNATURE),
        c("travis-ci", "Signature", HUGE, MALFORMED_HEADER),
        c("travis-ci", "Content-Type", "text/plain", UNREADABLE_BODY),
        c("telnyx", "telnyx-signature-ed25519", "AAAA", NO_MATCHING_SIGNATURE),
        c("telnyx", "telnyx-signature-ed25519", "not base64!", NO_MATCHING_SIGNATURE),
        c("telnyx", "telnyx-timestamp", "2026-11-24T12:00:00Z", MALFORMED_TIMESTAMP),
        c("telnyx", "telnyx-timestamp", OVERFLOW, MALFORMED_TIMESTAMP),
        c("telegram", "X-Telegram-Bot-Api-Secret-Token", "", NO_MATCHING_SIGNATURE),
        c("telegram", "X-Telegram-Bot-Api-Secret-Token", HUGE, MALFORMED_HEADER),
        c("bearer-token", "Authorization", "Basic abcd", MALFORMED_HEADER),
        c("bearer-token", "Authorization", "Bearer ", MALFORMED_HEADER),
        c("bearer-token", "Authorization", "Bearer wrong", NO_MATCHING_SIGNATURE),
        c("basic-auth", "Authorization", "Bearer abcd", MALFORMED_HEADER),
        c("basic-auth", "Authorization", "Basic", MALFORMED_HEADER),
        c("basic-auth", "Authorization", "Basic not base64!", MALFORMED_HEADER),
        c("basic-auth", "Authorization", "Basic aG9vay11c2VyOmRlbW8tcGFzc3dvcmQ", MALFORMED_HEADER),
        c("basic-auth", "Authorization", "Basic aG9vay11c2VyOndyb25n", NO_MATCHING_SIGNATURE),
        c("gitlab", "X-Gitlab-Token", "", NO_MATCHING_SIGNATURE),
        c("gitlab", "X-Gitlab-Token", HUGE, MALFORMED_HEADER),
        c("braintree", "Content-Type", "application/json", UNREADABLE_BODY),
        c("plaid", "Plaid-Verification", "", MALFORMED_HEADER),
        c("plaid", "Plaid-Verification", "garbage", MALFORMED_HEADER),
        c("plaid", "Plaid-Verification", "a.b.c", MALFORMED_HEADER),
        c("plaid", "Plaid-Verification", "eyJhbGciOiJub25lIn0.e30.", MALFORMED_HEADER),
        c("plaid", "Plaid-Verification", "eyJhbGciOiJub25lIn0.e30.AAAA", UNSUPPORTED_SIGNATURE_VERSION),
        c("plaid", "Plaid-Verification", "Bearer eyJhbGciOiJub25lIn0.e30.AAAA", MALFORMED_HEADER),
        c("plaid", "Plaid-Verification", HUGE, MALFORMED_HEADER));
  }

  /** Braintree's signature is a form field: its catalogue is of bodies, from a correctly signed one. */
  @ParameterizedTest(name = "braintree {0} -> {1}")
  @MethodSource("braintreeBodies")
  void braintreeFormFieldsAreTypedRejections(String change, RejectionReason reason) {
    Fixtures.Keyed braintree = Fixtures.keyed(Providers.BRAINTREE);
    WebhookRequest signed = braintree.signedSample();
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    io.hookguard.internal.FormEncoding.decode(new String(signed.body(), java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.UTF_8).forEach(pair -> fields.put(pair.getKey(), pair.getValue()));
    String signature = fields.get("bt_signature");
    String payload = fields.get("bt_payload");
    String body = switch (change) {
      case "no bt_signature" -> "bt_payload=" + enc(payload);
      case "no bt_payload" -> "bt_signature=" + enc(signature);
      case "empty bt_signature" -> "bt_signature=&bt_payload=" + enc(payload);
      case "a pair without a bar" -> "bt_signature=" + enc(signature.replace("|", "")) + "&bt_payload=" + enc(payload);
      case "a pair with two bars" -> "bt_signature=" + enc(signature + "|x") + "&bt_payload=" + enc(payload);
      case "another public key" -> "bt_signature=" + enc(signature.replace("demo_public_key", "other_key"))
          + "&bt_payload=" + enc(payload);
      case "upper-case hex" -> "bt_signature=" + enc(signature.toUpperCase(java.util.Locale.ROOT)
          .replace("DEMO_PUBLIC_KEY", "demo_public_key")) + "&bt_payload=" + enc(payload);
      case "not hex" -> "bt_signature=" + enc("demo_public_key|zz") + "&bt_payload=" + enc(payload);
      case "a huge signature" -> "bt_signature=" + enc("demo_public_key|" + HUGE) + "&bt_payload=" + enc(payload);
      case "an extra field" -> new String(signed.body(), java.nio.charset.StandardCharsets.UTF_8) + "&amount=1";
      case "bt_payload twice" -> new String(signed.body(), java.nio.charset.StandardCharsets.UTF_8)
          + "&bt_payload=" + enc(payload);
      case "a payload that is not base64" -> "bt_signature=" + enc(signature) + "&bt_payload=%3Cxml%3E";
      case "a malformed escape" -> "bt_signature=%zz&bt_payload=" + enc(payload);
      default -> throw new IllegalArgumentException(change);
    };
    VerificationResult result = braintree.verifier().verify(signed.toBuilder().body(body).build());

    assertThat(result).isInstanceOf(Rejection.class);
    assertThat(((Rejection) result).reason()).isEqualTo(reason);
    assertThat(((Rejection) result).detail()).doesNotContain(HUGE.substring(0, 64)).hasSizeLessThan(200);
  }

  static Stream<Arguments> braintreeBodies() {
    return Stream.of(
        Arguments.of("no bt_signature", MISSING_HEADER),
        Arguments.of("no bt_payload", UNREADABLE_BODY),
        Arguments.of("empty bt_signature", MALFORMED_HEADER),
        Arguments.of("a pair without a bar", MALFORMED_HEADER),
        Arguments.of("a pair with two bars", MALFORMED_HEADER),
        Arguments.of("another public key", NO_MATCHING_SIGNATURE),
        Arguments.of("upper-case hex", NO_MATCHING_SIGNATURE),
        Arguments.of("not hex", NO_MATCHING_SIGNATURE),
        Arguments.of("a huge signature", MALFORMED_HEADER),
        Arguments.of("an extra field", UNREADABLE_BODY),
        Arguments.of("bt_payload twice", UNREADABLE_BODY),
        Arguments.of("a payload that is not base64", UNREADABLE_BODY),
        Arguments.of("a malformed escape", UNREADABLE_BODY));
  }

  private static String enc(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Arguments c(String scheme, String header, String value, RejectionReason reason) {
    return Arguments.of(scheme, header, value, reason);
  }

  @ParameterizedTest(name = "{0} {1}=\"{2}\" -> {3}")
  @MethodSource("signatureHeaderCases")
  void replacedHeaderIsRejectedWithItsReason(String scheme, String header, String value,
      RejectionReason reason) {
    Fixtures.Keyed keyed = Fixtures.keyed(Providers.byId(scheme).orElseThrow());
    String resolved = value.replace("{now}", Long.toString(Fixtures.NOW.getEpochSecond()));
    WebhookRequest tampered = Fixtures.withHeader(keyed.signedSample(), header, resolved);

    VerificationResult result = keyed.verifier().verify(tampered);

    assertThat(result).isInstanceOf(Rejection.class);
    Rejection rejection = (Rejection) result;
    assertThat(rejection.reason()).isEqualTo(reason);
    assertThat(rejection.detail()).doesNotContain(HUGE.substring(0, 64)).hasSizeLessThan(200);
  }

  static Stream<Arguments> everySignedHeader() {
    return Fixtures.allSchemes().flatMap(keyed -> {
      WebhookRequest signed = keyed.signedSample();
      WebhookRequest unsigned = Fixtures.sampleRequest();
      return signed.headers().names().stream()
          .filter(name -> !unsigned.headers().names().contains(name)
              || name.equalsIgnoreCase(Fixtures.SIGNED_ID_HEADERS.getOrDefault(keyed.scheme().id(), "")))
          .map(name -> Arguments.of(keyed, name));
    });
  }

  @ParameterizedTest(name = "{0} without {1}")
  @MethodSource("everySignedHeader")
  void missingRequiredHeaderIsMissingHeader(Fixtures.Keyed keyed, String header) {
    VerificationResult result = keyed.verifier().verify(Fixtures.withoutHeader(keyed.signedSample(), header));

    assertThat(((Rejection) result).reason()).isEqualTo(MISSING_HEADER);
    assertThat(((Rejection) result).detail()).contains(header);
  }

  @ParameterizedTest(name = "{0} with {1} twice")
  @MethodSource("everySignedHeader")
  void repeatedHeaderIsMalformed(Fixtures.Keyed keyed, String header) {
    WebhookRequest signed = keyed.signedSample();
    WebhookRequest doubled = signed.toBuilder().header(header, signed.headers().first(header)).build();

    assertThat(((Rejection) keyed.verifier().verify(doubled)).reason()).isEqualTo(MALFORMED_HEADER);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void bodySignaturesNeedAReadableBody(String body) {
    Fixtures.Keyed mailgun = Fixtures.keyed(Providers.MAILGUN);
    VerificationResult result = mailgun.verifier().verify(WebhookRequest.builder().body(body).build());

    assertThat(((Rejection) result).reason()).isEqualTo(UNREADABLE_BODY);
  }

  static Stream<String> bodies() {
    return Stream.of("", "not json", "[]", "{\"signature\":{}}", "{\"signature\":[1,2]}",
        "{\"signature\":{\"timestamp\":\"1\",\"token\":\"t\"", "{".repeat(5000),
        "{\"signature\":{\"timestamp\":null,\"token\":\"t\",\"signature\":\"s\"}}");
  }

  @ParameterizedTest(name = "linear body {0}")
  @MethodSource("linearBodies")
  void linearNeedsItsBodyTimestamp(String body, RejectionReason reason) {
    Fixtures.Keyed linear = Fixtures.keyed(Providers.LINEAR);
    WebhookRequest signed = linear.signer().sign(WebhookRequest.builder().body(body).build());

    assertThat(((Rejection) linear.verifier().verify(signed)).reason()).isEqualTo(reason);
  }

  static Stream<Arguments> linearBodies() {
    long now = Fixtures.NOW.toEpochMilli();
    return Stream.of(
        Arguments.of("{}", UNREADABLE_BODY),
        Arguments.of("not json", UNREADABLE_BODY),
        Arguments.of("{\"webhookTimestamp\":\"soon\"}", MALFORMED_TIMESTAMP),
        Arguments.of("{\"webhookTimestamp\":1.5}", MALFORMED_TIMESTAMP),
        Arguments.of("{\"webhookTimestamp\":" + OVERFLOW + "}", MALFORMED_TIMESTAMP),
        Arguments.of("{\"webhookTimestamp\":" + (now - 61_000) + "}", TIMESTAMP_TOO_OLD),
        Arguments.of("{\"webhookTimestamp\":" + (now + 61_000) + "}", TIMESTAMP_TOO_NEW));
  }

  @ParameterizedTest(name = "twilio form body {0}")
  @MethodSource("malformedForms")
  void twilioMalformedFormIsUnreadable(String form) {
    WebhookRequest request = WebhookRequest.builder().url(Fixtures.URL)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=").body(form).build();

    VerificationResult result = Fixtures.keyed(Providers.TWILIO).verifier().verify(request);

    assertThat(((Rejection) result).reason()).isEqualTo(UNREADABLE_BODY);
  }

  static Stream<String> malformedForms() {
    return Stream.of("a=%zz", "a=%", "%=1", "a=%e9%");
  }

  // ---- Adyen: the signatures are in the body, one per notification item ----

  private static final String ADYEN_ITEM = "{\"additionalData\":{\"hmacSignature\":\"%s\"},"
      + "\"amount\":{\"currency\":\"EUR\",\"value\":1000},\"eventCode\":\"AUTHORISATION\","
      + "\"merchantAccountCode\":\"Merchant\",\"merchantReference\":\"order-1\","
      + "\"pspReference\":\"%s\",\"success\":\"true\"}";

  /** A notification of items with these PSP references, each signed with the fixtures' key. */
  private static String adyenSigned(String... pspReferences) {
    StringBuilder body = new StringBuilder("{\"live\":\"false\",\"notificationItems\":[");
    for (int i = 0; i < pspReferences.length; i++) {
      body.append(i == 0 ? "" : ",").append("{\"NotificationRequestItem\":")
          .append(String.format(ADYEN_ITEM, "unsigned", pspReferences[i])).append('}');
    }
    WebhookRequest unsigned = WebhookRequest.builder().body(body.append("]}").toString()).build();
    return new String(Fixtures.keyed(Providers.ADYEN).signer().sign(unsigned).body(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  static Stream<Arguments> adyenBodies() {
    String one = adyenSigned("7914073381342284");
    String two = adyenSigned("7914073381342284", "7914073381342285");
    String item = one.substring(one.indexOf("{\"NotificationRequestItem\""), one.lastIndexOf(']'));
    String unsignedItem = "{\"NotificationRequestItem\":" + String.format(ADYEN_ITEM, "", "8814073381342284") + "}";
    return Stream.of(
        Arguments.of("", UNREADABLE_BODY),
        Arguments.of("not json", UNREADABLE_BODY),
        Arguments.of("[]", UNREADABLE_BODY),
        Arguments.of("{}", UNREADABLE_BODY),
        Arguments.of("{\"notificationItems\":[]}", UNREADABLE_BODY),
        Arguments.of("{\"notificationItems\":{}}", UNREADABLE_BODY),
        Arguments.of("{\"notificationItems\":[1]}", UNREADABLE_BODY),
        Arguments.of("{\"notificationItems\":[{}]}", UNREADABLE_BODY),
        Arguments.of("{\"notificationItems\":[{\"NotificationRequestItem\":[]}]}", UNREADABLE_BODY),
        Arguments.of("{\"notificationItems\":[{\"NotificationRequestItem\":{}}]}", UNREADABLE_BODY),
        Arguments.of(one.replaceFirst("\"hmacSignature\":\"[^\"]*\"", "\"hmacSignature\":\"\""), UNREADABLE_BODY),
        Arguments.of(one.replaceFirst("\"hmacSignature\":\"[^\"]*\"", "\"hmacSignature\":42"), UNREADABLE_BODY),
        Arguments.of(one.replaceFirst("\"hmacSignature\":\"[^\"]*\"", "\"hmacSignature\":\"%%%\""), NO_MATCHING_SIGNATURE),
        Arguments.of(one.replaceFirst("\"hmacSignature\":\"[^\"]*\"", "\"hmacSignature\":\"AB==\""), NO_MATCHING_SIGNATURE),
        Arguments.of(one.replace("\"additionalData\":{", "\"additionalData\":{\"hmacSignature\":\"x\","), UNREADABLE_BODY),
        Arguments.of(one.replace("\"amount\":{", "\"amount\":["), UNREADABLE_BODY),
        Arguments.of(one.replace("\"amount\":{", "\"amount\":7,\"x\":{"), UNREADABLE_BODY),
        Arguments.of(one.replace("\"pspReference\":\"7914073381342284\"", "\"pspReference\":{\"a\":1}"), UNREADABLE_BODY),
        // A repeated field: one parser may read the first value, another the last.
        Arguments.of(one.replace("\"success\":\"true\"", "\"success\":\"true\",\"success\":\"false\""), UNREADABLE_BODY),
        Arguments.of(one.replace("{\"live\"", "{\"notificationItems\":[],\"live\""), UNREADABLE_BODY),
        Arguments.of(one.replace("\"live\":\"false\"", "\"live\":\"false\",\"live\":\"true\""), UNREADABLE_BODY),
        Arguments.of(one + "{}", UNREADABLE_BODY),
        Arguments.of(one + " x", UNREADABLE_BODY),
        Arguments.of(one.substring(0, one.length() - 1), UNREADABLE_BODY),
        Arguments.of("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", UNREADABLE_BODY),
        Arguments.of("{\"notificationItems\":[" + (item + ",").repeat(AdyenScheme.MAX_ITEMS) + item + "]}", UNREADABLE_BODY),
        // Every item must verify: an unsigned or forged one next to a genuine one is refused.
        Arguments.of(one.replace("]}", "," + unsignedItem + "]}"), UNREADABLE_BODY),
        Arguments.of(two.replace("7914073381342285", "7914073381342286"), NO_MATCHING_SIGNATURE),
        Arguments.of(one.replace("\"value\":1000", "\"value\":1000.0"), NO_MATCHING_SIGNATURE),
        Arguments.of(one.replace("\"success\":\"true\"", "\"success\":true"), null),
        Arguments.of(one.replace("\"order-1\"", "\"order\\u002d1\""), null),
        Arguments.of("{\"notificationItems\":[" + (item + ",").repeat(AdyenScheme.MAX_ITEMS - 1) + item + "]}", null),
        Arguments.of(two, null));
  }

  /** {@code null}: verified (what Adyen's libraries read the same way). */
  @ParameterizedTest(name = "adyen body #{index} -> {1}")
  @MethodSource("adyenBodies")
  void adyenBodyIsRejectedWithItsReason(String body, RejectionReason reason) {
    VerificationResult result = Fixtures.keyed(Providers.ADYEN).verifier()
        .verify(WebhookRequest.builder().header("Content-Type", "application/json").body(body).build());

    if (reason == null) {
      assertThat(result.isVerified()).as(body).isTrue();
    } else {
      assertThat(result).as(body).isInstanceOf(Rejection.class);
      assertThat(((Rejection) result).reason()).as(body).isEqualTo(reason);
      assertThat(((Rejection) result).detail()).hasSizeLessThan(200);
    }
  }
}
