package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.sns.message.SnsMessage;
import com.amazonaws.services.sns.message.SnsMessageManager;
import com.amazonaws.services.sns.message.SnsNotification;
import com.amazonaws.services.sns.message.SnsSdkAccess;
import com.amazonaws.services.sns.message.SnsSubscriptionConfirmation;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AWS's own verifier as the oracle: aws-java-sdk-sns 1.12's {@link SnsMessageManager} (its
 * {@code SignatureVerifier}: URL check, certificate download over TLS, the certificate's name
 * and dates, the signature of either version) and Hookguard agree on messages signed both by
 * hand from AWS's documented field lists and by Hookguard's signer. The SDK downloads the tests'
 * certificate from a TLS server on loopback posing as {@code sns.us-east-1.amazonaws.com}.
 */
class SnsSdkOracleTest {
  private static final char[] PASSWORD = "test".toCharArray();
  private static HttpsServer server;
  private static SnsMessageManager sdk;

  private final WebhookVerifier hookguard = Fixtures.keyed(Providers.AWS_SNS).verifier();

  @BeforeAll
  static void start() throws Exception {
    KeyPair keys = TestCertificates.rsa();
    X509Certificate tls = TestCertificates.selfSigned(keys, "sns.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com");
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(TestCertificates.keyStore(keys, tls, PASSWORD), PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keyManagers.getKeyManagers(), null, null);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(TestCertificates.trustStore(tls));
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, trust.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/SimpleNotificationService-hookguard-test.pem", exchange -> {
      byte[] pem = Fixtures.SNS_CERTIFICATE.getBytes(UTF_8);
      exchange.sendResponseHeaders(200, pem.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(pem);
      }
    });
    server.start();
    sdk = SnsSdkAccess.manager("us-east-1", clientContext, server.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static SnsMessage sdkParse(String json) {
    return sdk.parseMessage(new ByteArrayInputStream(json.getBytes(UTF_8)));
  }

  /** Messages of every type and version, with text that needs escaping and text outside ASCII. */
  private static List<Map<String, String>> messages() {
    List<Map<String, String>> messages = new ArrayList<>();
    Random random = new Random(42);
    String[] texts = {"Hello world!", "{\"notificationType\":\"Delivery\",\"mail\":{\"source\":\"a@example.com\"}}",
        "line\nbreak \"quoted\" \\ back\tslash", "caf\u00e9 \u2713 \ud83d\ude80", ""};
    for (String version : List.of("1", "2")) {
      for (String text : texts) {
        Map<String, String> plain = SnsMessages.notification(text, Fixtures.NOW);
        plain.put("SignatureVersion", version);
        plain.put("MessageId", new java.util.UUID(random.nextLong(), random.nextLong()).toString());
        messages.add(plain);
        Map<String, String> withSubject = new java.util.LinkedHashMap<>(plain);
        withSubject.put("Subject", "Subject: " + text);
        messages.add(withSubject);
      }
      for (String type : List.of("SubscriptionConfirmation", "UnsubscribeConfirmation")) {
        Map<String, String> confirmation = SnsMessages.confirmation(type, Fixtures.NOW);
        confirmation.put("SignatureVersion", version);
        messages.add(confirmation);
      }
    }
    return messages;
  }

  @Test
  void theSdkAndHookguardAcceptTheSameMessagesSignedFromTheDocumentedFieldLists() {
    for (Map<String, String> fields : messages()) {
      String json = SnsMessages.json(SnsMessages.signed(fields));
      SnsMessage parsed = sdkParse(json);
      assertThat(parsed.getMessageId()).isEqualTo(fields.get("MessageId"));
      VerifiedWebhook verified = hookguard.verify(SnsMessages.request(json)).orElseThrow();
      assertThat(verified.eventId()).contains(fields.get("MessageId"));
      assertThat(verified.eventType()).contains(fields.get("Type"));
      if (parsed instanceof SnsNotification notification) {
        assertThat(notification.getMessage()).isEqualTo(fields.get("Message"));
      }
      if (parsed instanceof SnsSubscriptionConfirmation confirmation) {
        assertThat(confirmation.getSubscribeUrl().toString()).isEqualTo(fields.get("SubscribeURL"));
      }
    }
  }

  @Test
  void theSdkAcceptsWhatHookguardsSignerSigns() {
    WebhookSigner signer = Fixtures.keyed(Providers.AWS_SNS).signer();
    for (String text : List.of("plain", "{\"notificationType\":\"Bounce\"}", "tab\tand \u00e9")) {
      WebhookRequest signed = signer.sign(WebhookRequest.builder().body(text).build());
      SnsMessage parsed = sdkParse(new String(signed.body(), UTF_8));
      assertThat(parsed).isInstanceOfSatisfying(SnsNotification.class,
          notification -> assertThat(notification.getMessage()).isEqualTo(text));
      assertThat(hookguard.verify(signed).isVerified()).isTrue();
    }
  }

  @Test
  void bothRefuseAChangedSignedFieldAndAForeignCertificateUrl() {
    for (Map<String, String> fields : messages()) {
      Map<String, String> signed = SnsMessages.signed(fields);
      Map<String, String> changed = new java.util.LinkedHashMap<>(signed);
      changed.put("MessageId", signed.get("MessageId") + "0");
      String json = SnsMessages.json(changed);
      assertThatThrownBy(() -> sdkParse(json)).as(fields.toString()).hasMessageContaining("Signature");
      assertThat(hookguard.verify(SnsMessages.request(json)).isVerified()).isFalse();
    }
    Map<String, String> foreign = SnsMessages.signed(SnsMessages.notification("m", Fixtures.NOW));
    foreign.put("SigningCertURL", "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-hookguard-test.pem");
    String json = SnsMessages.json(foreign);
    assertThatThrownBy(() -> sdkParse(json)).hasMessageContaining("SigningCertUrl");
    assertThat(hookguard.verify(SnsMessages.request(json)).isVerified()).isFalse();
  }
}
