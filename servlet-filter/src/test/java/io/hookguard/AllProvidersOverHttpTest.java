package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.servlet.RecordingServlet;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.servlet.WebhookFilter;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import io.hookguard.servlet.Container;
import io.hookguard.servlet.TestServer;

/**
 * Every built-in provider end to end through the filter in a real container (Tomcat 11 and Jetty
 * 12, one run each): a delivery signed the provider's way reaches the servlet with its exact
 * bytes; the same delivery with one byte changed is rejected and never reaches it.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class AllProvidersOverHttpTest {
  /** The container this run of the class is in. */
  @Parameter
  Container container;

  /** The application, fresh per container: its run counts are per event id. */
  private static RecordingServlet app;
  private static TestServer server;

  static Stream<Fixtures.Keyed> providers() {
    return Fixtures.allSchemes();
  }

  @BeforeParameterizedClassInvocation
  static void start(Container container) {
    app = new RecordingServlet();
    WebhookFilter.Builder filter = WebhookFilter.builder();
    providers().forEach(keyed ->
        filter.endpoint("/hooks/" + keyed.scheme().id(),
            WebhookEndpoint.builder(keyed.scheme().id(), keyed.verifier()).build()));
    server = container.start(filter.build(), Map.of("/hooks/*", app));
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    server.close();
  }

  private static WebhookRequest signed(Fixtures.Keyed keyed) {
    WebhookRequest unsigned = Fixtures.sampleRequest().toBuilder()
        .url(server.url("/hooks/" + keyed.scheme().id() + "?tenant=a")).build();
    return keyed.signer().sign(unsigned);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aSignedDeliveryReachesTheServletWithItsExactBytes(Fixtures.Keyed keyed) {
    WebhookRequest signed = signed(keyed);

    HttpResponse<String> response = server.send(TestServer.post(signed).build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"provider\":\"" + keyed.scheme().id() + "\"")
        .contains("\"sha256\":\"" + RecordingServlet.sha256(signed.body()) + "\"");
    String expectedId = Fixtures.EXPECTED_EVENT_IDS.get(keyed.scheme().id());
    if (expectedId != null) {
      assertThat(response.body()).contains("\"eventId\":\"" + expectedId + "\"");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void oneChangedByteIsRejectedBeforeTheServlet(Fixtures.Keyed keyed) {
    WebhookRequest signed = signed(keyed);
    int before = app.requests();

    HttpResponse<String> response = server.send(TestServer.post(Fixtures.tampered(keyed, signed)).build());

    assertThat(response.statusCode()).as(response.body()).isIn(400, 401);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(app.requests()).isEqualTo(before);
  }
}
