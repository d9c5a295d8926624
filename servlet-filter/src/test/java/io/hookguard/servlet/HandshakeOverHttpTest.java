package io.hookguard.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.delivery.WebhookEndpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every built-in handshake over real HTTP through the filter in Tomcat and Jetty: each sender gets
 * the exact answer it expects, no handshake reaches the servlet, and requests that only resemble
 * a handshake are refused by verification.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class HandshakeOverHttpTest {
  private static final String SECRET = "handshake-over-http";
  private static final String VERIFY_TOKEN = "meta-token-over-http";

  @Parameter
  Container container;

  private static RecordingServlet app;
  private static TestServer server;
  private static final List<DeliveryAudit> audits = new CopyOnWriteArrayList<>();

  @BeforeParameterizedClassInvocation
  static void start(Container container) {
    app = new RecordingServlet();
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint("/hooks/meta", WebhookEndpoint.builder("meta",
            WebhookVerifier.builder(Providers.META).secret(SECRET).verifyToken(VERIFY_TOKEN).build()).dedup(dedup).build())
        .endpoint("/hooks/braintree", WebhookEndpoint.builder("braintree",
            WebhookVerifier.builder(Providers.BRAINTREE).secret("integration_public_key:integration_private_key")
                .build()).dedup(dedup).build())
        .endpoint("/hooks/mandrill", WebhookEndpoint.builder("mandrill",
            WebhookVerifier.builder(Providers.MANDRILL).secret(SECRET).build()).dedup(dedup).build())
        .endpoint("/hooks/woo", WebhookEndpoint.builder("woo",
            WebhookVerifier.builder(Providers.WOOCOMMERCE).secret(SECRET).build()).dedup(dedup).build())
        .endpoint("/hooks/slack", WebhookEndpoint.builder("slack",
            WebhookVerifier.builder(Providers.SLACK).secret(SECRET).build()).dedup(dedup).build())
        .endpoint("/hooks/zoom", WebhookEndpoint.builder("zoom",
            WebhookVerifier.builder(Providers.ZOOM).secret(SECRET).build()).dedup(dedup).build())
        .endpoint("/hooks/stripe", WebhookEndpoint.builder("stripe",
            WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build()).dedup(dedup).build())
        .endpoint("/hooks/sns", WebhookEndpoint.builder("sns",
            WebhookVerifier.builder(Providers.AWS_SNS).publicKey(SNS_TOPIC).remoteDocuments(SNS_DOCUMENTS).build())
            .dedup(dedup).build())
        .audit(audits::add)
        .build();
    server = container.start(filter, Map.of("/hooks/*", app));
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    server.close();
  }

  // AWS SNS: the tests' certificate (core's test resources), served with SNS's confirmation endpoint, no network.
  private static final String SNS_TOPIC = "arn:aws:sns:us-east-1:123456789012:hookguard-test";
  private static final String SNS_CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hookguard-test.pem";
  private static final List<String> SNS_FETCHED = new CopyOnWriteArrayList<>();
  private static final io.hookguard.RemoteDocuments SNS_DOCUMENTS = io.hookguard.RemoteDocuments.builder()
      .fetcher((url, maxBytes) -> {
        SNS_FETCHED.add(url.toString());
        if (url.toString().equals(SNS_CERT_URL)) {
          return resource("/io/hookguard/certs/sns-test.pem").getBytes(UTF_8);
        }
        if (url.getRawQuery() != null && url.getRawQuery().startsWith("Action=ConfirmSubscription&")) {
          return "<ConfirmSubscriptionResponse/>".getBytes(UTF_8);
        }
        throw new java.io.FileNotFoundException(url.toString());
      }).build();

  private static String resource(String name) {
    try (java.io.InputStream in = HandshakeOverHttpTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private int before;

  @BeforeEach
  void countServletRuns() {
    before = app.requests();
    audits.clear();
  }

  private static HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body,
      String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(20))
        .method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return server.send(request.build());
  }

  private static HttpResponse<String> get(String path) {
    return send("GET", path, HttpRequest.BodyPublishers.noBody());
  }

  private static WebhookRequest signedJson(WebhookSigner signer, String path, String json) {
    return signer.sign(WebhookRequest.builder().url(server.url(path))
        .header("Content-Type", "application/json").body(json).build());
  }

  private void assertNeverReachedTheServlet() {
    assertThat(app.requests()).as("no handshake reaches the application").isEqualTo(before);
  }

  private static void assertHandshakeAnswer(HttpResponse<String> response, String contentType, String body) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    if (contentType != null) {
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type.replace(" ", "").toLowerCase(java.util.Locale.ROOT)).startsWith(contentType));
    }
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void metasSubscriptionCheckIsAnsweredAndAWrongTokenIsRefused() {
    assertHandshakeAnswer(get("/hooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + VERIFY_TOKEN),
        "text/plain", "1158201444");

    HttpResponse<String> wrong = get("/hooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("urn:hookguard:problem:handshake-refused").doesNotContain("1158201444");

    HttpResponse<String> withBody = send("GET",
        "/hooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + VERIFY_TOKEN,
        HttpRequest.BodyPublishers.ofString("{\"object\":\"page\"}"), "Content-Type", "application/json");
    assertThat(withBody.statusCode()).as("a handshake-shaped request with a body is a delivery, unsigned")
        .isEqualTo(400);
    assertThat(withBody.body()).doesNotContain("1158201444");
    assertNeverReachedTheServlet();
    assertThat(audits).extracting(DeliveryAudit::outcome).containsExactly(DeliveryAudit.Outcome.HANDSHAKE,
        DeliveryAudit.Outcome.REJECTED, DeliveryAudit.Outcome.REJECTED);
  }

  @Test
  void braintreesChallengeIsAnswered() {
    assertHandshakeAnswer(get("/hooks/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53"), "text/plain",
        "integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4");
    assertThat(get("/hooks/braintree?bt_challenge=NOT-HEX").statusCode()).isEqualTo(400);
    assertNeverReachedTheServlet();
  }

  @Test
  void mandrillsHeadAndWooCommercesPingGetTheir200() {
    HttpResponse<String> head = send("HEAD", "/hooks/mandrill", HttpRequest.BodyPublishers.noBody());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(send("HEAD", "/hooks/stripe", HttpRequest.BodyPublishers.noBody()).statusCode())
        .as("a HEAD where the scheme has no such handshake").isEqualTo(400);

    HttpResponse<String> ping = send("POST", "/hooks/woo", HttpRequest.BodyPublishers.ofString("webhook_id=12"),
        "Content-Type", "application/x-www-form-urlencoded", "User-Agent", "WooCommerce/9.0 Hookshot (WordPress/6.6)");
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEmpty();
    assertThat(send("POST", "/hooks/woo", HttpRequest.BodyPublishers.ofString("webhook_id=12&status=paid"),
        "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
    assertNeverReachedTheServlet();
  }

  @Test
  void slacksSignedUrlVerificationIsAnsweredAndAForgedOneIsNot() {
    WebhookSigner slack = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
    String body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
        + "\"type\":\"url_verification\"}";
    assertHandshakeAnswer(server.send(TestServer.post(signedJson(slack, "/hooks/slack", body)).build()),
        "application/json", "{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");

    WebhookSigner forger = WebhookSigner.builder(Providers.SLACK).secret("guessed").build();
    HttpResponse<String> forged = server.send(TestServer.post(signedJson(forger, "/hooks/slack", body)).build());
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).doesNotContain("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    assertNeverReachedTheServlet();

    // An ordinary signed event still reaches the application.
    HttpResponse<String> event = server.send(TestServer.post(signedJson(slack, "/hooks/slack",
        "{\"event_id\":\"Ev-" + container + "\",\"type\":\"event_callback\"}")).build());
    assertThat(event.statusCode()).isEqualTo(200);
    assertThat(app.requests()).isEqualTo(before + 1);
  }

  @Test
  void snsSubscriptionConfirmationIsConfirmedAndAForgedOneConfirmsNothing() {
    WebhookSigner sns = WebhookSigner.builder(Providers.AWS_SNS)
        .privateKey(resource("/io/hookguard/certs/sns-test.key")).build();
    String token = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92-" + container;
    String subscribeUrl = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + SNS_TOPIC
        + "&Token=" + token;
    String body = "{\"Type\":\"SubscriptionConfirmation\",\"MessageId\":\"165545c9-2a5c-472c-8df2-7ff2be2b3b1b\","
        + "\"Token\":\"" + token + "\",\"TopicArn\":\"" + SNS_TOPIC + "\",\"Message\":\"You have chosen to subscribe.\","
        + "\"SubscribeURL\":\"" + subscribeUrl + "\"}";
    SNS_FETCHED.clear();
    WebhookRequest signed = sns.sign(WebhookRequest.builder().url(server.url("/hooks/sns"))
        .header("Content-Type", "text/plain; charset=UTF-8").body(body).build());
    assertHandshakeAnswer(server.send(TestServer.post(signed).build()), null, "");
    // The certificate is fetched on the first container's run only: it is cached.
    assertThat(SNS_FETCHED).containsOnlyOnce(subscribeUrl).endsWith(subscribeUrl)
        .isSubsetOf(SNS_CERT_URL, subscribeUrl);

    SNS_FETCHED.clear();
    WebhookRequest forged = signed.toBuilder()
        .body(new String(signed.body(), UTF_8).replace("You have chosen", "You have not chosen")).build();
    HttpResponse<String> refused = server.send(TestServer.post(forged).build());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(SNS_FETCHED).doesNotContain(subscribeUrl);
    assertNeverReachedTheServlet();
  }

  @Test
  void zoomsSignedUrlValidationGetsItsEncryptedToken() throws Exception {
    WebhookSigner zoom = WebhookSigner.builder(Providers.ZOOM).secret(SECRET).build();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
    String expected = HexFormat.of().formatHex(mac.doFinal("qgg8vlvZRS6UYooatFL8Aw".getBytes(UTF_8)));
    assertHandshakeAnswer(server.send(TestServer.post(signedJson(zoom, "/hooks/zoom",
            "{\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event_ts\":1654503849680,"
                + "\"event\":\"endpoint.url_validation\"}")).build()),
        "application/json", "{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\",\"encryptedToken\":\"" + expected + "\"}");
    assertNeverReachedTheServlet();
  }
}
