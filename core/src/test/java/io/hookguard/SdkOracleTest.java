package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sendgrid.helpers.eventwebhook.EventWebhook;
import java.net.URLEncoder;
import java.security.Security;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The providers' own Java SDKs as oracles. Where an SDK signs, many random payloads it signed must
 * verify and every single-bit flip of body, signature and timestamp must be rejected; where it
 * only verifies, it must accept what Hookguard's signer produced.
 */
class SdkOracleTest {
  private static final int PAYLOADS = 60;
  private static final String STRIPE_SECRET = "whsec_test_0123456789abcdefghijklmnopqrstuv";

  @BeforeAll
  static void registerBouncyCastle() {
    // sendgrid-java looks its algorithms up in the "BC" provider.
    Security.addProvider(new BouncyCastleProvider());
  }

  /** Payloads as senders produce and frameworks mangle them: non-ASCII, CRLF, heavy whitespace. */
  static List<String> payloads() {
    Random random = new Random(20261124);
    String[] fragments = {"\"id\"", ":", " ", "  ", "\t", "\r\n", "\n", "{", "}", "[", "]", ",",
        "\"caf\u00e9\"", "\"\u2713\"", "\"\ud83d\ude80\"", "\"\\u00e9\"", "1.0e+3", "-0", "null",
        "\"evt_" + random.nextInt(1000) + "\"", "\"a\\\"b\"", "\u00a0", "\"\u0000\"".replace("\u0000", "\\u0000")};
    List<String> payloads = new ArrayList<>();
    payloads.add("");
    payloads.add("{}");
    for (int i = 0; i < PAYLOADS; i++) {
      StringBuilder payload = new StringBuilder("{\"id\":\"evt_" + i + "\",\"data\":");
      int length = random.nextInt(40);
      for (int j = 0; j < length; j++) {
        payload.append(fragments[random.nextInt(fragments.length)]);
      }
      payloads.add(payload.append('}').toString());
    }
    return payloads;
  }

  private static void assertEveryFlipRejected(WebhookVerifier verifier, WebhookRequest valid,
      List<String> signedHeaders) {
    assertEveryFlipRejected(verifier, valid, signedHeaders, (a, b) -> false);
  }

  /**
   * As above, except for body flips that {@code sameMeaning} says leave the signed meaning intact
   * (Twilio signs decoded form parameters, so {@code %2B} and {@code %2b} are the same body).
   */
  private static void assertEveryFlipRejected(WebhookVerifier verifier, WebhookRequest valid,
      List<String> signedHeaders, java.util.function.BiPredicate<byte[], byte[]> sameMeaning) {
    assertThat(verifier.verify(valid).isVerified()).as("valid delivery").isTrue();
    for (int bit = 0; bit < valid.body().length * 8; bit++) {
      byte[] flipped = Fixtures.flipBit(valid.body(), bit);
      WebhookRequest tampered = valid.toBuilder().body(flipped).build();
      if (verifier.verify(tampered).isVerified()) {
        assertThat(sameMeaning.test(valid.body(), flipped))
            .as("body bit %d was accepted and changes the form parameters", bit).isTrue();
      }
    }
    for (String header : signedHeaders) {
      String value = valid.headers().first(header);
      for (int bit = 0; bit < value.length() * 7; bit++) {
        WebhookRequest tampered = Fixtures.withHeader(valid, header, Fixtures.flipBit(value, bit));
        assertThat(verifier.verify(tampered).isVerified()).as("%s bit %d", header, bit).isFalse();
      }
    }
  }

  @Test
  void stripeJavaSignsAndVerifiesWhatHookguardDoes() throws Exception {
    long now = Fixtures.NOW.getEpochSecond();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE)
        .secret(STRIPE_SECRET).clock(Fixtures.CLOCK).build();
    WebhookSigner signer = WebhookSigner.builder(Providers.STRIPE)
        .secret(STRIPE_SECRET).clock(Fixtures.CLOCK).build();
    for (String payload : payloads()) {
      String header = com.stripe.net.Webhook.Signature.generateSignatureHeader(payload, STRIPE_SECRET, now);
      WebhookRequest delivery = WebhookRequest.builder()
          .header("Stripe-Signature", header).body(payload.getBytes(UTF_8)).build();
      assertEveryFlipRejected(verifier, delivery, List.of("Stripe-Signature"));

      WebhookRequest ours = signer.sign(WebhookRequest.builder().body(payload).build());
      assertThat(com.stripe.net.Webhook.Signature.verifyHeader(payload,
          ours.headers().first("Stripe-Signature"), STRIPE_SECRET, 300, Fixtures.CLOCK)).isTrue();
    }
  }

  @Test
  void stripeSecretRollWithTwoSignaturesInOneHeader() throws Exception {
    long now = Fixtures.NOW.getEpochSecond();
    String old = "whsec_old_secret_value";
    String payload = "{\"id\":\"evt_roll\"}";
    String oldSignature = com.stripe.net.Webhook.Signature.generateSignatureHeader(payload, old, now);
    String newSignature = com.stripe.net.Webhook.Signature.generateSignatureHeader(payload, STRIPE_SECRET, now);
    // Stripe sends every active secret's signature: t=…,v1=<new>,v1=<old>; spaces are tolerated.
    String header = newSignature + ", " + oldSignature.substring(oldSignature.indexOf("v1=")) + ",v0=deadbeef";
    WebhookRequest delivery = WebhookRequest.builder().header("Stripe-Signature", header).body(payload).build();

    for (String secret : List.of(old, STRIPE_SECRET)) {
      assertThat(WebhookVerifier.builder(Providers.STRIPE).secret(secret).clock(Fixtures.CLOCK).build()
          .verify(delivery).orElseThrow().eventId()).contains("evt_roll");
    }
  }

  @Test
  void svixAndStandardWebhooksSign() throws Exception {
    Clock systemClock = Clock.systemUTC();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS)
        .secret(Fixtures.STANDARD_SECRET).clock(systemClock).build();
    com.svix.Webhook svix = new com.svix.Webhook(Fixtures.STANDARD_SECRET);
    com.standardwebhooks.Webhook standard = new com.standardwebhooks.Webhook(Fixtures.STANDARD_SECRET);
    List<String> payloads = payloads();
    for (int i = 0; i < payloads.size(); i++) {
      String payload = payloads.get(i);
      long now = Instant.now().getEpochSecond();
      String id = "msg_" + i;
      WebhookRequest fromSvix = WebhookRequest.builder()
          .header("svix-id", id).header("svix-timestamp", Long.toString(now))
          .header("svix-signature", svix.sign(id, now, payload)).body(payload).build();
      assertEveryFlipRejected(verifier, fromSvix, List.of("svix-id", "svix-timestamp", "svix-signature"));

      WebhookRequest fromStandard = WebhookRequest.builder()
          .header("webhook-id", id).header("webhook-timestamp", Long.toString(now))
          .header("webhook-signature", standard.sign(id, now, payload)).body(payload).build();
      assertEveryFlipRejected(verifier, fromStandard,
          List.of("webhook-id", "webhook-timestamp", "webhook-signature"));
      assertThat(verifier.verify(fromStandard).orElseThrow().eventId()).contains(id);
    }
  }

  @Test
  void svixAndStandardWebhooksVerifyWhatHookguardSigns() throws Exception {
    WebhookSigner signer = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS)
        .secret(Fixtures.STANDARD_SECRET).build();
    com.svix.Webhook svix = new com.svix.Webhook(Fixtures.STANDARD_SECRET);
    com.standardwebhooks.Webhook standard = new com.standardwebhooks.Webhook(Fixtures.STANDARD_SECRET);
    for (String payload : payloads()) {
      WebhookRequest signed = signer.sign(WebhookRequest.builder().body(payload).build());
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String name : signed.headers().names()) {
        headers.put(name, signed.headers().all(name));
      }
      standard.verify(payload, headers);
      svix.verify(payload, headers);
    }
  }

  /**
   * The senders built on Standard Webhooks, each in its one header family: svix signs for Clerk
   * and Resend ({@code svix-*}), standardwebhooks for OpenAI and Replicate ({@code webhook-*});
   * every flip of body or signed header is refused.
   */
  @Test
  void standardWebhooksSendersVerifyWhatTheSdksSign() throws Exception {
    com.svix.Webhook svix = new com.svix.Webhook(Fixtures.STANDARD_SECRET);
    com.standardwebhooks.Webhook standard = new com.standardwebhooks.Webhook(Fixtures.STANDARD_SECRET);
    Map<WebhookScheme, String> families = Map.of(Providers.CLERK, "svix", Providers.RESEND, "svix",
        Providers.OPENAI, "webhook", Providers.REPLICATE, "webhook");
    List<String> payloads = payloads().subList(0, 16);
    for (var entry : families.entrySet()) {
      String family = entry.getValue();
      WebhookVerifier verifier = WebhookVerifier.builder(entry.getKey())
          .secret(Fixtures.STANDARD_SECRET).build();
      for (int i = 0; i < payloads.size(); i++) {
        String payload = payloads.get(i);
        long now = Instant.now().getEpochSecond();
        String id = "msg_" + entry.getKey().id() + i;
        String signature = family.equals("svix") ? svix.sign(id, now, payload) : standard.sign(id, now, payload);
        WebhookRequest delivery = WebhookRequest.builder()
            .header(family + "-id", id).header(family + "-timestamp", Long.toString(now))
            .header(family + "-signature", signature).body(payload).build();
        assertEveryFlipRejected(verifier, delivery,
            List.of(family + "-id", family + "-timestamp", family + "-signature"));
        assertThat(verifier.verify(delivery).orElseThrow().eventId()).contains(id);
      }
    }
  }

  /** Resend's own SDK (resend-java's {@code Webhooks.verify}) and svix accept what Hookguard signs. */
  @Test
  void resendAndSvixVerifyWhatHookguardSignsForTheirSenders() throws Exception {
    com.resend.services.webhooks.Webhooks resend = new com.resend.services.webhooks.Webhooks("re_unused");
    com.svix.Webhook svix = new com.svix.Webhook(Fixtures.STANDARD_SECRET);
    com.standardwebhooks.Webhook standard = new com.standardwebhooks.Webhook(Fixtures.STANDARD_SECRET);
    for (WebhookScheme scheme : List.of(Providers.CLERK, Providers.RESEND, Providers.OPENAI, Providers.REPLICATE)) {
      WebhookSigner signer = WebhookSigner.builder(scheme).secret(Fixtures.STANDARD_SECRET).build();
      for (String payload : payloads().subList(0, 16)) {
        WebhookRequest signed = signer.sign(WebhookRequest.builder().body(payload).build());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : signed.headers().names()) {
          headers.put(name, signed.headers().all(name));
        }
        if (scheme == Providers.RESEND && !payload.isEmpty()) { // the SDK refuses an empty body
          resend.verify(com.resend.services.webhooks.model.VerifyWebhookOptions.builder()
              .payload(payload).secret(Fixtures.STANDARD_SECRET)
              .addHeader("svix-id", signed.headers().first("svix-id"))
              .addHeader("svix-timestamp", signed.headers().first("svix-timestamp"))
              .addHeader("svix-signature", signed.headers().first("svix-signature")).build());
        }
        if (scheme == Providers.CLERK || scheme == Providers.RESEND) {
          assertThat(signed.headers().first("webhook-signature")).isNull();
          svix.verify(payload, headers);
        } else {
          assertThat(signed.headers().first("svix-signature")).isNull();
          standard.verify(payload, headers);
        }
      }
    }
  }

  @Test
  void twilioRequestValidatorAcceptsHookguardSignatures() throws Exception {
    WebhookSigner signer = WebhookSigner.builder(Providers.TWILIO).secret("twilio-auth-token").build();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.TWILIO).secret("twilio-auth-token").build();
    com.twilio.security.RequestValidator validator = new com.twilio.security.RequestValidator("twilio-auth-token");
    Random random = new Random(7);
    for (String payload : payloads()) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("Body", payload);
      params.put("From", "+1415555" + random.nextInt(10000));
      params.put("MessageSid", "SM" + random.nextInt(1_000_000));
      StringBuilder form = new StringBuilder();
      params.forEach((name, value) -> form.append(form.length() == 0 ? "" : "&")
          .append(URLEncoder.encode(name, UTF_8)).append('=').append(URLEncoder.encode(value, UTF_8)));
      String url = "https://example.com/twilio/sms?tenant=" + random.nextInt(100);

      WebhookRequest formDelivery = signer.sign(WebhookRequest.builder().url(url)
          .header("Content-Type", "application/x-www-form-urlencoded").body(form.toString()).build());
      String formSignature = formDelivery.headers().first("X-Twilio-Signature");
      assertThat(validator.validate(url, params, formSignature)).isTrue();
      assertEveryFlipRejected(verifier, formDelivery, List.of("X-Twilio-Signature"),
          (original, flipped) -> decodedForm(original).equals(decodedForm(flipped)));

      WebhookRequest jsonDelivery = signer.sign(WebhookRequest.builder().url(url)
          .header("Content-Type", "application/json").body(payload).build());
      assertThat(validator.validate(jsonDelivery.url(), payload,
          jsonDelivery.headers().first("X-Twilio-Signature"))).isTrue();
      assertEveryFlipRejected(verifier, jsonDelivery, List.of("X-Twilio-Signature"));
    }
  }

  private static List<String> decodedForm(byte[] body) {
    List<String> pairs = new ArrayList<>();
    try {
      for (String pair : new String(body, UTF_8).split("&")) {
        pairs.add(java.net.URLDecoder.decode(pair.replaceFirst("=", "\u0000"), UTF_8));
      }
    } catch (IllegalArgumentException e) {
      return List.of("malformed");
    }
    pairs.sort(null);
    return pairs;
  }

  @Test
  void squareWebhooksHelperAcceptsHookguardSignatures() {
    String url = "https://example.com/square/events";
    WebhookSigner signer = WebhookSigner.builder(Providers.SQUARE).secret("square-signature-key").build();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.SQUARE).secret("square-signature-key").build();
    for (String payload : payloads()) {
      WebhookRequest signed = signer.sign(WebhookRequest.builder().url(url).body(payload).build());
      String signature = signed.headers().first("x-square-hmacsha256-signature");
      if (!payload.isEmpty()) { // the SDK refuses an empty body outright
        assertThat(com.squareup.square.utilities.WebhooksHelper.verifySignature(
            payload, signature, "square-signature-key", url)).isTrue();
      }
      assertEveryFlipRejected(verifier, signed, List.of("x-square-hmacsha256-signature"));
    }
  }

  @Test
  void sendgridEventWebhookAcceptsHookguardSignatures() throws Exception {
    WebhookSigner signer = WebhookSigner.builder(Providers.SENDGRID)
        .privateKey(Fixtures.EC.privateBase64()).clock(Fixtures.CLOCK).build();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.SENDGRID)
        .publicKey(Fixtures.EC.publicBase64()).clock(Fixtures.CLOCK).build();
    EventWebhook sendgrid = new EventWebhook();
    var publicKey = sendgrid.ConvertPublicKeyToECDSA(Fixtures.EC.publicBase64());
    for (String payload : payloads().subList(0, 12)) {
      WebhookRequest signed = signer.sign(WebhookRequest.builder().body(payload + "\r\n").build());
      assertThat(sendgrid.VerifySignature(publicKey, signed.body(),
          signed.headers().first("X-Twilio-Email-Event-Webhook-Signature"),
          signed.headers().first("X-Twilio-Email-Event-Webhook-Timestamp"))).isTrue();
      assertEveryFlipRejected(verifier, signed, List.of("X-Twilio-Email-Event-Webhook-Signature",
          "X-Twilio-Email-Event-Webhook-Timestamp"));
    }
  }

  // ---- Adyen: adyen-java-api-library's HMACValidator ----

  /**
   * One item as Adyen posts it, with {@code %SIG%} where its signature goes; random signed values.
   * No {@code eventDate}: the library parses it into a date, so a flipped date is a body the
   * library cannot read at all, which says nothing about signatures.
   */
  private static String adyenItem(Random random, int n) {
    String[] references = {"order-" + n, "", "a:b:c", "back\\\\slash", "caf\u00e9 \u2713", "quote\\\"d",
        "\\u00e9scaped", "\ud83d\ude80"};
    String[] codes = {"AUTHORISATION", "REFUND", "CAPTURE", "CHARGEBACK", "REPORT_AVAILABLE"};
    StringBuilder item = new StringBuilder("{\"additionalData\":{\"authCode\":\"" + random.nextInt(999_999)
        + "\",\"hmacSignature\":\"%SIG%\"}");
    if (random.nextBoolean()) {
      item.append(",\"amount\":{\"currency\":\"").append(random.nextBoolean() ? "EUR" : "JPY")
          .append("\",\"value\":").append(random.nextInt(1_000_000)).append('}');
    }
    item.append(",\"eventCode\":\"").append(codes[random.nextInt(codes.length)]).append('"')
        .append(",\"merchantAccountCode\":\"Merchant").append(random.nextInt(100)).append('"')
        .append(",\"merchantReference\":\"").append(references[random.nextInt(references.length)]).append('"');
    if (random.nextBoolean()) {
      item.append(",\"originalReference\":\"").append(1_000_000_000_000_000L + random.nextInt(1_000_000)).append('"');
    }
    return item.append(",\"pspReference\":\"").append(Long.toString(Math.abs(random.nextLong()) % 10_000_000_000_000_000L))
        .append("\",\"reason\":\"").append(references[random.nextInt(references.length)])
        .append("\",\"success\":\"").append(random.nextInt(4) == 0 ? "false" : "true").append("\"}").toString();
  }

  private static String adyenNotification(List<String> items) {
    StringBuilder body = new StringBuilder("{\"live\":\"false\",\"notificationItems\":[");
    for (int i = 0; i < items.size(); i++) {
      body.append(i == 0 ? "" : ",").append("{\"NotificationRequestItem\":").append(items.get(i)).append('}');
    }
    return body.append("]}").toString();
  }

  /** Whether Adyen's library parses the body and validates every item's signature. */
  private static boolean adyenSdkValidates(byte[] body, String key) {
    try {
      var notification = new com.adyen.notification.WebhookHandler()
          .handleNotificationJson(new String(body, UTF_8));
      var items = notification.getNotificationItems();
      if (items == null || items.isEmpty()) {
        return false;
      }
      for (var item : items) {
        if (!new com.adyen.util.HMACValidator().validateHMAC(item, key)) {
          return false;
        }
      }
      return true;
    } catch (Exception | Error e) {
      return false; // a body the library cannot read, or an item without a signature
    }
  }

  @Test
  void adyenLibrarySignsWhatHookguardVerifiesAndNeverRefusesWhatHookguardAccepts() throws Exception {
    String key = Fixtures.ADYEN_KEY;
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.ADYEN).secret(key).build();
    Random random = new Random(20261201);
    com.adyen.util.HMACValidator sdk = new com.adyen.util.HMACValidator();
    // Eight notifications of one to three items: every bit of each is flipped (some 50,000 verifications).
    for (int n = 0; n < 8; n++) {
      List<String> items = new ArrayList<>();
      for (int i = 0, count = 1 + (n % 3); i < count; i++) {
        String template = adyenItem(random, n);
        // The library computes the signature of the item as it parsed it.
        var parsed = new com.adyen.notification.WebhookHandler()
            .handleNotificationJson(adyenNotification(List.of(template))).getNotificationItems().get(0);
        items.add(template.replace("%SIG%", sdk.calculateHMAC(parsed, key)));
      }
      byte[] body = adyenNotification(items).getBytes(UTF_8);
      WebhookRequest delivery = WebhookRequest.builder().body(body).build();
      VerifiedWebhook verified = verifier.verify(delivery).orElseThrow();
      assertThat(verified.eventId()).isPresent();
      assertThat(adyenSdkValidates(body, key)).isTrue();

      // Every single-bit change Hookguard accepts is one the library accepts too (a change of
      // an unsigned field); none of a signed value or a signature is accepted.
      int accepted = 0;
      for (int bit = 0; bit < body.length * 8; bit++) {
        byte[] flipped = Fixtures.flipBit(body, bit);
        if (verifier.verify(delivery.toBuilder().body(flipped).build()).isVerified()) {
          accepted++;
          assertThat(adyenSdkValidates(flipped, key)).as("bit %d accepted by Hookguard: %s", bit, new String(flipped, UTF_8)).isTrue();
        }
      }
      assertThat(accepted).as("unsigned fields are not signed").isPositive();
    }
  }

  @Test
  void adyenLibraryValidatesWhatHookguardSigns() {
    WebhookSigner signer = WebhookSigner.builder(Providers.ADYEN).secret(Fixtures.ADYEN_KEY).build();
    Random random = new Random(20261202);
    for (int n = 0; n < 24; n++) {
      List<String> items = new ArrayList<>();
      for (int i = 0, count = 1 + (n % 4); i < count; i++) {
        items.add(adyenItem(random, n).replace("%SIG%", "not yet signed"));
      }
      WebhookRequest signed = signer.sign(WebhookRequest.builder().body(adyenNotification(items)).build());
      assertThat(adyenSdkValidates(signed.body(), Fixtures.ADYEN_KEY)).as(new String(signed.body(), UTF_8)).isTrue();
      assertThat(adyenSdkValidates(signed.body(), Fixtures.OTHER_ADYEN_KEY)).isFalse();
    }
    // A plain body is wrapped as one signed item, which the library validates too.
    for (String payload : payloads().subList(0, 12)) {
      WebhookRequest signed = signer.sign(WebhookRequest.builder().body(payload).build());
      assertThat(adyenSdkValidates(signed.body(), Fixtures.ADYEN_KEY)).isTrue();
    }
  }

  // ---- Braintree: braintree-java signs sample notifications, parses them, answers challenges ----

  private static final String BT_PUBLIC = "oracle_public_key";
  private static final String BT_PRIVATE = "oracle_private_key_0123456789";

  private static com.braintreegateway.BraintreeGateway braintreeGateway() {
    return new com.braintreegateway.BraintreeGateway(com.braintreegateway.Environment.SANDBOX,
        "oracle_merchant", BT_PUBLIC, BT_PRIVATE);
  }

  private static WebhookRequest braintreeForm(String signature, String payload) {
    return WebhookRequest.builder().url("https://hooks.example.com/braintree")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("bt_signature=" + URLEncoder.encode(signature, UTF_8) + "&bt_payload=" + URLEncoder.encode(payload, UTF_8))
        .build();
  }

  /** Whether two form bodies decode to the same fields (a %-escape's hex case is not a change). */
  private static boolean sameFields(byte[] a, byte[] b) {
    try {
      return io.hookguard.internal.FormEncoding.decode(new String(a, UTF_8), UTF_8)
          .equals(io.hookguard.internal.FormEncoding.decode(new String(b, UTF_8), UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Test
  void braintreeJavaSignsSampleNotificationsThatHookguardVerifies() {
    com.braintreegateway.BraintreeGateway gateway = braintreeGateway();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.BRAINTREE).secret(BT_PUBLIC + ":" + BT_PRIVATE).build();
    WebhookVerifier otherKey = WebhookVerifier.builder(Providers.BRAINTREE).secret(BT_PUBLIC + ":another-private").build();
    com.braintreegateway.WebhookNotification.Kind[] kinds = {
        com.braintreegateway.WebhookNotification.Kind.SUBSCRIPTION_WENT_PAST_DUE,
        com.braintreegateway.WebhookNotification.Kind.DISPUTE_OPENED,
        com.braintreegateway.WebhookNotification.Kind.TRANSACTION_SETTLED,
        com.braintreegateway.WebhookNotification.Kind.CHECK};
    for (com.braintreegateway.WebhookNotification.Kind kind : kinds) {
      Map<String, String> sample = gateway.webhookTesting().sampleNotification(kind, "sub_" + kind.ordinal());
      WebhookRequest form = braintreeForm(sample.get("bt_signature"), sample.get("bt_payload"));
      VerificationResult result = verifier.verify(form);
      assertThat(result.isVerified()).as(kind + ": " + result).isTrue();
      assertThat(result.orElseThrow().eventType()).contains(kind.toString());
      assertThat(result.orElseThrow().eventId()).isEmpty();
      assertThat(otherKey.verify(form).isVerified()).isFalse();
      assertEveryFlipRejected(verifier, form, List.of(), SdkOracleTest::sameFields);
    }
  }

  @Test
  void braintreeJavaParsesWhatHookguardSigns() {
    com.braintreegateway.BraintreeGateway gateway = braintreeGateway();
    WebhookSigner signer = WebhookSigner.builder(Providers.BRAINTREE).secret(BT_PUBLIC + ":" + BT_PRIVATE).build();
    String xml = new String(java.util.Base64.getMimeDecoder().decode(gateway.webhookTesting().sampleNotification(
        com.braintreegateway.WebhookNotification.Kind.SUBSCRIPTION_CANCELED, "sub_42").get("bt_payload")), UTF_8);
    WebhookRequest signed = signer.sign(WebhookRequest.builder().url("https://hooks.example.com/braintree")
        .body(xml).build());
    Map<String, String> fields = new LinkedHashMap<>();
    io.hookguard.internal.FormEncoding.decode(new String(signed.body(), UTF_8), UTF_8)
        .forEach(pair -> fields.put(pair.getKey(), pair.getValue()));
    com.braintreegateway.WebhookNotification parsed =
        gateway.webhookNotification().parse(fields.get("bt_signature"), fields.get("bt_payload"));
    assertThat(parsed.getKind()).isEqualTo(com.braintreegateway.WebhookNotification.Kind.SUBSCRIPTION_CANCELED);
    assertThat(parsed.getSubscription().getId()).isEqualTo("sub_42");
  }

  /** Both the payload as signed and the payload with its final line break stripped verify, as in the SDK. */
  @Test
  void aBraintreePayloadVerifiesWithOrWithoutItsFinalLineBreak() {
    WebhookSigner signer = WebhookSigner.builder(Providers.BRAINTREE).secret(BT_PUBLIC + ":" + BT_PRIVATE).build();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.BRAINTREE).secret(BT_PUBLIC + ":" + BT_PRIVATE).build();
    WebhookRequest signed = signer.sign(WebhookRequest.builder().body("<notification><kind>check</kind><subject><check type=\"boolean\">true</check></subject></notification>").build());
    Map<String, String> fields = new LinkedHashMap<>();
    io.hookguard.internal.FormEncoding.decode(new String(signed.body(), UTF_8), UTF_8)
        .forEach(pair -> fields.put(pair.getKey(), pair.getValue()));
    String payload = fields.get("bt_payload");
    assertThat(payload).endsWith("\n");
    WebhookRequest stripped = braintreeForm(fields.get("bt_signature"), payload.substring(0, payload.length() - 1));
    assertThat(verifier.verify(stripped).isVerified()).isTrue();
    assertThat(braintreeGateway().webhookNotification().parse(fields.get("bt_signature"),
        payload.substring(0, payload.length() - 1)).getKind())
        .isEqualTo(com.braintreegateway.WebhookNotification.Kind.CHECK);
    assertThat(Providers.BRAINTREE.replayContent(stripped)).as("one delivery, one replay key")
        .isEqualTo(Providers.BRAINTREE.replayContent(signed));
    WebhookRequest twoBreaks = braintreeForm(fields.get("bt_signature"), payload + "\n");
    assertThat(verifier.verify(twoBreaks).isVerified()).as("only one line break is forgiven").isFalse();
  }

  @Test
  void braintreeJavaAnswersEveryChallengeAsHookguardDoes() {
    com.braintreegateway.BraintreeGateway gateway = braintreeGateway();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.BRAINTREE).secret(BT_PUBLIC + ":" + BT_PRIVATE).build();
    Random random = new Random(17);
    for (int i = 0; i < 50; i++) {
      StringBuilder challenge = new StringBuilder();
      for (int j = 0, length = 20 + random.nextInt(13); j < length; j++) {
        challenge.append(Character.forDigit(random.nextInt(16), 16));
      }
      WebhookRequest get = WebhookRequest.builder().method("GET")
          .url("https://hooks.example.com/braintree?bt_challenge=" + challenge).build();
      HandshakeReply reply = verifier.answerHandshake(get).orElseThrow();
      assertThat(new String(reply.body(), UTF_8)).isEqualTo(gateway.webhookNotification().verify(challenge.toString()));
    }
  }
}
