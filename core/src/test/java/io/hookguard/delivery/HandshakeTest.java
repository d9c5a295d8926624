package io.hookguard.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.RejectionReason;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookScheme;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.inbox.InMemoryInboxStore;
import io.hookguard.inbox.Inbox;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Handshakes through the lifecycle, as every adapter gets them: the attacker's cases first (a
 * request that resembles a handshake, a forged signed one, a wrong token, a handshake where the
 * scheme has none), then the answers each sender expects.
 */
class HandshakeTest {
  private static final String SECRET = "handshake-secret";
  private static final String VERIFY_TOKEN = "meta-verify-token";
  private static final String BRAINTREE_KEYS = "integration_public_key:integration_private_key";

  private final List<DeliveryAudit> audits = new CopyOnWriteArrayList<>();
  private final DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().listener(audits::add).build();
  private final CaffeineDedupStore store = CaffeineDedupStore.create();
  private final DedupEngine dedup = DedupEngine.builder(store).build();

  private final WebhookEndpoint meta = endpoint("meta",
      WebhookVerifier.builder(Providers.META).secret(SECRET).verifyToken(VERIFY_TOKEN).build());
  private final WebhookEndpoint metaWithoutToken = endpoint("meta-no-token",
      WebhookVerifier.builder(Providers.META).secret(SECRET).build());
  private final WebhookEndpoint braintree = endpoint("braintree",
      WebhookVerifier.builder(Providers.BRAINTREE).secret(BRAINTREE_KEYS).build());
  private final WebhookEndpoint mandrill = endpoint("mandrill",
      WebhookVerifier.builder(Providers.MANDRILL).secret(SECRET).build());
  private final WebhookEndpoint woo = endpoint("woo",
      WebhookVerifier.builder(Providers.WOOCOMMERCE).secret(SECRET).build());
  private final WebhookEndpoint slack = endpoint("slack",
      WebhookVerifier.builder(Providers.SLACK).secret(SECRET).build());
  private final WebhookEndpoint zoom = endpoint("zoom",
      WebhookVerifier.builder(Providers.ZOOM).secret("old-zoom-secret").secret(SECRET).build());
  private final WebhookEndpoint stripe = endpoint("stripe",
      WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build());

  private WebhookEndpoint endpoint(String name, WebhookVerifier verifier) {
    return WebhookEndpoint.builder(name, verifier).dedup(dedup).build();
  }

  private static IncomingRequest request(String method, String pathAndQuery, WebhookHeaders headers, byte[] body) {
    int question = pathAndQuery.indexOf('?');
    return new IncomingRequest(method, "https", "hooks.example.com",
        question < 0 ? pathAndQuery : pathAndQuery.substring(0, question),
        question < 0 ? null : pathAndQuery.substring(question + 1), headers, "203.0.113.9", BodySource.of(body));
  }

  private static IncomingRequest get(String pathAndQuery) {
    return request("GET", pathAndQuery, WebhookHeaders.builder().build(), new byte[0]);
  }

  private static IncomingRequest post(WebhookRequest signed) {
    String url = signed.url();
    return request("POST", url.substring(url.indexOf('/', "https://".length())), signed.headers(), signed.body());
  }

  private static WebhookRequest json(String path, String body) {
    return WebhookRequest.builder().url("https://hooks.example.com" + path)
        .header("Content-Type", "application/json").body(body).build();
  }

  private static Answer answer(Reception reception) {
    assertThat(reception).as("never handed to the application").isInstanceOf(Answer.class);
    return (Answer) reception;
  }

  private static String text(Answer answer) {
    return new String(answer.body(), UTF_8);
  }

  private static String hmacHex(String algorithm, byte[] key, String text) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(key, algorithm));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(UTF_8)));
  }

  // ---- The attacker's cases ----

  @Test
  void aWrongVerifyTokenIsRefusedAndTheChallengeIsNeverEchoed() {
    Answer answer = answer(lifecycle.receive(meta,
        get("/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")));
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.reason()).contains(RejectionReason.HANDSHAKE_REFUSED);
    assertThat(text(answer)).doesNotContain("1158201444").doesNotContain(VERIFY_TOKEN);
    assertThat(audits).singleElement().satisfies(audit -> {
      assertThat(audit.outcome()).isEqualTo(DeliveryAudit.Outcome.REJECTED);
      assertThat(audit.reason()).isEqualTo(RejectionReason.HANDSHAKE_REFUSED);
    });
  }

  @Test
  void anEndpointWithoutAVerifyTokenAnswersNoSubscriptionCheck() {
    Answer answer = answer(lifecycle.receive(metaWithoutToken,
        get("/meta?hub.mode=subscribe&hub.verify_token=&hub.challenge=1")));
    assertThat(answer.status()).as("an empty token is no handshake: verification refuses it").isEqualTo(400);
    answer = answer(lifecycle.receive(metaWithoutToken,
        get("/meta?hub.mode=subscribe&hub.verify_token=anything&hub.challenge=1")));
    assertThat(answer.reason()).contains(RejectionReason.HANDSHAKE_REFUSED);
    assertThat(text(answer)).doesNotContain("\"1\"");
  }

  /** Near misses of Meta's shape: each goes on to verification and fails there, never answered. */
  @ParameterizedTest
  @ValueSource(strings = {
      "/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token&hub.challenge=1&extra=1",
      "/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token&hub.challenge=1&hub.challenge=2",
      "/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token&hub.mode=subscribe",
      "/meta?hub.mode=unsubscribe&hub.verify_token=meta-verify-token&hub.challenge=1",
      "/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token&hub.challenge=%3Cscript%3E",
      "/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token&hub.challenge=",
      "/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token&hub.challenge=%zz",
      "/meta?hub.mode=subscribe&hub.verify_token=meta-verify-token",
      "/meta"})
  void aRequestThatOnlyResemblesMetasHandshakeFailsVerification(String pathAndQuery) {
    Answer answer = answer(lifecycle.receive(meta, get(pathAndQuery)));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.reason()).contains(RejectionReason.MISSING_HEADER);
    assertThat(answer.isHandshake()).isFalse();
  }

  @Test
  void aHandshakeShapedRequestWithABodyOrAnotherMethodIsNoHandshake() {
    String query = "/meta?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=42";
    WebhookHeaders none = WebhookHeaders.builder().build();
    assertThat(answer(lifecycle.receive(meta, request("GET", query, none, "{}".getBytes(UTF_8)))).status())
        .isEqualTo(400);
    assertThat(answer(lifecycle.receive(meta, request("POST", query, none, new byte[0]))).status())
        .isEqualTo(400);
    assertThat(answer(lifecycle.receive(mandrill, request("HEAD", "/mandrill", none, "x".getBytes(UTF_8))))
        .reason()).contains(RejectionReason.MISSING_HEADER);
    assertThat(answer(lifecycle.receive(braintree, request("GET", "/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53",
        none, "x".getBytes(UTF_8)))).isHandshake()).isFalse();
    assertThat(audits).noneMatch(audit -> audit.outcome() == DeliveryAudit.Outcome.HANDSHAKE);
  }

  /** Every handshake shape at an endpoint whose scheme has none is an unsigned delivery: refused. */
  @Test
  void aHandshakeAtAnEndpointWhoseSchemeHasNoneIsRefusedAsUnsigned() {
    WebhookHeaders none = WebhookHeaders.builder().build();
    WebhookHeaders form = WebhookHeaders.builder().add("Content-Type", "application/x-www-form-urlencoded").build();
    List<IncomingRequest> shapes = List.of(
        get("/stripe?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=42"),
        get("/stripe?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53"),
        request("HEAD", "/stripe", none, new byte[0]),
        request("POST", "/stripe", form, "webhook_id=7".getBytes(UTF_8)));
    for (IncomingRequest shape : shapes) {
      Answer answer = answer(lifecycle.receive(stripe, shape));
      assertThat(answer.status()).as(shape.method() + " " + shape.pathAndQuery()).isEqualTo(400);
      assertThat(answer.isHandshake()).isFalse();
    }
    // The other way round: a Meta-shaped request at Braintree, a Braintree one at Meta.
    assertThat(answer(lifecycle.receive(braintree,
        get("/b?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=42"))).isHandshake()).isFalse();
    assertThat(answer(lifecycle.receive(meta, get("/m?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53"))).isHandshake())
        .isFalse();
  }

  @Test
  void aForgedSlackUrlVerificationIsRefusedWithoutItsChallenge() {
    WebhookSigner forger = WebhookSigner.builder(Providers.SLACK).secret("not-the-secret").build();
    WebhookRequest forged = forger.sign(json("/slack",
        "{\"type\":\"url_verification\",\"token\":\"t\",\"challenge\":\"forged-challenge\"}"));
    Answer answer = answer(lifecycle.receive(slack, post(forged)));
    assertThat(answer.status()).isEqualTo(401);
    assertThat(text(answer)).doesNotContain("forged-challenge");

    WebhookSigner slackSigner = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
    WebhookRequest stale = slackSigner.sign(json("/slack",
        "{\"type\":\"url_verification\",\"challenge\":\"stale-challenge\"}"), Instant.now().minus(Duration.ofHours(1)));
    assertThat(answer(lifecycle.receive(slack, post(stale))).reason()).contains(RejectionReason.TIMESTAMP_TOO_OLD);
  }

  @Test
  void aForgedZoomUrlValidationGetsNoHmacOfItsToken() {
    WebhookSigner forger = WebhookSigner.builder(Providers.ZOOM).secret("not-the-secret").build();
    // Were this answered unsigned, encryptedToken would be a valid signature of whatever the
    // attacker put in plainToken ("v0:<ts>:<body>"): Zoom's answer must be signed-only.
    WebhookRequest forged = forger.sign(json("/zoom",
        "{\"event\":\"endpoint.url_validation\",\"payload\":{\"plainToken\":\"v0:1:{}\"}}"));
    Answer answer = answer(lifecycle.receive(zoom, post(forged)));
    assertThat(answer.status()).isEqualTo(401);
    assertThat(text(answer)).doesNotContain("encryptedToken");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/braintree?bt_challenge=20F9F8ED05F77439FE955C977E4C8A53",
      "/braintree?bt_challenge=20f9f8ed05",
      "/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a5320f9",
      "/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53&x=1",
      "/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53&bt_challenge=20f9f8ed05f77439fe955c977e4c8a53",
      "/braintree?bt_challenge=v0%3A1%3A%7B%7D"})
  void aMalformedBraintreeChallengeIsNoHandshake(String pathAndQuery) {
    Answer answer = answer(lifecycle.receive(braintree, get(pathAndQuery)));
    assertThat(answer.isHandshake()).isFalse();
    assertThat(answer.status()).isEqualTo(400);
  }

  /**
   * The bt_challenge answer is an HMAC under the key that signs deliveries, over a hex string, and
   * hex is valid base64: the answer must not make a delivery the application would accept.
   */
  @Test
  void aBraintreeChallengeAnswerCannotBeReplayedAsASignedPayload() {
    String challenge = "abcdef0123456789abcdef0123456789";
    Answer answered = answer(lifecycle.receive(braintree, get("/braintree?bt_challenge=" + challenge)));
    assertThat(answered.isHandshake()).isTrue();
    String signature = text(answered);
    WebhookHeaders form = WebhookHeaders.builder().add("Content-Type", "application/x-www-form-urlencoded").build();
    byte[] body = ("bt_signature=" + java.net.URLEncoder.encode(signature, UTF_8) + "&bt_payload=" + challenge)
        .getBytes(UTF_8);
    Answer replayed = answer(lifecycle.receive(braintree, request("POST", "/braintree", form, body)));
    assertThat(replayed.reason()).contains(RejectionReason.UNREADABLE_BODY);
    assertThat(store.estimatedSize()).as("nothing claimed").isZero();
  }

  @Test
  void aWooCommercePingOfAnotherShapeIsVerifiedAndRefused() {
    WebhookHeaders form = WebhookHeaders.builder().add("Content-Type", "application/x-www-form-urlencoded").build();
    WebhookHeaders jsonType = WebhookHeaders.builder().add("Content-Type", "application/json").build();
    WebhookHeaders signed = WebhookHeaders.builder().add("Content-Type", "application/x-www-form-urlencoded")
        .add("X-WC-Webhook-Signature", "AAAA").build();
    assertThat(answer(lifecycle.receive(woo, request("POST", "/woo", form, "webhook_id=7&x=1".getBytes(UTF_8)))).status())
        .isEqualTo(400);
    assertThat(answer(lifecycle.receive(woo, request("POST", "/woo", form, "webhook_id=07".getBytes(UTF_8)))).status())
        .isEqualTo(400);
    assertThat(answer(lifecycle.receive(woo, request("POST", "/woo", jsonType, "webhook_id=7".getBytes(UTF_8)))).status())
        .isEqualTo(400);
    assertThat(answer(lifecycle.receive(woo, request("POST", "/woo", signed, "webhook_id=7".getBytes(UTF_8)))).status())
        .as("a signature header makes it a delivery, checked as one").isEqualTo(401);
    assertThat(answer(lifecycle.receive(woo, request("GET", "/woo", form, new byte[0]))).status()).isEqualTo(400);
  }

  // ---- The answers each sender expects ----

  @Test
  void metasSubscriptionCheckGetsItsChallengeAsText() {
    Answer answer = answer(lifecycle.receive(meta,
        get("/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + VERIFY_TOKEN)));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.isHandshake()).isTrue();
    assertThat(text(answer)).isEqualTo("1158201444");
    assertThat(answer.headers()).containsEntry("Content-Type", "text/plain;charset=UTF-8")
        .containsEntry("Cache-Control", "no-store").containsEntry("X-Content-Type-Options", "nosniff");
    assertThat(audits).singleElement().satisfies(audit -> {
      assertThat(audit.outcome()).isEqualTo(DeliveryAudit.Outcome.HANDSHAKE);
      assertThat(audit.accepted()).isTrue();
      assertThat(audit.dedup()).isNull();
      assertThat(audit.status()).isEqualTo(200);
    });
    assertThat(store.estimatedSize()).isZero();
  }

  @Test
  void aRotatedVerifyTokenIsAccepted() {
    WebhookEndpoint rotating = endpoint("meta-rotating", WebhookVerifier.builder(Providers.META).secret(SECRET)
        .verifyToken("new-token").verifyToken("old-token").build());
    assertThat(text(answer(lifecycle.receive(rotating,
        get("/m?hub.mode=subscribe&hub.verify_token=old-token&hub.challenge=7"))))).isEqualTo("7");
  }

  /** braintree-java's own vector (WebhookNotificationIT.verifyCreatesAVerificationString). */
  @Test
  void braintreesChallengeGetsThePublicKeyAndTheHmac() throws Exception {
    Answer answer = answer(lifecycle.receive(braintree, get("/braintree?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53")));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(text(answer)).isEqualTo("integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4");
    byte[] key = java.security.MessageDigest.getInstance("SHA-1").digest("integration_private_key".getBytes(UTF_8));
    assertThat(text(answer)).endsWith(hmacHex("HmacSHA1", key, "20f9f8ed05f77439fe955c977e4c8a53"));
    assertThat(audits).singleElement().extracting(DeliveryAudit::outcome).isEqualTo(DeliveryAudit.Outcome.HANDSHAKE);
  }

  @Test
  void mandrillsHeadAndWooCommercesPingGetAnEmpty200() {
    WebhookHeaders none = WebhookHeaders.builder().build();
    Answer head = answer(lifecycle.receive(mandrill, request("HEAD", "/mandrill", none, new byte[0])));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.isHandshake()).isTrue();

    WebhookHeaders form = WebhookHeaders.builder().add("Content-Type", "application/x-www-form-urlencoded").build();
    Answer ping = answer(lifecycle.receive(woo, request("POST", "/woo", form, "webhook_id=42".getBytes(UTF_8))));
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.body()).isEmpty();
    Answer untyped = answer(lifecycle.receive(woo, request("POST", "/woo", none, "webhook_id=42".getBytes(UTF_8))));
    assertThat(untyped.isHandshake()).isTrue();
    assertThat(audits).hasSize(3).allMatch(audit -> audit.outcome() == DeliveryAudit.Outcome.HANDSHAKE);
  }

  @Test
  void slacksSignedUrlVerificationGetsItsChallengeAndClaimsNothing() {
    WebhookSigner signer = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
    String body = "{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
        + "\"type\":\"url_verification\"}";
    for (int i = 0; i < 2; i++) { // Slack may send it again: answered again, never a duplicate
      Answer answer = answer(lifecycle.receive(slack, post(signer.sign(json("/slack", body)))));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.isReplay()).isFalse();
      assertThat(answer.headers()).containsEntry("Content-Type", "application/json");
      assertThat(text(answer)).isEqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");
    }
    assertThat(store.estimatedSize()).isZero();
    assertThat(audits).hasSize(2).allMatch(audit -> audit.outcome() == DeliveryAudit.Outcome.HANDSHAKE);

    // An ordinary event that mentions the word is an ordinary event.
    Reception event = lifecycle.receive(slack, post(signer.sign(json("/slack",
        "{\"event_id\":\"Ev1\",\"type\":\"event_callback\",\"event\":{\"text\":\"url_verification\"}}"))));
    assertThat(event).isInstanceOf(RunningDelivery.class);
    ((RunningDelivery) event).finish(200);
  }

  @Test
  void zoomsSignedUrlValidationGetsTheHmacOfItsTokenWithTheSecretThatSignedIt() throws Exception {
    WebhookSigner signer = WebhookSigner.builder(Providers.ZOOM).secret(SECRET).build();
    Answer answer = answer(lifecycle.receive(zoom, post(signer.sign(json("/zoom",
        "{\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"},\"event_ts\":1654503849680,"
            + "\"event\":\"endpoint.url_validation\"}")))));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers()).containsEntry("Content-Type", "application/json");
    assertThat(text(answer)).isEqualTo("{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\",\"encryptedToken\":\""
        + hmacHex("HmacSHA256", SECRET.getBytes(UTF_8), "qgg8vlvZRS6UYooatFL8Aw") + "\"}");
    assertThat(store.estimatedSize()).isZero();
  }

  @Test
  void aSignedHandshakeIsAnsweredBeforeTheTypeFilterAndNeverReachesAnInbox() {
    Inbox inbox = Inbox.builder(InMemoryInboxStore.create()).handler("slack-inbox", delivery -> {
      throw new AssertionError("a handshake reached the handler");
    }).build();
    WebhookEndpoint inboxed = WebhookEndpoint.builder("slack-inbox",
        WebhookVerifier.builder(Providers.SLACK).secret(SECRET).build()).inbox(inbox)
        .eventTypes(io.hookguard.EventTypeFilter.of("message")).rejectUnexpectedEventTypes().build();
    WebhookSigner signer = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
    Answer answer = answer(lifecycle.receive(inboxed, post(signer.sign(json("/slack",
        "{\"type\":\"url_verification\",\"challenge\":\"c1\"}")))));
    assertThat(text(answer)).isEqualTo("{\"challenge\":\"c1\"}");
    assertThat(inbox.depth().values()).allMatch(count -> count == 0);
  }

  @Test
  void aSignedHandshakeWithoutItsTokenIsRefusedNotHandedOn() {
    WebhookSigner signer = WebhookSigner.builder(Providers.ZOOM).secret(SECRET).build();
    Answer answer = answer(lifecycle.receive(zoom, post(signer.sign(json("/zoom",
        "{\"event\":\"endpoint.url_validation\",\"payload\":{}}")))));
    assertThat(answer.reason()).contains(RejectionReason.UNREADABLE_BODY);
    WebhookSigner slackSigner = WebhookSigner.builder(Providers.SLACK).secret(SECRET).build();
    assertThat(answer(lifecycle.receive(slack, post(slackSigner.sign(json("/slack",
        "{\"type\":\"url_verification\"}"))))).reason()).contains(RejectionReason.UNREADABLE_BODY);
  }

  @Test
  void configurationFailsFastWhereAHandshakeCannotApply() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).verifyToken("t").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("verify token");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookScheme.builder("acme")
            .signatureHeader("X-Acme").handshake(io.hookguard.Handshake.BRAINTREE_CHALLENGE))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookScheme.builder("acme")
            .signatureHeader("X-Acme").sharedToken().handshake(io.hookguard.Handshake.SLACK_URL_VERIFICATION).build())
        .isInstanceOf(IllegalStateException.class);
    assertThat(WebhookScheme.builder("acme").signatureHeader("X-Acme")
        .handshake(io.hookguard.Handshake.META_SUBSCRIBE).build().handshake())
        .contains(io.hookguard.Handshake.META_SUBSCRIBE);
  }
}
