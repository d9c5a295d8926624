package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * For every built-in scheme, {@code verify} over arbitrary URLs, methods, header values and
 * bodies returns a result and never throws. Deliveries start from a correctly signed one so that
 * the random parts reach the code past the first header checks (URL handling, decoding, MACs).
 */
class NeverThrowsPropertyTest {

  /** Pieces URLs are made of, including the broken ones: lone and short %-escapes, odd ports. */
  private static final List<String> URL_FRAGMENTS = List.of("https://", "http://", "HTTPS://",
      "mailto:", "urn:", "/", "//", "?", "&", "#", "=", "%", "%X", "%3", "%3A", "%3a", "%2F", "%zz",
      "%%", ":", ":443", ":80", ":", "[", "]", "[::1]", "@", "user:pw@", "hooks.example.com",
      "bodySHA256=", "bodySHA256=abc", "bodySHA256=" + "0".repeat(64), "x=1", " ", "\u00e9",
      "\ud83d\ude80", "\u0000", "\r\n", "..", "a_b");

  private static final List<String> HEADER_FRAGMENTS = List.of("t=", "v1=", "v0=", "v1,", "v1a,",
      "sha256=", "sha1=", ",", ";", " ", "=", "1764000000", "1764000000000", "2026-11-24T12:00:00Z",
      "abcdef0123456789", "QUJDREVGRw==", "%", "\u00e9", "\u0000", "-1");

  @Provide
  Arbitrary<Fixtures.Keyed> schemes() {
    return Arbitraries.of(Fixtures.allSchemes().toList());
  }

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> structured = Arbitraries.of(URL_FRAGMENTS).list().ofMinSize(1).ofMaxSize(10)
        .map(parts -> String.join("", parts));
    Arbitrary<String> suffixed = Arbitraries.of(URL_FRAGMENTS).list().ofMinSize(1).ofMaxSize(4)
        .map(parts -> Fixtures.URL + String.join("", parts));
    Arbitrary<String> anything = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(120);
    return Arbitraries.frequencyOf(Tuple.of(4, structured), Tuple.of(4, suffixed), Tuple.of(2, anything));
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.oneOf(Arbitraries.of("POST", "GET", "PUT", "post", ""),
        Arbitraries.strings().all().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> headerValues() {
    Arbitrary<String> structured = Arbitraries.of(HEADER_FRAGMENTS).list().ofMaxSize(8)
        .map(parts -> String.join("", parts));
    return Arbitraries.oneOf(structured, Arbitraries.strings().all().ofMaxLength(100));
  }

  @Provide
  Arbitrary<WebhookRequest> deliveries() {
    Arbitrary<byte[]> bodies = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.just(Fixtures.sampleJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Arbitraries.of("a=1&b=%", "a=%X", "x=%zz&y", "=&=", "%").map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return Combinators.combine(schemes(), urls(), methods(), headerValues(),
        Arbitraries.integers().between(0, 30), bodies, Arbitraries.of(true, false))
        .as((keyed, url, method, value, which, body, form) -> {
          WebhookRequest signed = keyed.signedSample();
          List<String> names = List.copyOf(signed.headers().names());
          String name = names.get(which % names.size());
          WebhookRequest.Builder request = Fixtures.withHeader(signed, name, value).toBuilder()
              .url(url).method(method).body(body)
              .header("X-Fuzz-Scheme", keyed.scheme().id());
          if (form) {
            request.setHeader("Content-Type", "application/x-www-form-urlencoded");
          }
          return request.build();
        });
  }

  @Property(tries = 3000)
  void verifyReturnsAResultForAnyUrlMethodHeaderAndBody(@ForAll("deliveries") WebhookRequest request) {
    WebhookScheme scheme = Fixtures.scheme(request.headers().first("X-Fuzz-Scheme"));
    WebhookVerifier verifier = Fixtures.keyed(scheme).verifier();

    assertThatCode(() -> assertThat(verifier.verify(request)).isNotNull()).doesNotThrowAnyException();
  }

  /** The URL alone changes, on a delivery that is otherwise exactly as signed. */
  @Property(tries = 2000)
  void verifyReturnsAResultForAnyUrlOfASignedDelivery(@ForAll("schemes") Fixtures.Keyed keyed,
      @ForAll("urls") String url) {
    WebhookRequest request = keyed.signedSample().toBuilder().url(url).build();

    assertThatCode(() -> assertThat(keyed.verifier().verify(request)).isNotNull())
        .doesNotThrowAnyException();
  }
}
