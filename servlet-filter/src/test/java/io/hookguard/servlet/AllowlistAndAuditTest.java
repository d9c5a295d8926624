package io.hookguard.servlet;

import io.hookguard.RejectionReason;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.delivery.Slf4jDeliveryAuditLogger;

import io.hookguard.delivery.Answer;

import io.hookguard.delivery.WebhookEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.EventTypeFilter;
import io.hookguard.Providers;
import io.hookguard.SourceAllowlist;
import io.hookguard.TrustedProxies;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Source allowlists, expected event types and the audit trail, in a real Tomcat over real HTTP. */
class AllowlistAndAuditTest {
  private static final String SECRET = "whsec_allowlist_secret";
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();
  private static final RecordingServlet app = new RecordingServlet();
  private static final List<DeliveryAudit> audits = new CopyOnWriteArrayList<>();
  private static TomcatServer server;

  @BeforeAll
  static void startTomcat() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build();
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint("/hooks/direct", WebhookEndpoint.builder("direct", verifier)
            .sources(SourceAllowlist.builder().allow("10.0.0.0/8").build()).build())
        .endpoint("/hooks/typed", WebhookEndpoint.builder("typed", verifier).dedup(dedup)
            .eventTypes(EventTypeFilter.of("invoice.paid", "customer.*")).build())
        .endpoint("/hooks/lossy", WebhookEndpoint.builder("lossy", verifier)
            .dedup(DedupEngine.builder(new LosingCompletions(CaffeineDedupStore.create())).build()).build())
        .endpoint("/hooks/strict", WebhookEndpoint.builder("strict", verifier)
            .eventTypes(EventTypeFilter.of("invoice.paid")).rejectUnexpectedEventTypes().build())
        .audit(audits::add)
        .audit(new Slf4jDeliveryAuditLogger())
        .audit(audit -> {
          throw new IllegalStateException("a broken audit sink");
        })
        .build();
    server = TomcatServer.start(filter, Map.of("/hooks/*", app));
  }

  /** A store that claims and releases, but whose completions are lost (it died in between). */
  private record LosingCompletions(io.hookguard.dedup.DedupStore store) implements io.hookguard.dedup.DedupStore {
    @Override
    public io.hookguard.dedup.ClaimResult claim(String key, String fingerprint, java.time.Duration lease) {
      return store.claim(key, fingerprint, lease);
    }

    @Override
    public boolean complete(String key, String token, java.time.Duration retention) {
      throw new io.hookguard.dedup.DedupStoreException("connection reset", new java.io.IOException("reset"));
    }

    @Override
    public boolean release(String key, String token) {
      return store.release(key, token);
    }

    @Override
    public boolean extend(String key, String token, java.time.Duration lease) {
      return store.extend(key, token, lease);
    }
  }

  @Test
  void aCompletionTheStoreLostIsMarkedInTheAuditRecord() {
    assertThat(send(delivery("/hooks/lossy", "evt_lost_1", "invoice.paid")).statusCode()).isEqualTo(200);

    assertThat(audits).singleElement().satisfies(audit -> {
      assertThat(audit.outcome()).isEqualTo(DeliveryAudit.Outcome.PROCESSED);
      assertThat(audit.dedup()).isEqualTo(DeliveryAudit.Dedup.UNRECORDED);
      assertThat(Slf4jDeliveryAuditLogger.format(audit)).contains("dedup=unrecorded");
    });
  }

  @AfterAll
  static void stopTomcat() {
    server.close();
  }

  @BeforeEach
  void clearAudits() {
    audits.clear();
  }

  private static WebhookRequest delivery(String path, String id, String type) {
    return STRIPE.sign(WebhookRequest.builder().url(server.url(path)).header("Content-Type", "application/json")
        .body("{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}").build());
  }

  private static HttpResponse<String> send(WebhookRequest signed) {
    return server.send(TomcatServer.post(signed).build());
  }

  private static HttpResponse<String> send(WebhookRequest signed, String header, String value) {
    return server.send(TomcatServer.post(signed).header(header, value).build());
  }

  @Test
  void aSourceOutsideTheAllowlistGets403AndNeverReachesTheServlet() {
    HttpResponse<String> response = send(delivery("/hooks/direct", "evt_src_1", "invoice.paid"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("urn:hookguard:problem:source-not-allowed");
    // Without trusted proxies, a forwarded header changes nothing.
    assertThat(send(delivery("/hooks/direct", "evt_src_2", "invoice.paid"), "X-Forwarded-For", "10.1.2.3")
        .statusCode()).isEqualTo(403);
    assertThat(app.runsOf("evt_src_1") + app.runsOf("evt_src_2")).isZero();
    assertThat(audits).extracting(DeliveryAudit::outcome, DeliveryAudit::reason, DeliveryAudit::status,
            DeliveryAudit::sourceAddress)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(DeliveryAudit.Outcome.REJECTED, RejectionReason.SOURCE_NOT_ALLOWED, 403,
            "127.0.0.1"));
  }

  @Test
  void behindATrustedProxyTheForwardedClientDecides() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build();
    WebhookFilter.Builder proxied = WebhookFilter.builder().audit(audits::add)
        .endpoint("/hooks/proxied", WebhookEndpoint.builder("proxied", verifier)
            .sources(SourceAllowlist.builder().allow("198.51.100.0/24").build()).build());
    try (TomcatServer xff = TomcatServer.start(proxied
            .proxies(TrustedProxies.builder(TrustedProxies.Headers.X_FORWARDED).trust("127.0.0.1").build()).build(),
        Map.of("/hooks/*", app))) {
      assertThat(xff.send(TomcatServer.post(delivery("/hooks/proxied", "evt_px_1", "invoice.paid"))
          .uri(java.net.URI.create(xff.url("/hooks/proxied"))).header("X-Forwarded-For", "198.51.100.7").build())
          .statusCode()).isEqualTo(200);
      assertThat(xff.send(TomcatServer.post(delivery("/hooks/proxied", "evt_px_2", "invoice.paid"))
          .uri(java.net.URI.create(xff.url("/hooks/proxied"))).header("X-Forwarded-For", "198.51.100.7, 203.0.113.1")
          .build()).statusCode()).as("spoofed left entry").isEqualTo(403);
      // The proxy writes X-Forwarded-For: a Forwarded header can only have come from the client.
      assertThat(xff.send(TomcatServer.post(delivery("/hooks/proxied", "evt_px_3", "invoice.paid"))
          .uri(java.net.URI.create(xff.url("/hooks/proxied"))).header("Forwarded", "for=198.51.100.9;proto=https")
          .header("X-Forwarded-For", "203.0.113.1").build()).statusCode()).as("client-sent Forwarded").isEqualTo(403);
      assertThat(xff.send(TomcatServer.post(delivery("/hooks/proxied", "evt_px_4", "invoice.paid"))
          .uri(java.net.URI.create(xff.url("/hooks/proxied"))).header("X-Forwarded-For", "not-an-ip").build())
          .statusCode()).isEqualTo(403);
    }
    try (TomcatServer rfc = TomcatServer.start(proxied
            .proxies(TrustedProxies.builder(TrustedProxies.Headers.FORWARDED).trust("127.0.0.1").build()).build(),
        Map.of("/hooks/*", app))) {
      assertThat(rfc.send(TomcatServer.post(delivery("/hooks/proxied", "evt_px_5", "invoice.paid"))
          .uri(java.net.URI.create(rfc.url("/hooks/proxied"))).header("Forwarded", "for=198.51.100.9;proto=https")
          .header("X-Forwarded-For", "203.0.113.1").build()).statusCode()).isEqualTo(200);
    }

    assertThat(audits).extracting(DeliveryAudit::sourceAddress)
        .containsExactly("198.51.100.7", "203.0.113.1", "203.0.113.1", "127.0.0.1", "198.51.100.9");
  }

  @Test
  void unexpectedEventTypesAreAcknowledgedOrRejectedButNeverHandled() {
    HttpResponse<String> ignored = send(delivery("/hooks/typed", "evt_type_1", "charge.refunded"));
    assertThat(ignored.statusCode()).isEqualTo(200);
    assertThat(ignored.headers().firstValue(Answer.IGNORED_HEADER)).hasValue("event-type");
    assertThat(send(delivery("/hooks/typed", "evt_type_2", "customer.subscription.updated")).statusCode())
        .isEqualTo(200);
    assertThat(send(delivery("/hooks/typed", "evt_type_3", "customer")).headers()
        .firstValue(Answer.IGNORED_HEADER)).hasValue("event-type");
    HttpResponse<String> rejected = send(delivery("/hooks/strict", "evt_type_4", "charge.refunded"));
    assertThat(rejected.statusCode()).isEqualTo(422);
    assertThat(rejected.body()).contains("urn:hookguard:problem:unexpected-event-type");

    assertThat(app.runsOf("evt_type_1")).isZero();
    assertThat(app.runsOf("evt_type_2")).isEqualTo(1);
    assertThat(app.runsOf("evt_type_3") + app.runsOf("evt_type_4")).isZero();
  }

  @Test
  void everyDeliveryLeavesOneAuditRecordWithItsOutcome() {
    WebhookRequest valid = delivery("/hooks/typed", "evt_audit_1", "invoice.paid");
    send(valid);
    send(STRIPE.sign(valid));
    send(delivery("/hooks/typed", "evt_audit_2", "invoice.paid").toBuilder().setHeader("Stripe-Signature", "t=1,v1=00")
        .build());
    send(delivery("/hooks/typed?status=503", "evt_audit_3", "invoice.paid"));
    send(delivery("/hooks/typed", "evt_audit_4", "charge.refunded\\nforged log line"));

    assertThat(audits).hasSize(5);
    DeliveryAudit processed = audits.get(0);
    assertThat(processed.outcome()).isEqualTo(DeliveryAudit.Outcome.PROCESSED);
    assertThat(processed.status()).isEqualTo(200);
    assertThat(processed.eventId()).isEqualTo("evt_audit_1");
    assertThat(processed.eventType()).isEqualTo("invoice.paid");
    assertThat(processed.provider()).isEqualTo("stripe");
    assertThat(processed.endpoint()).isEqualTo("typed");
    assertThat(processed.dedup()).isEqualTo(DeliveryAudit.Dedup.CLAIMED);
    assertThat(processed.handlerTime()).isPresent();
    assertThat(audits.get(1).outcome()).isEqualTo(DeliveryAudit.Outcome.DUPLICATE);
    assertThat(audits.get(2)).satisfies(rejected -> {
      assertThat(rejected.outcome()).isEqualTo(DeliveryAudit.Outcome.REJECTED);
      assertThat(rejected.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
      assertThat(rejected.eventId()).as("unverified ids are not recorded").isNull();
      assertThat(rejected.handlerTime()).isEmpty();
    });
    assertThat(audits.get(3).outcome()).isEqualTo(DeliveryAudit.Outcome.FAILED);
    assertThat(audits.get(3).status()).isEqualTo(503);
    assertThat(audits.get(4).outcome()).isEqualTo(DeliveryAudit.Outcome.IGNORED);
    assertThat(audits.get(4).eventType()).isEqualTo("charge.refunded?forged log line");
    String line = Slf4jDeliveryAuditLogger.format(audits.get(4));
    assertThat(line).doesNotContain("\n").doesNotContain(SECRET).doesNotContain("{\"id\"")
        .contains("outcome=ignored").contains("status=200");
    assertThat(Slf4jDeliveryAuditLogger.format(processed)).doesNotContain(SECRET).contains("event=evt_audit_1");
  }
}
