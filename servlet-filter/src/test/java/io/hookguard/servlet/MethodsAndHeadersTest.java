package io.hookguard.servlet;

import static io.hookguard.servlet.AttackTarget.assertProblem;
import static io.hookguard.servlet.AttackTarget.assertRefusedCleanly;
import static io.hookguard.servlet.AttackTarget.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Other methods and odd headers on an endpoint: 4xx, never the servlet, never a 5xx. */
class MethodsAndHeadersTest {
  private static AttackTarget target;

  @BeforeAll
  static void start() {
    target = AttackTarget.start();
  }

  @AfterAll
  static void stop() {
    target.close();
  }

  /** CONNECT is answered 501 by Tomcat itself (RFC 9110 lets a server refuse it so), before any filter. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET", "PUT", "DELETE", "OPTIONS", "TRACE", "HEAD", "PATCH", "PROPFIND"})
  void anUnsignedRequestWithAnotherMethodIsRefused(String method) {
    String probe = AttackTarget.probe();
    byte[] request = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
        ? RawHttp.head(method, AttackTarget.STRIPE_PATH, SeenServlet.PROBE_HEADER + ": " + probe)
        : RawHttp.request(method, AttackTarget.STRIPE_PATH, utf8(AttackTarget.stripeEvent("evt_method")),
            "Content-Type: application/json", SeenServlet.PROBE_HEADER + ": " + probe);

    RawHttp.Answer answer = RawHttp.exchange(target.port(), request);

    assertRefusedCleanly(answer);
    if (method.equals("HEAD")) {
      assertThat(answer.body()).as("HEAD answers carry no body").isEmpty();
    }
    assertThat(target.app.seen(probe)).as("%s %s", method, answer).isEmpty();
  }

  @Test
  void twoSignatureHeadersOfWhichOneIsForgedAreRefusedOrVerifiedButNeverPassedUnverified() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_dup_" + probe);
    WebhookRequest tampered = signed.toBuilder().body(AttackTarget.stripeEvent("evt_dup_" + probe).replace("4200", "1"))
        .header("Stripe-Signature", "t=1,v1=" + "0".repeat(64)).header(SeenServlet.PROBE_HEADER, probe).build();

    HttpResponse<String> response = target.server.send(TomcatServer.post(tampered).build());

    assertRefusedCleanly(response);
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @Test
  void aTenKilobyteSignatureHeaderIsAMalformedHeader() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_big_header_" + probe);
    WebhookRequest huge = signed.toBuilder()
        .setHeader("Stripe-Signature", signed.headers().first("Stripe-Signature") + ",v1=" + "a".repeat(10 * 1024))
        .header(SeenServlet.PROBE_HEADER, probe).build();

    HttpResponse<String> response = target.server.send(TomcatServer.post(huge).build());

    assertProblem(response, 400, "malformed-header");
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @Test
  void aTenKilobyteUnrelatedHeaderOnAnUnsignedRequestIsRefusedCleanly() {
    String probe = AttackTarget.probe();
    HttpResponse<String> response = target.server.send(HttpRequest.newBuilder(URI.create(target.url(AttackTarget.STRIPE_PATH)))
        .header("X-Padding", "p".repeat(10 * 1024)).header(SeenServlet.PROBE_HEADER, probe)
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

    assertRefusedCleanly(response);
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @Test
  void aGzipBodyIsAnUnsupportedContentEncoding() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_gzip_" + probe).toBuilder()
        .setHeader("Content-Encoding", "gzip").header(SeenServlet.PROBE_HEADER, probe).build();

    HttpResponse<String> response = target.server.send(TomcatServer.post(signed).build());

    assertProblem(response, 415, "unsupported-content-encoding");
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gzip, identity", "identity, gzip", "GZIP", "br", "x-gzip", "deflate", "compress"})
  void anyCompressedOrStackedContentEncodingIsUnsupported(String encoding) {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_enc_" + probe).toBuilder()
        .setHeader("Content-Encoding", encoding).header(SeenServlet.PROBE_HEADER, probe).build();

    HttpResponse<String> response = target.server.send(TomcatServer.post(signed).build());

    assertProblem(response, 415, "unsupported-content-encoding");
    assertThat(target.app.seen(probe)).isEmpty();
  }

  /**
   * A signed delivery whose Content-Type names a charset that does not exist: the application
   * could not read it as text (its reader would throw), so it is refused as bad input, never a 500.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"application/json; charset=no-such-charset", "application/json; charset=\"\"",
      "application/x-www-form-urlencoded; charset=x!y"})
  void aSignedDeliveryWithAGarbageCharsetIsA4xxNeverA500(String contentType) {
    String probe = AttackTarget.probe();
    boolean form = contentType.startsWith("application/x-www-form-urlencoded");
    WebhookRequest signed = form
        ? AttackTarget.SLACK.sign(WebhookRequest.builder().url(target.url(AttackTarget.SLACK_PATH))
            .header("Content-Type", contentType).header(SeenServlet.PROBE_HEADER, probe)
            .body("command=/deploy&text=x").build())
        : AttackTarget.STRIPE.sign(WebhookRequest.builder().url(target.url(AttackTarget.STRIPE_PATH))
            .header("Content-Type", contentType).header(SeenServlet.PROBE_HEADER, probe)
            .body(AttackTarget.stripeEvent("evt_charset_" + probe)).build());

    HttpResponse<String> response = target.server.send(TomcatServer.post(signed).build());

    assertProblem(response, 415, "unsupported-charset");
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @Test
  void anUnsignedRequestWithAGarbageCharsetIsRefusedCleanly() {
    String probe = AttackTarget.probe();
    byte[] request = RawHttp.request("POST", AttackTarget.SLACK_PATH, utf8("command=/deploy"),
        "Content-Type: application/x-www-form-urlencoded; charset=\u00ff\u00fe", SeenServlet.PROBE_HEADER + ": " + probe);

    RawHttp.Answer answer = RawHttp.exchange(target.port(), request);

    assertRefusedCleanly(answer);
    assertThat(target.app.seen(probe)).isEmpty();
  }
}
