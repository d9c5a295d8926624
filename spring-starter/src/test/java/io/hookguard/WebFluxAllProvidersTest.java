package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.spring.HookguardWebFlux;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Every built-in provider end to end through the WebFlux adapter on Netty: a delivery signed the
 * provider's way reaches its functional route (behind {@link HookguardWebFlux#verified}) with its
 * exact bytes; the same delivery with one authenticated byte changed is refused and never
 * reaches it. Configured through {@code hookguard.endpoints.*} as an application would be.
 */
@SpringBootTest(classes = WebFluxAllProvidersTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive", "hookguard.dedup.missing-event-id=run"})
class WebFluxAllProvidersTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final AtomicInteger HANDLED = new AtomicInteger();

  /** One functional route per built-in scheme, at {@code /hooks/<id>}, named as the scheme. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    /** The fixtures' fixed clock: their signed timestamps are in its window. */
    @Bean
    Clock clock() {
      return Fixtures.CLOCK;
    }

    /** Where AWS SNS's endpoint fetches its certificate: the fixtures' own, served without a network. */
    @Bean
    RemoteDocuments remoteDocuments() {
      return Fixtures.DOCUMENTS;
    }

    @Bean
    RouterFunction<ServerResponse> everyProvider(HookguardWebFlux hookguard) {
      RouterFunctions.Builder routes = RouterFunctions.route();
      providers().map(Fixtures.Keyed::scheme).forEach(scheme -> routes.add(RouterFunctions.route()
          .POST("/hooks/" + scheme.id(), request -> request.bodyToMono(byte[].class).flatMap(body -> {
            HANDLED.incrementAndGet();
            VerifiedWebhook delivery = HookguardWebFlux.verifiedWebhook(request).orElseThrow();
            return ServerResponse.ok().bodyValue("{\"provider\":\"" + delivery.provider() + "\",\"sha256\":\""
                + sha256(body) + "\",\"eventId\":\"" + delivery.eventId().orElse("") + "\"}");
          }))
          .filter(hookguard.verified(scheme.id()))
          .build()));
      return routes.build();
    }
  }

  @DynamicPropertySource
  static void endpoints(DynamicPropertyRegistry registry) {
    providers().map(Fixtures.Keyed::scheme).forEach(scheme -> {
      registry.add("hookguard.endpoints." + scheme.id() + ".provider", scheme::id);
      registry.add("hookguard.endpoints." + scheme.id() + ".secrets", () -> Fixtures.keyText(scheme));
    });
    // Google ID tokens: the scheme is made from the endpoint's audience and service account.
    registry.add("hookguard.endpoints.google-id-token.audience", () -> Fixtures.GOOGLE_AUDIENCE);
    registry.add("hookguard.endpoints.google-id-token.service-account", () -> Fixtures.GOOGLE_EMAIL);
  }

  @Value("${local.server.port}")
  int port;

  static Stream<Fixtures.Keyed> providers() {
    return Fixtures.allSchemes();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private WebhookRequest signed(Fixtures.Keyed keyed) {
    return keyed.signer().sign(Fixtures.sampleRequest().toBuilder()
        .url("http://127.0.0.1:" + port + "/hooks/" + keyed.scheme().id() + "?tenant=a").build());
  }

  private static HttpResponse<String> send(WebhookRequest signed) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url())).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void aSignedDeliveryReachesTheRouteWithItsExactBytes(Fixtures.Keyed keyed) {
    WebhookRequest signed = signed(keyed);

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"provider\":\"" + keyed.scheme().id() + "\"")
        .contains("\"sha256\":\"" + sha256(signed.body()) + "\"");
    String expectedId = Fixtures.EXPECTED_EVENT_IDS.get(keyed.scheme().id());
    if (expectedId != null) {
      assertThat(response.body()).contains("\"eventId\":\"" + expectedId + "\"");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void oneChangedByteIsRefusedBeforeTheRoute(Fixtures.Keyed keyed) {
    WebhookRequest signed = signed(keyed);
    int before = HANDLED.get();

    HttpResponse<String> response = send(Fixtures.tampered(keyed, signed));

    assertThat(response.statusCode()).as(response.body()).isIn(400, 401);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(HANDLED.get()).isEqualTo(before);
  }
}
