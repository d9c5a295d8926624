package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.IncomingRequest;
import io.hookguard.delivery.Reception;
import io.hookguard.delivery.WebhookEndpoint;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * AWS SNS: messages signed here from AWS's documented field lists (not by the scheme's signer)
 * with the tests' certificate, served by a fetcher that counts what it is asked for — no network.
 */
class AwsSnsSchemeTest {
  private static final Instant NOW = Fixtures.NOW;

  /** URL → document; and every URL asked for, in order. */
  private final Map<String, String> served = new ConcurrentHashMap<>(Map.of(SnsMessages.CERT_URL, Fixtures.SNS_CERTIFICATE));
  private final List<String> fetched = new CopyOnWriteArrayList<>();
  private final AtomicBoolean down = new AtomicBoolean();

  private final RemoteDocuments documents = RemoteDocuments.builder().clock(Fixtures.CLOCK).fetcher((url, maxBytes) -> {
    fetched.add(url.toString());
    if (down.get()) {
      throw new IOException("connection refused");
    }
    String document = served.get(url.toString());
    if (document == null) {
      throw new FileNotFoundException("404");
    }
    return document.getBytes(UTF_8);
  }).build();

  private WebhookVerifier verifier(String... topics) {
    WebhookVerifier.Builder builder = WebhookVerifier.builder(Providers.AWS_SNS).clock(Fixtures.CLOCK)
        .remoteDocuments(documents);
    for (String topic : topics) {
      builder.publicKey(topic);
    }
    return builder.build();
  }

  private final WebhookVerifier verifier = verifier(SnsMessages.TOPIC);

  private static Map<String, String> notification() {
    return SnsMessages.notification("{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\"}}",
        NOW.minusSeconds(5));
  }

  private static Map<String, String> with(Map<String, String> fields, String name, String value) {
    Map<String, String> copy = new java.util.LinkedHashMap<>(fields);
    copy.put(name, value);
    return copy;
  }

  private RejectionReason refusal(WebhookRequest request) {
    VerificationResult result = verifier.verify(request);
    assertThat(result).isInstanceOf(Rejection.class);
    return ((Rejection) result).reason();
  }

  @Test
  void aNotificationSignedWithSignatureVersion2Verifies() {
    VerifiedWebhook verified = verifier.verify(SnsMessages.request(SnsMessages.signed(notification()))).orElseThrow();

    assertThat(verified.provider()).isEqualTo("aws-sns");
    assertThat(verified.eventId()).contains("22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
    assertThat(verified.eventType()).contains("Notification");
    assertThat(verified.timestamp()).contains(NOW.minusSeconds(5));
    assertThat(verified.handshake()).isEmpty();
  }

  @Test
  void signatureVersion1IsSha1AndTheVersionIsNotInterchangeable() {
    Map<String, String> v1 = SnsMessages.signed(with(notification(), "SignatureVersion", "1"));
    assertThat(verifier.verify(SnsMessages.request(v1)).isVerified()).isTrue();

    // A SHA-1 signature announced as version 2 (and the other way round) does not verify.
    assertThat(refusal(SnsMessages.request(with(v1, "SignatureVersion", "2"))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    Map<String, String> v2 = SnsMessages.signed(notification());
    assertThat(refusal(SnsMessages.request(with(v2, "SignatureVersion", "1"))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(refusal(SnsMessages.request(with(v2, "SignatureVersion", "3"))))
        .isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
  }

  @Test
  void theSubjectIsSignedWhenPresentAndANullSubjectIsAnAbsentOne() {
    Map<String, String> withSubject = SnsMessages.signed(with(notification(), "Subject", "Amazon SES Email Event"));
    assertThat(verifier.verify(SnsMessages.request(withSubject)).isVerified()).isTrue();
    assertThat(refusal(SnsMessages.request(with(withSubject, "Subject", "Another subject"))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);

    Map<String, String> nullSubject = SnsMessages.signed(notification());
    nullSubject.put("Subject", null);
    assertThat(verifier.verify(SnsMessages.request(nullSubject)).isVerified()).isTrue();
  }

  @Test
  void escapedControlCharactersAreSignedAsTheCharactersTheyStandFor() {
    Map<String, String> fields = SnsMessages.signed(SnsMessages.notification("line one\nline \"two\"\t\u00e9 \u2713",
        NOW));
    String json = SnsMessages.json(fields);
    assertThat(json).contains("line one\\nline \\\"two\\\"\\t");

    assertThat(verifier.verify(SnsMessages.request(json)).isVerified()).isTrue();
    // The same characters escaped differently are the same message.
    assertThat(verifier.verify(SnsMessages.request(json.replace("\\t", "\\u0009"))).isVerified()).isTrue();
  }

  @Test
  void everySignedFieldIsCoveredAndTheUnsignedOnesAreNot() {
    Map<String, String> signed = SnsMessages.signed(notification());
    for (String field : List.of("Message", "MessageId", "Timestamp", "Type")) {
      String changed = field.equals("Timestamp") ? NOW.minusSeconds(6).toString()
          : field.equals("Type") ? "UnsubscribeConfirmation" : signed.get(field) + "x";
      RejectionReason reason = refusal(SnsMessages.request(with(signed, field, changed)));
      assertThat(reason).as(field).isIn(RejectionReason.NO_MATCHING_SIGNATURE, RejectionReason.UNREADABLE_BODY);
    }
    // Documented as unsigned: an application must not act on them as verified.
    assertThat(verifier.verify(SnsMessages.request(with(signed, "UnsubscribeURL", "https://example.com/"))).isVerified())
        .isTrue();
  }

  @Test
  void aMessageOfATopicNotConfiguredIsRefusedBeforeAnythingIsFetched() {
    Map<String, String> other = SnsMessages.signed(with(notification(), "TopicArn",
        "arn:aws:sns:us-east-1:999999999999:somebody-elses-topic"));

    assertThat(refusal(SnsMessages.request(other))).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(fetched).isEmpty();
    // Several topics: any of them.
    assertThat(verifier(SnsMessages.TOPIC, "arn:aws:sns:us-east-1:999999999999:somebody-elses-topic")
        .verify(SnsMessages.request(other)).isVerified()).isTrue();
  }

  @Test
  void theCertificateUrlMustBeHttpsOnTheSnsHostOfTheTopicsRegion() {
    for (String url : List.of(
        "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-hookguard-test.pem",
        "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-hookguard-test.pem",
        "https://evil.example/SimpleNotificationService-hookguard-test.pem",
        "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-hookguard-test.pem",
        "https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-hookguard-test.pem",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hookguard-test.txt",
        "https://sns.us-east-1.amazonaws.com/certs/SimpleNotificationService-hookguard-test.pem",
        "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-hookguard-test.pem",
        "https://s3.amazonaws.com/SimpleNotificationService-hookguard-test.pem")) {
      served.put(url, Fixtures.SNS_CERTIFICATE);
      assertThat(refusal(SnsMessages.request(SnsMessages.signed(with(notification(), "SigningCertURL", url)))))
          .as(url).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    assertThat(fetched).isEmpty();
  }

  @Test
  void chinaAndGovCloudTopicsUseTheirRegionsHosts() {
    String china = "arn:aws-cn:sns:cn-north-1:123456789012:orders";
    String chinaCert = "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-0123456789abcdef.pem";
    String gov = "arn:aws-us-gov:sns:us-gov-west-1:123456789012:orders";
    String govCert = "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";
    served.put(chinaCert, Fixtures.SNS_CERTIFICATE);
    served.put(govCert, Fixtures.SNS_CERTIFICATE);
    WebhookVerifier both = verifier(china, gov);

    Map<String, String> chinese = with(with(notification(), "TopicArn", china), "SigningCertURL", chinaCert);
    assertThat(both.verify(SnsMessages.request(SnsMessages.signed(chinese))).isVerified()).isTrue();
    Map<String, String> federal = with(with(notification(), "TopicArn", gov), "SigningCertURL", govCert);
    assertThat(both.verify(SnsMessages.request(SnsMessages.signed(federal))).isVerified()).isTrue();
    // A China topic's certificate on the global domain is not SNS China's.
    Map<String, String> wrongDomain = with(chinese, "SigningCertURL", chinaCert.replace(".com.cn/", ".com/"));
    assertThat(both.verify(SnsMessages.request(SnsMessages.signed(wrongDomain))).isVerified()).isFalse();
  }

  @Test
  void theCertificateIsFetchedOnceForManyDeliveries() {
    for (int i = 0; i < 50; i++) {
      Map<String, String> fields = with(notification(), "MessageId", "id-" + i);
      assertThat(verifier.verify(SnsMessages.request(SnsMessages.signed(fields))).isVerified()).isTrue();
    }
    assertThat(fetched).containsExactly(SnsMessages.CERT_URL);
  }

  @Test
  void aCertificateNotIssuedToSnsExpiredOrWeakIsRefused() throws Exception {
    KeyPair keys = TestCertificates.rsa();
    String notSns = "https://sns.us-east-1.amazonaws.com/not-sns.pem";
    served.put(notSns, TestCertificates.pem(TestCertificates.selfSigned(keys, "sns.amazonaws.com.evil.example")));
    String expired = "https://sns.us-east-1.amazonaws.com/expired.pem";
    served.put(expired, TestCertificates.pem(TestCertificates.selfSigned(keys, "sns.amazonaws.com",
        NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)))));
    String sanOnly = "https://sns.us-east-1.amazonaws.com/san.pem";
    served.put(sanOnly, TestCertificates.pem(TestCertificates.selfSigned(keys, "sns.amazonaws.com",
        NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)), "other.example")));
    KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
    weak.initialize(1024);
    KeyPair weakKeys = weak.generateKeyPair();
    String weakUrl = "https://sns.us-east-1.amazonaws.com/weak.pem";
    served.put(weakUrl, TestCertificates.pem(TestCertificates.selfSigned(weakKeys, "sns.amazonaws.com",
        NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)))));
    String garbage = "https://sns.us-east-1.amazonaws.com/garbage.pem";
    served.put(garbage, "<html>not a certificate</html>");

    for (String url : List.of(notSns, expired, sanOnly, weakUrl, garbage)) {
      Map<String, String> fields = with(notification(), "SigningCertURL", url);
      java.security.PrivateKey key = url.equals(weakUrl) ? weakKeys.getPrivate() : keys.getPrivate();
      assertThat(refusal(SnsMessages.request(SnsMessages.signed(fields, key)))).as(url)
          .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    // The right certificate, the wrong key.
    assertThat(refusal(SnsMessages.request(SnsMessages.signed(notification(), keys.getPrivate()))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void aCertificateUrlThatDoesNotExistIsABadSignatureAndOneThatCannotBeFetchedIsRetryable() {
    Map<String, String> missing = with(notification(), "SigningCertURL",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-missing.pem");
    assertThat(refusal(SnsMessages.request(SnsMessages.signed(missing)))).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);

    down.set(true);
    VerificationResult result = verifier.verify(SnsMessages.request(SnsMessages.signed(notification())));
    assertThat(result).isInstanceOfSatisfying(Rejection.class, rejection -> {
      assertThat(rejection.reason()).isEqualTo(RejectionReason.KEY_UNAVAILABLE);
      assertThat(rejection.retryAfter()).contains(Duration.ofSeconds(30));
    });
  }

  @Test
  void theLifecycleAnswersAnUnreachableCertificate503WithRetryAfterAndClaimsNothing() {
    down.set(true);
    List<io.hookguard.delivery.DeliveryAudit> audits = new CopyOnWriteArrayList<>();
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().listener(audits::add).build();
    WebhookEndpoint endpoint = WebhookEndpoint.builder("sns", verifier)
        .dedup(DedupEngine.builder(CaffeineDedupStore.create()).build()).build();

    Reception reception = lifecycle.receive(endpoint, incoming(SnsMessages.request(SnsMessages.signed(notification()))));

    assertThat(reception).isInstanceOfSatisfying(Answer.class, answer -> {
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.reason()).contains(RejectionReason.KEY_UNAVAILABLE);
      assertThat(answer.headers()).containsEntry("Retry-After", "30");
      assertThat(new String(answer.body(), UTF_8)).contains("urn:hookguard:problem:key-unavailable");
    });
    assertThat(audits).singleElement().satisfies(audit ->
        assertThat(audit.reason()).isEqualTo(RejectionReason.KEY_UNAVAILABLE));
  }

  @Test
  void aRepeatedFieldIsRefusedRatherThanVerifyingOneValueAndHandingOnAnother() {
    String json = SnsMessages.json(SnsMessages.signed(notification()));
    String twice = json.replaceFirst("\\{", "{\"Message\":\"pay 1000000 to the attacker\",");

    assertThat(refusal(SnsMessages.request(twice))).isEqualTo(RejectionReason.UNREADABLE_BODY);
  }

  @Test
  void malformedMessagesAreTypedRefusals() {
    Map<String, String> signed = SnsMessages.signed(notification());
    String json = SnsMessages.json(signed);
    for (String body : List.of("", "[]", "null", "{", json + "{}", json.replace("\"Message\" : \"", "\"Message\" : 1, \"x\" : \""),
        SnsMessages.json(with(signed, "Type", "Surprise")), SnsMessages.json(with(signed, "Timestamp", "yesterday")),
        SnsMessages.json(with(signed, "Signature", "not base64!")))) {
      VerificationResult result = verifier.verify(SnsMessages.request(body));
      assertThat(result).as(body).isInstanceOf(Rejection.class);
    }
    Map<String, String> withoutId = new java.util.LinkedHashMap<>(signed);
    withoutId.remove("MessageId");
    assertThat(refusal(SnsMessages.request(withoutId))).isEqualTo(RejectionReason.UNREADABLE_BODY);
    assertThat(refusal(SnsMessages.request(with(signed, "Timestamp", "yesterday"))))
        .isEqualTo(RejectionReason.MALFORMED_TIMESTAMP);
    assertThat(fetched).as("nothing malformed gets as far as a fetch").isEmpty();
  }

  @Test
  void theTimestampWindowIsAnHourEachWayAndCheckedAfterTheSignature() {
    Map<String, String> old = SnsMessages.signed(SnsMessages.notification("m", NOW.minus(Duration.ofMinutes(61))));
    assertThat(refusal(SnsMessages.request(old))).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    Map<String, String> retriedLate = SnsMessages.signed(SnsMessages.notification("m", NOW.minus(Duration.ofMinutes(59))));
    assertThat(verifier.verify(SnsMessages.request(retriedLate)).isVerified()).isTrue();
    // A forged old message is a bad signature, not a stale one.
    Map<String, String> forged = with(old, "Message", "forged");
    assertThat(refusal(SnsMessages.request(forged))).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void aVerifiedSubscriptionConfirmationIsConfirmedOnceAndAnsweredNeverHandedOn() {
    Map<String, String> confirmation = SnsMessages.signed(SnsMessages.confirmation("SubscriptionConfirmation", NOW));
    served.put(confirmation.get("SubscribeURL"), "<ConfirmSubscriptionResponse/>");

    VerifiedWebhook verified = verifier.verify(SnsMessages.request(confirmation)).orElseThrow();

    assertThat(verified.handshake()).hasValueSatisfying(reply -> {
      assertThat(reply.handshake()).isEqualTo(Handshake.SNS_SUBSCRIPTION);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.refusal()).isEmpty();
    });
    assertThat(fetched).containsExactly(SnsMessages.CERT_URL, confirmation.get("SubscribeURL"));

    // Through the lifecycle: an answer, never a running delivery.
    DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().build();
    WebhookEndpoint endpoint = WebhookEndpoint.builder("sns", verifier)
        .dedup(DedupEngine.builder(CaffeineDedupStore.create()).build()).build();
    assertThat(lifecycle.receive(endpoint, incoming(SnsMessages.request(confirmation))))
        .isInstanceOfSatisfying(Answer.class, answer -> {
          assertThat(answer.isHandshake()).isTrue();
          assertThat(answer.status()).isEqualTo(200);
        });
  }

  @Test
  void aSubscribeUrlThatIsNotSnssConfirmationForThisTopicIsNeverFetched() {
    Map<String, String> base = SnsMessages.confirmation("SubscriptionConfirmation", NOW);
    String token = base.get("Token");
    for (String url : List.of(
        "https://evil.example/?Action=ConfirmSubscription&TopicArn=" + SnsMessages.TOPIC + "&Token=" + token,
        "http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + SnsMessages.TOPIC + "&Token=" + token,
        "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + SnsMessages.TOPIC + "&Token=" + token,
        SnsMessages.confirmUrl("arn:aws:sns:us-east-1:123456789012:another-topic", token),
        SnsMessages.confirmUrl(SnsMessages.TOPIC, token + "0"),
        "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&TopicArn=" + SnsMessages.TOPIC + "&Token=" + token,
        SnsMessages.confirmUrl(SnsMessages.TOPIC, token) + "&Action=ConfirmSubscription",
        SnsMessages.confirmUrl(SnsMessages.TOPIC, token) + "&Redirect=https://evil.example/",
        "https://sns.us-east-1.amazonaws.com/path?Action=ConfirmSubscription&TopicArn=" + SnsMessages.TOPIC + "&Token=" + token)) {
      fetched.clear();
      Map<String, String> confirmation = SnsMessages.signed(with(base, "SubscribeURL", url));
      VerifiedWebhook verified = verifier.verify(SnsMessages.request(confirmation)).orElseThrow();
      assertThat(verified.handshake()).as(url).hasValueSatisfying(reply ->
          assertThat(reply.refusal()).contains(RejectionReason.HANDSHAKE_REFUSED));
      assertThat(fetched).as(url).doesNotContain(url);
    }
  }

  @Test
  void aForgedOrForeignSubscriptionConfirmationConfirmsNothing() {
    Map<String, String> confirmation = SnsMessages.signed(SnsMessages.confirmation("SubscriptionConfirmation", NOW));
    Map<String, String> forged = with(confirmation, "Message", "forged");
    assertThat(refusal(SnsMessages.request(forged))).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);

    WebhookVerifier otherTopic = verifier("arn:aws:sns:us-east-1:123456789012:another-topic");
    assertThat(otherTopic.verify(SnsMessages.request(confirmation)).isVerified()).isFalse();
    assertThat(fetched).doesNotContain(confirmation.get("SubscribeURL"));
  }

  @Test
  void aConfirmationSnsCannotTakeNowIsRetryableAndAnUnsubscribeIsOnlyAcknowledged() {
    Map<String, String> confirmation = SnsMessages.signed(SnsMessages.confirmation("SubscriptionConfirmation", NOW));
    // Not served: the confirmation GET fails.
    assertThat(verifier.verify(SnsMessages.request(confirmation)).orElseThrow().handshake())
        .hasValueSatisfying(reply -> {
          assertThat(reply.refusal()).contains(RejectionReason.KEY_UNAVAILABLE);
          assertThat(reply.status()).isEqualTo(503);
        });

    fetched.clear();
    Map<String, String> unsubscribe = SnsMessages.signed(SnsMessages.confirmation("UnsubscribeConfirmation", NOW));
    assertThat(verifier.verify(SnsMessages.request(unsubscribe)).orElseThrow().handshake())
        .hasValueSatisfying(reply -> assertThat(reply.status()).isEqualTo(200));
    assertThat(fetched).doesNotContain(unsubscribe.get("SubscribeURL"));
  }

  @Test
  void theConfiguredKeysAreTopicArnsAndAtLeastOneIsRequired() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.AWS_SNS).build())
        .isInstanceOf(IllegalStateException.class);
    for (String notAnArn : List.of("arn:aws:sqs:us-east-1:123456789012:queue", "my-topic",
        "arn:aws:sns:us-east-1:12345:topic", "arn:aws:sns:*:123456789012:*", "-----BEGIN PUBLIC KEY-----")) {
      assertThatThrownBy(() -> WebhookVerifier.builder(Providers.AWS_SNS).publicKey(notAnArn))
          .as(notAnArn).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARN of a topic");
    }
    assertThat(Providers.AWS_SNS.fetchesDocuments()).isTrue();
    assertThat(Providers.AWS_SNS.handshake()).contains(Handshake.SNS_SUBSCRIPTION);
  }

  private static IncomingRequest incoming(WebhookRequest request) {
    return new IncomingRequest("POST", "https", "hooks.example.com", "/sns", null, request.headers(), "203.0.113.9",
        BodySource.of(request.body()));
  }
}
