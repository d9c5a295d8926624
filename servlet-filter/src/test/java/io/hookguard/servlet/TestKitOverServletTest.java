package io.hookguard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookScheme;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.test.TestKeys;
import io.hookguard.test.TestWebhook;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test kit's java.net.http deliveries of every built-in sender through the filter in real
 * Tomcat, at endpoints with the default settings (dedup on, an event id required where the sender
 * sends one): what a user's own plain-HTTP test sees.
 */
class TestKitOverServletTest {
  private static RecordingServlet app;
  private static TestServer server;

  static Stream<WebhookScheme> schemes() {
    return Providers.all().stream();
  }

  @BeforeAll
  static void start() {
    app = new RecordingServlet();
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    WebhookFilter.Builder filter = WebhookFilter.builder();
    schemes().forEach(scheme -> {
      WebhookVerifier.Builder verifier = WebhookVerifier.builder(scheme);
      if (scheme.fetchesDocuments()) {
        verifier.remoteDocuments(TestKeys.remoteDocuments()); // the kit's certificates, no network
      }
      String key = TestKeys.verificationKey(scheme);
      WebhookEndpoint.Builder endpoint = WebhookEndpoint.builder(scheme.id(),
          scheme.usesPublicKeys() ? verifier.publicKey(key).build() : verifier.secret(key).build()).dedup(dedup);
      if (TestWebhook.of(scheme).expectedEventId().isEmpty()) {
        // Senders without an event id (Zoom, DocuSign, Meta, …): deduplicated on the signed body.
        endpoint.missingEventId(WebhookEndpoint.MissingEventId.RUN);
      }
      filter.endpoint("/hooks/" + scheme.id(), endpoint.build());
    });
    server = Container.TOMCAT.start(filter.build(), Map.of("/hooks/*", app));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void aKitDeliveryIsAcceptedItsResendIsAReplayAndTheWrongKeyIsRefused(WebhookScheme scheme) {
    TestWebhook webhook = TestWebhook.of(scheme);
    URI uri = URI.create(server.url("/hooks/" + scheme.id()));

    HttpResponse<String> first = server.send(webhook.httpRequest(uri));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    webhook.expectedEventId().ifPresent(id -> assertThat(first.body()).contains("\"eventId\":\"" + id + "\""));

    HttpResponse<String> resent = server.send(webhook.httpRequest(uri));
    if (!Set.of("linear", "mailgun").contains(scheme.id())) { // they sign the time of sending in the body
      assertThat(resent.headers().firstValue("Hookguard-Replay")).as("the sender's retry").contains("true");
    }

    HttpResponse<String> wrongKey = server.send(webhook.signedWithWrongKey().httpRequest(uri));
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(wrongKey.body()).contains("no-matching-signature");
  }

  @org.junit.jupiter.api.Test
  void aTwilioJsonDeliveryIsSentWithTheBodyHashItsSignedUrlCarries() {
    String url = server.url("/hooks/twilio");
    TestWebhook json = TestWebhook.of(Providers.TWILIO).json("{\"CallSid\":\"CA1\"}");

    HttpResponse<String> implicit = server.send(json.httpRequest(URI.create(url)));
    HttpResponse<String> explicit = server.send(json.eventId("tw-json-2").url(url).httpRequest(URI.create(url)));

    assertThat(implicit.statusCode()).as(implicit.body()).isEqualTo(200);
    assertThat(explicit.statusCode()).as(explicit.body()).isEqualTo(200);
  }
}
