package io.hookguard.handshake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.test.TestKeys;
import io.hookguard.test.TestWebhook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The handshakes every adapter answers the same way, over real HTTP to a real Boot app; run on
 * Spring MVC ({@link MvcHandshakeTest}) and WebFlux ({@link WebFluxHandshakeTest}). AWS SNS's
 * confirmations are confirmed through the app's {@code RemoteDocuments} ({@link HandshakeApplication#SNS}).
 */
abstract class HandshakeContract {
  static final String SECRET = "starter-handshake-secret";
  static final String VERIFY_TOKEN = "starter-meta-token";
  private static final String[] PROPERTIES = {
      "hookguard.endpoints.meta.provider=meta", "hookguard.endpoints.meta.secrets=" + SECRET,
      "hookguard.endpoints.meta.verify-tokens=" + VERIFY_TOKEN,
      "hookguard.endpoints.braintree.provider=braintree",
      "hookguard.endpoints.braintree.secrets=integration_public_key:integration_private_key",
      "hookguard.endpoints.mandrill.provider=mandrill", "hookguard.endpoints.mandrill.secrets=" + SECRET,
      "hookguard.endpoints.woo.provider=woocommerce", "hookguard.endpoints.woo.secrets=" + SECRET,
      "hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=" + SECRET,
      "hookguard.endpoints.zoom.provider=zoom", "hookguard.endpoints.zoom.secrets=" + SECRET,
      "hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=" + SECRET,
      "hookguard.endpoints.sns.provider=aws-sns", "hookguard.endpoints.sns.secrets=" + TestKeys.AWS_SNS_TOPIC};
  private static final WebhookSigner SNS = WebhookSigner.builder(Providers.AWS_SNS)
      .privateKey(TestKeys.AWS_SNS_PRIVATE_KEY).build();

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @DynamicPropertySource
  static void endpoints(DynamicPropertyRegistry registry) {
    for (String property : PROPERTIES) {
      int equals = property.indexOf('=');
      registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
    }
  }

  @Value("${local.server.port}")
  int port;

  @Autowired
  MeterRegistry meters;

  private int handledBefore;

  @BeforeEach
  void countHandlerRuns() {
    handledBefore = HandshakeApplication.HANDLED.get();
    HandshakeApplication.AUDITS.clear();
    HandshakeApplication.SNS.reset();
  }

  private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path) {
    return send("GET", path, HttpRequest.BodyPublishers.noBody());
  }

  private HttpResponse<String> post(WebhookRequest signed) {
    String[] headers = signed.headers().names().stream()
        .flatMap(name -> signed.headers().all(name).stream().flatMap(value -> java.util.stream.Stream.of(name, value)))
        .toArray(String[]::new);
    return send("POST", URI.create(signed.url()).getRawPath(), HttpRequest.BodyPublishers.ofByteArray(signed.body()),
        headers);
  }

  private WebhookRequest signedJson(WebhookSigner signer, String path, String json) {
    return signer.sign(WebhookRequest.builder().url("http://127.0.0.1:" + port + path)
        .header("Content-Type", "application/json").body(json).build());
  }

  private void assertNoHandlerRan() {
    assertThat(HandshakeApplication.HANDLED.get()).as("no handshake reaches a handler").isEqualTo(handledBefore);
  }

  private static void assertAnswered(HttpResponse<String> response, String contentType, String body) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    if (contentType != null) {
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type.replace(" ", "").toLowerCase(Locale.ROOT)).startsWith(contentType));
    }
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void metasSubscriptionCheckIsAnsweredAndAWrongTokenIsRefused() {
    double handshakesBefore = count("meta", "handshake");
    double refusedBefore = count("meta", "handshake-refused");
    assertAnswered(get("/hooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + VERIFY_TOKEN),
        "text/plain", "1158201444");
    HttpResponse<String> wrong = get("/hooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=no");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("urn:hookguard:problem:handshake-refused").doesNotContain("1158201444");
    HttpResponse<String> nearMiss = get("/hooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token="
        + VERIFY_TOKEN + "&extra=1");
    assertThat(nearMiss.statusCode()).isEqualTo(400);
    assertNoHandlerRan();
    assertThat(HandshakeApplication.AUDITS).extracting(DeliveryAudit::outcome).containsExactly(
        DeliveryAudit.Outcome.HANDSHAKE, DeliveryAudit.Outcome.REJECTED, DeliveryAudit.Outcome.REJECTED);
    assertThat(count("meta", "handshake")).as("metrics: a distinct outcome").isEqualTo(handshakesBefore + 1);
    assertThat(count("meta", "handshake-refused")).isEqualTo(refusedBefore + 1);
  }

  private double count(String endpoint, String outcome) {
    var counter = meters.find("hookguard.deliveries").tag("endpoint", endpoint).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void braintreesChallengeIsAnswered() {
    assertAnswered(get("/hooks/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53"), "text/plain",
        "integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4");
    assertThat(get("/hooks/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53&more=1").statusCode()).isEqualTo(400);
    assertNoHandlerRan();
  }

  @Test
  void mandrillsHeadAndWooCommercesPingGetTheir200() {
    HttpResponse<String> head = send("HEAD", "/hooks/mandrill", HttpRequest.BodyPublishers.noBody());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(send("HEAD", "/hooks/stripe", HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(400);
    assertThat(get("/hooks/stripe?hub.mode=subscribe&hub.challenge=1&hub.verify_token=" + VERIFY_TOKEN).statusCode())
        .as("a handshake where the scheme has none").isEqualTo(400);
    HttpResponse<String> ping = send("POST", "/hooks/woo", HttpRequest.BodyPublishers.ofString("webhook_id=3"),
        "Content-Type", "application/x-www-form-urlencoded");
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEmpty();
    assertThat(send("POST", "/hooks/woo", HttpRequest.BodyPublishers.ofString("webhook_id=3&x=1"),
        "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
    assertNoHandlerRan();
  }

  @Test
  void slacksSignedUrlVerificationIsAnsweredAndAForgedOneIsNot() {
    WebhookSigner slack = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
    String body = "{\"type\":\"url_verification\",\"token\":\"t\",\"challenge\":\"ch-starter\"}";
    assertAnswered(post(signedJson(slack, "/hooks/slack", body)), "application/json", "{\"challenge\":\"ch-starter\"}");
    HttpResponse<String> forged = post(signedJson(WebhookSigner.builder(Providers.SLACK).secret("guess").build(),
        "/hooks/slack", body));
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).doesNotContain("ch-starter");
    assertNoHandlerRan();
    assertThat(post(signedJson(slack, "/hooks/slack", "{\"event_id\":\"Ev-" + getClass().getSimpleName()
        + "\",\"type\":\"event_callback\"}")).statusCode()).isEqualTo(200);
    assertThat(HandshakeApplication.HANDLED.get()).isEqualTo(handledBefore + 1);
  }

  @Test
  void zoomsSignedUrlValidationGetsItsEncryptedToken() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal("qgg8vlvZRS6UYooatFL8Aw".getBytes(UTF_8)));
    assertAnswered(post(signedJson(WebhookSigner.builder(Providers.ZOOM).secret(SECRET).build(), "/hooks/zoom",
            "{\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event\":\"endpoint.url_validation\"}")),
        "application/json", "{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\",\"encryptedToken\":\"" + expected + "\"}");
    assertNoHandlerRan();
  }

  /** SNS's confirmation URL for the test topic, as SNS sends it. */
  private static String subscribeUrl(String host, String token) {
    return "https://" + host + "/?Action=ConfirmSubscription&TopicArn=" + TestKeys.AWS_SNS_TOPIC + "&Token=" + token;
  }

  /** A confirmation message of the test topic as SNS posts it (text/plain), unsigned. */
  private WebhookRequest snsMessage(String type, String token, String subscribeUrl) {
    String body = "{\"Type\":\"" + type + "\",\"MessageId\":\"" + UUID.randomUUID() + "\",\"Token\":\""
        + token + "\",\"TopicArn\":\"" + TestKeys.AWS_SNS_TOPIC + "\",\"Message\":\"You have chosen to subscribe.\","
        + "\"SubscribeURL\":\"" + subscribeUrl + "\"}";
    return WebhookRequest.builder().url("http://127.0.0.1:" + port + "/hooks/sns")
        .header("Content-Type", "text/plain; charset=UTF-8").body(body).build();
  }

  private static String snsToken(String test) {
    return "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92-" + test;
  }

  @Test
  void snsSubscriptionConfirmationIsConfirmedOnceAndAnswered() {
    String subscribeUrl = subscribeUrl("sns.us-east-1.amazonaws.com", snsToken("confirmed"));
    assertAnswered(post(SNS.sign(snsMessage("SubscriptionConfirmation", snsToken("confirmed"), subscribeUrl))), null, "");
    assertThat(HandshakeApplication.SNS.fetched).as("the SubscribeURL, GET once").containsExactly(URI.create(subscribeUrl));
    assertNoHandlerRan();
    assertThat(HandshakeApplication.AUDITS).extracting(DeliveryAudit::outcome)
        .containsExactly(DeliveryAudit.Outcome.HANDSHAKE);
  }

  @Test
  void snsUnsubscribeConfirmationIsAnsweredAndFetchesNothing() {
    String token = snsToken("unsubscribed");
    assertAnswered(post(SNS.sign(snsMessage("UnsubscribeConfirmation", token,
        subscribeUrl("sns.us-east-1.amazonaws.com", token)))), null, "");
    assertThat(HandshakeApplication.SNS.fetched).as("not resubscribed").isEmpty();
    assertNoHandlerRan();
  }

  @Test
  void snsConfirmationToAnotherHostIsRefusedAndFetchesNothing() {
    String token = snsToken("elsewhere");
    HttpResponse<String> refused = post(SNS.sign(snsMessage("SubscriptionConfirmation", token,
        subscribeUrl("sns.us-east-1.attacker.example", token))));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("urn:hookguard:problem:handshake-refused");
    assertThat(HandshakeApplication.SNS.fetched).isEmpty();
    assertNoHandlerRan();
  }

  @Test
  void snsUnsignedOrTamperedConfirmationIsRefusedAndFetchesNothing() {
    String token = snsToken("forged");
    WebhookRequest unsigned = snsMessage("SubscriptionConfirmation", token,
        subscribeUrl("sns.us-east-1.amazonaws.com", token));
    // Without SNS's signature fields it is not an SNS message at all: unreadable, 400.
    assertThat(post(unsigned).statusCode()).isEqualTo(400);
    WebhookSigner anotherKey = WebhookSigner.builder(Providers.AWS_SNS).privateKey(TestKeys.TRAVIS_PRIVATE_KEY).build();
    assertThat(post(anotherKey.sign(unsigned)).statusCode()).as("signed, not under SNS's certificate").isEqualTo(401);
    WebhookRequest signed = SNS.sign(unsigned);
    WebhookRequest tampered = signed.toBuilder()
        .body(new String(signed.body(), UTF_8).replace("You have chosen", "You have not chosen")).build();
    assertThat(post(tampered).statusCode()).isEqualTo(401);
    assertThat(HandshakeApplication.SNS.fetched).isEmpty();
    assertNoHandlerRan();
  }

  @Test
  void snsConfirmationWhileSnsIsUnreachableIsKeyUnavailable() {
    HandshakeApplication.SNS.down = true;
    String subscribeUrl = subscribeUrl("sns.us-east-1.amazonaws.com", snsToken("unreachable"));
    HttpResponse<String> unavailable = post(SNS.sign(snsMessage("SubscriptionConfirmation", snsToken("unreachable"),
        subscribeUrl)));
    assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
    assertThat(unavailable.body()).contains("urn:hookguard:problem:key-unavailable");
    assertThat(HandshakeApplication.SNS.fetched).containsExactly(URI.create(subscribeUrl));
    assertNoHandlerRan();
  }

  @Test
  void snsNotificationRunsTheHandlerOnce() throws Exception {
    HttpResponse<String> delivered = CLIENT.send(TestWebhook.of(Providers.AWS_SNS)
        .httpRequest(URI.create("http://127.0.0.1:" + port + "/hooks/sns")), HttpResponse.BodyHandlers.ofString());
    assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
    assertThat(delivered.body()).isEqualTo("handled aws-sns");
    assertThat(HandshakeApplication.HANDLED.get()).isEqualTo(handledBefore + 1);
    assertThat(HandshakeApplication.SNS.fetched).as("only the certificate").isEmpty();
  }
}
