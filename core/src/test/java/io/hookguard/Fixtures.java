package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Keys, clocks and sample deliveries for every built-in scheme. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String URL = "https://hooks.example.com/webhooks/in?tenant=a";

  static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String OTHER_STANDARD_SECRET = "whsec_" + Base64.getEncoder().encodeToString("another-key-of-32-bytes-length!!".getBytes(UTF_8));

  static final Ed25519Keys ED25519 = ed25519();
  static final Ed25519Keys OTHER_ED25519 = ed25519();
  static final Base64KeyPair EC = ecP256();
  static final Base64KeyPair OTHER_EC = ecP256();
  static final Base64KeyPair RSA = rsa();
  static final Base64KeyPair OTHER_RSA = rsa();
  /** Adyen HMAC keys are 32 bytes in hex, as the Customer Area shows them (upper case). */
  static final String ADYEN_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
  static final String OTHER_ADYEN_KEY = "9064450A8892A093D9E97EFCC9639DE31B74F3A7803135555A3C96F5A57915D6";

  /** Plaid's key ids are UUIDs; the key is an EC P-256 pair ({@code EC}), given as {@code kid:base64}. */
  static final String PLAID_KID = "bfbd5111-8e33-4643-8ced-b2e642a72f3c";
  /** Google's key ids are hex digests; the key is an RSA pair ({@code RSA}). */
  static final String GOOGLE_KID = "0d8a67399e7882acae7d7f68b2280256a796a582";
  static final String GOOGLE_AUDIENCE = "https://hooks.example.com/webhooks/pubsub";
  static final String GOOGLE_EMAIL = "push-invoker@demo-project.iam.gserviceaccount.com";
  /** Google ID tokens need the endpoint's audience, so the scheme is a factory's, not in {@code Providers.all()}. */
  static final WebhookScheme GOOGLE = Providers.googleIdToken(GOOGLE_AUDIENCE, GOOGLE_EMAIL);

  record Ed25519Keys(byte[] publicKey, byte[] seed) {
    String publicHex() {
      return HexFormat.of().formatHex(publicKey);
    }

    String seedHex() {
      return HexFormat.of().formatHex(seed);
    }

    String publicBase64() {
      return Base64.getEncoder().encodeToString(publicKey);
    }

    String seedBase64() {
      return Base64.getEncoder().encodeToString(seed);
    }
  }

  record Base64KeyPair(String publicBase64, String privateBase64) {}

  /** How to key a verifier and a signer for one scheme, plus a key that must not verify. */
  record Keyed(WebhookScheme scheme, Consumer<WebhookVerifier.Builder> verifierKey,
      Consumer<WebhookSigner.Builder> signerKey, Consumer<WebhookVerifier.Builder> wrongKey) {

    WebhookVerifier verifier() {
      WebhookVerifier.Builder builder = WebhookVerifier.builder(scheme).clock(CLOCK);
      verifierKey.accept(builder);
      return builder.build();
    }

    WebhookVerifier wrongVerifier() {
      WebhookVerifier.Builder builder = WebhookVerifier.builder(scheme).clock(CLOCK);
      wrongKey.accept(builder);
      return builder.build();
    }

    WebhookSigner signer() {
      WebhookSigner.Builder builder = WebhookSigner.builder(scheme).clock(CLOCK);
      signerKey.accept(builder);
      return builder.build();
    }

    WebhookRequest signedSample() {
      return signer().sign(sampleRequest());
    }

    @Override
    public String toString() {
      return scheme.id();
    }
  }

  static Keyed secret(WebhookScheme scheme, String secret, String wrong) {
    return new Keyed(scheme, b -> b.secret(secret), b -> b.secret(secret), b -> b.secret(wrong));
  }

  static Stream<Keyed> allSchemes() {
    List<Keyed> keyed = Stream.concat(Providers.all().stream(), Stream.of(GOOGLE))
        .map(Fixtures::keyed).toList();
    return keyed.stream();
  }

  /** A scheme of {@link #allSchemes()} by id: the built-ins and {@link #GOOGLE}. */
  static WebhookScheme scheme(String id) {
    return id.equals(GOOGLE.id()) ? GOOGLE : Providers.byId(id).orElseThrow();
  }

  static Keyed keyed(WebhookScheme scheme) {
    return switch (scheme.id()) {
      case "standard-webhooks", "clerk", "resend", "openai", "replicate" ->
          secret(scheme, STANDARD_SECRET, OTHER_STANDARD_SECRET);
      case "discord" -> new Keyed(scheme, b -> b.publicKey(ED25519.publicHex()),
          b -> b.privateKey(ED25519.seedHex()), b -> b.publicKey(OTHER_ED25519.publicHex()));
      case "basic-auth" -> secret(scheme, keyText(scheme), "hook-user:wrong-password");
      case "telnyx" -> new Keyed(scheme, b -> b.publicKey(ED25519.publicBase64()),
          b -> b.privateKey(ED25519.seedBase64()), b -> b.publicKey(OTHER_ED25519.publicBase64()));
      case "travis-ci" -> new Keyed(scheme, b -> b.publicKey(RSA.publicBase64()),
          b -> b.privateKey(RSA.privateBase64()), b -> b.publicKey(OTHER_RSA.publicBase64()));
      case "sendgrid" -> new Keyed(scheme, b -> b.publicKey(EC.publicBase64()),
          b -> b.privateKey(EC.privateBase64()), b -> b.publicKey(OTHER_EC.publicBase64()));
      case "adyen" -> secret(scheme, ADYEN_KEY, OTHER_ADYEN_KEY);
      case "braintree" -> secret(scheme, keyText(scheme), "demo_public_key:wrong-private-key");
      case "plaid" -> new Keyed(scheme, b -> b.publicKey(keyText(scheme)),
          b -> b.privateKey(PLAID_KID + ":" + EC.privateBase64()),
          b -> b.publicKey(PLAID_KID + ":" + OTHER_EC.publicBase64()));
      case "google-id-token" -> new Keyed(scheme, b -> b.publicKey(keyText(scheme)),
          b -> b.privateKey(GOOGLE_KID + ":" + RSA.privateBase64()),
          b -> b.publicKey(GOOGLE_KID + ":" + OTHER_RSA.publicBase64()));
      case "aws-sns" -> new Keyed(scheme, b -> b.publicKey(SNS_TOPIC).remoteDocuments(DOCUMENTS),
          b -> b.privateKey(SNS_PRIVATE_KEY),
          b -> b.publicKey("arn:aws:sns:us-east-1:123456789012:another-topic").remoteDocuments(DOCUMENTS));
      case "paypal" -> new Keyed(scheme, b -> b.publicKey(PAYPAL_WEBHOOK_ID).remoteDocuments(DOCUMENTS),
          b -> b.privateKey(PAYPAL_WEBHOOK_ID + ":" + PAYPAL_PRIVATE_KEY),
          b -> b.publicKey("8PT597110X687430LKGECATA").remoteDocuments(DOCUMENTS));
      default -> secret(scheme, keyText(scheme), "wrong-secret-" + scheme.id());
    };
  }

  /**
   * The text a verifier of {@link #keyed(WebhookScheme)} is configured with (a secret or, for
   * Discord and SendGrid, a public key): what an application's configuration would hold.
   */
  static String keyText(WebhookScheme scheme) {
    return switch (scheme.id()) {
      case "standard-webhooks", "clerk", "resend", "openai", "replicate" -> STANDARD_SECRET;
      case "discord" -> ED25519.publicHex();
      case "sendgrid" -> EC.publicBase64();
      case "basic-auth" -> "hook-user:demo-password";
      case "telnyx" -> ED25519.publicBase64();
      case "travis-ci" -> RSA.publicBase64();
      case "adyen" -> ADYEN_KEY;
      case "braintree" -> "demo_public_key:demo-private-key";
      case "plaid" -> PLAID_KID + ":" + EC.publicBase64();
      case "google-id-token" -> GOOGLE_KID + ":" + RSA.publicBase64();
      case "aws-sns" -> SNS_TOPIC;
      case "paypal" -> PAYPAL_WEBHOOK_ID;
      default -> "demo-secret-" + scheme.id();
    };
  }

  /** The event id each scheme must read from {@link #sampleRequest()}; null where it has none. */
  static final Map<String, String> EXPECTED_EVENT_IDS = Map.ofEntries(
      Map.entry("standard-webhooks", "msg_fixed"), Map.entry("stripe", "evt_123"),
      Map.entry("github", "gh-delivery-1"), Map.entry("github-sha1", "gh-delivery-1"),
      Map.entry("slack", "evt_123"), Map.entry("shopify", "shop-event-1"),
      Map.entry("twilio", "tw-idem-1"), Map.entry("paddle", "evt_123"),
      Map.entry("square", "evt_123"), Map.entry("linear", "lin-delivery-1"),
      Map.entry("intercom", "evt_123"), Map.entry("mailgun", "evt_123"),
      Map.entry("discord", "evt_123"), Map.entry("twitch", "tw-msg-1"),
      Map.entry("gitlab", "gl-idem-1"), Map.entry("pagerduty", "evt_123"),
      Map.entry("typeform", "evt_123"), Map.entry("clerk", "msg_fixed_svix"),
      Map.entry("resend", "msg_fixed_svix"), Map.entry("openai", "msg_fixed"),
      Map.entry("replicate", "msg_fixed"), Map.entry("circleci", "evt_123"),
      Map.entry("woocommerce", "wc-delivery-1"), Map.entry("bitbucket", "bb-request-1"),
      Map.entry("gitea", "gitea-delivery-1"), Map.entry("forgejo", "forgejo-delivery-1"),
      Map.entry("vercel", "evt_123"), Map.entry("telegram", "123456789"),
      Map.entry("telnyx", "tx-event-1"),
      // Adyen's signer wraps a plain body as one AUTHORISATION item (see AdyenScheme.sign).
      Map.entry("adyen", "AUTHORISATION:" + AdyenScheme.pspReference(sampleJson().getBytes(UTF_8)) + ":true"),
      Map.entry("google-id-token", "ps-msg-1"),
      // The SNS signer wraps a plain body as a Notification whose MessageId is a UUID of the body.
      Map.entry("aws-sns", java.util.UUID.nameUUIDFromBytes(sampleJson().getBytes(UTF_8)).toString()),
      Map.entry("paypal", "evt_123"));

  /**
   * The id header each scheme signs, where {@link #sampleRequest()} already carries it (so that it
   * is not told from the headers the signer adds): the bad-input catalogue removes and repeats it.
   */
  static final Map<String, String> SIGNED_ID_HEADERS = Map.of(
      "standard-webhooks", "webhook-id", "twitch", "Twitch-Eventsub-Message-Id",
      "clerk", "svix-id", "resend", "svix-id", "openai", "webhook-id", "replicate", "webhook-id");

  static String sampleJson() {
    return "{\"id\":\"evt_123\",\"event_id\":\"evt_123\",\"type\":\"invoice.paid\","
        + "\"event\":{\"id\":\"evt_123\",\"event_type\":\"incident.triggered\"},"
        + "\"data\":{\"id\":\"tx-event-1\",\"event_type\":\"message.received\"},"
        + "\"webhookTimestamp\":" + NOW.toEpochMilli() + ",\"topic\":\"ping\","
        + "\"event_type\":\"form_response\",\"update_id\":123456789,\"message\":{\"messageId\":\"ps-msg-1\"},\"text\":\"caf\u00e9 \u2713 \\r\\n line\"}\r\n";
  }

  /** An unsigned JSON delivery carrying every header-borne id the schemes read. */
  static WebhookRequest sampleRequest() {
    return WebhookRequest.builder()
        .url(URL)
        .header("Content-Type", "application/json")
        .header("webhook-id", "msg_fixed")
        .header("svix-id", "msg_fixed_svix")
        .header("X-WC-Webhook-Delivery-ID", "wc-delivery-1")
        .header("X-Request-UUID", "bb-request-1")
        .header("X-Gitea-Delivery", "gitea-delivery-1")
        .header("X-Forgejo-Delivery", "forgejo-delivery-1")
        .header("X-GitHub-Delivery", "gh-delivery-1")
        .header("X-GitHub-Event", "push")
        .header("X-Shopify-Event-Id", "shop-event-1")
        .header("I-Twilio-Idempotency-Token", "tw-idem-1")
        .header("Linear-Delivery", "lin-delivery-1")
        .header("Idempotency-Key", "gl-idem-1")
        .header("Twitch-Eventsub-Message-Id", "tw-msg-1")
        .body(sampleJson().getBytes(UTF_8))
        .build();
  }

  /**
   * The signed delivery with one byte of what the provider authenticates changed: the body for
   * most; GitLab's token header and Mailgun's signed token, because those two senders do not sign
   * the body at all; Adyen's signed event code, because Adyen signs fields of the body, not the
   * body. For a {@link #sampleRequest()} signed by any scheme.
   */
  static WebhookRequest tampered(Keyed keyed, WebhookRequest signed) {
    String body = new String(signed.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
    switch (keyed.scheme().id()) {
      case "gitlab", "telegram", "basic-auth", "bearer-token" -> {
        // These senders sign nothing: what they authenticate is the credential header.
        String header = switch (keyed.scheme().id()) {
          case "gitlab" -> "X-Gitlab-Token";
          case "telegram" -> "X-Telegram-Bot-Api-Secret-Token";
          default -> "Authorization";
        };
        return signed.toBuilder().setHeader(header, signed.headers().first(header) + "x").build();
      }
      case "mailgun" -> {
        return signed.toBuilder().body(body.replace("\"token\":\"", "\"token\":\"0")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).build();
      }
      case "google-id-token" -> {
        // The token signs no body: what it authenticates is itself. Change one signature character.
        String token = signed.headers().first("Authorization");
        int at = token.lastIndexOf('.') + 10;
        char changed = token.charAt(at) == 'A' ? 'B' : 'A';
        return signed.toBuilder().setHeader("Authorization",
            token.substring(0, at) + changed + token.substring(at + 1)).build();
      }
      case "adyen" -> {
        // Adyen signs eight fields of each item, not the body: change one of them.
        return signed.toBuilder().body(body.replace("\"AUTHORISATION\"", "\"AUTHORISATIOM\"")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).build();
      }
      case "braintree" -> {
        // The signed payload is base64: one letter's case changed is still base64, another payload.
        byte[] tampered = java.util.Arrays.copyOf(signed.body(), signed.body().length);
        int at = body.indexOf("bt_payload=") + "bt_payload=".length() + 8;
        while (!Character.isLetter(tampered[at])) {
          at++;
        }
        tampered[at] ^= 0x20;
        return signed.toBuilder().body(tampered).build();
      }
      default -> {
        byte[] tampered = java.util.Arrays.copyOf(signed.body(), signed.body().length);
        tampered[body.indexOf("invoice.paid") + 8] ^= 0x01;
        return signed.toBuilder().body(tampered).build();
      }
    }
  }

  static WebhookRequest withBody(WebhookRequest request, byte[] body) {
    return request.toBuilder().body(body).build();
  }

  static WebhookRequest withHeader(WebhookRequest request, String name, String value) {
    return request.toBuilder().setHeader(name, value).build();
  }

  static WebhookRequest withoutHeader(WebhookRequest request, String name) {
    WebhookHeaders.Builder headers = WebhookHeaders.builder();
    for (String n : request.headers().names()) {
      if (!n.equalsIgnoreCase(name)) {
        request.headers().all(n).forEach(v -> headers.add(n, v));
      }
    }
    return request.toBuilder().headers(headers.build()).build();
  }

  static byte[] flipBit(byte[] bytes, int bit) {
    byte[] copy = Arrays.copyOf(bytes, bytes.length);
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  static String flipBit(String text, int bit) {
    char[] chars = text.toCharArray();
    chars[bit / 7] ^= (char) (1 << (bit % 7));
    return new String(chars);
  }

  private static Ed25519Keys ed25519() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      byte[] pkcs8 = pair.getPrivate().getEncoded();
      return new Ed25519Keys(Arrays.copyOfRange(spki, spki.length - 32, spki.length),
          Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 2048-bit RSA pair, base64 DER. */
  private static Base64KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return new Base64KeyPair(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
          Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Base64KeyPair ecP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new Base64KeyPair(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
          Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- Fetched certificates: made for the tests (resources/io/hookguard/certs), served without a network ----

  /** The tests' stand-in for SNS's signing certificate: CN=sns.amazonaws.com, valid 2020 to 2100; never AWS's. */
  static final String SNS_CERTIFICATE = resource("certs/sns-test.pem");
  /** Its private key, PKCS#8 PEM. */
  static final String SNS_PRIVATE_KEY = resource("certs/sns-test.key");
  /** The topic the SNS signer wraps plain bodies in, and the one the fixtures' SNS verifiers accept. */
  static final String SNS_TOPIC = AwsSnsScheme.DEFAULT_TOPIC;
  /** The tests' stand-in for PayPal's certificate: CN=messageverificationcerts.sandbox.paypal.com, 2020 to 2100. */
  static final String PAYPAL_CERTIFICATE = resource("certs/paypal-test.pem");
  static final String PAYPAL_PRIVATE_KEY = resource("certs/paypal-test.key");
  /** A webhook id of the form PayPal's dashboard shows. */
  static final String PAYPAL_WEBHOOK_ID = "1JE4291016473214C";
  /** What the fixtures' fetcher serves, by URL; any other URL does not exist. */
  static final Map<String, String> SERVED = Map.of(AwsSnsScheme.DEFAULT_CERT_URL, SNS_CERTIFICATE,
      PayPalScheme.DEFAULT_CERT_URL, PAYPAL_CERTIFICATE);
  /** The documents every fixture verifier of a fetching scheme uses: {@link #SERVED}, no network. */
  static final RemoteDocuments DOCUMENTS = RemoteDocuments.builder().fetcher((url, maxBytes) -> {
    String document = SERVED.get(url.toString());
    if (document == null) {
      throw new java.io.FileNotFoundException(url.toString());
    }
    return document.getBytes(UTF_8);
  }).build();

  private static String resource(String name) {
    try (java.io.InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Fixtures() {}
}
