package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes every header parser of every scheme with random and structure-aware values, and the
 * body readers with random bytes: each must end in a typed rejection, never an exception. Bounded
 * by try counts so it runs in seconds within {@code ./mvnw verify}.
 */
class HeaderFuzzTest {

  /** Pieces real headers are made of, so that random values get past the first checks. */
  private static final List<String> FRAGMENTS = List.of("t=", "ts=", "v1=", "v0=", "h1=", "v1,",
      "v1a,", "sha256=", "sha1=", ",", ";", " ", "  ", "=", "==", "-", "+", ".", ":", "1700000000",
      "1764000000", "1764000000000", "2026-11-24T12:00:00Z", "abcdef0123456789", "ABCDEF",
      "QUJDREVGRw==", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "\u00e9", "\ud83d\ude80",
      "\u0000", "\r\n", "%", "\"", "{", "}", "99999999999999999999999", "-1", "1.5", "1e9");

  @Provide
  Arbitrary<Fixtures.Keyed> schemes() {
    return Arbitraries.of(Fixtures.allSchemes().toList());
  }

  @Provide
  Arbitrary<String> headerValues() {
    Arbitrary<String> structured = Arbitraries.of(FRAGMENTS).list().ofMaxSize(12)
        .map(parts -> String.join("", parts));
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(200);
    Arbitrary<String> huge = Arbitraries.strings().withChars("ab=,0").ofMinLength(8000).ofMaxLength(20000);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, structured), net.jqwik.api.Tuple.of(3, anything), net.jqwik.api.Tuple.of(1, huge));
  }

  @Provide
  Arbitrary<WebhookRequest> fuzzedDeliveries() {
    return Combinators.combine(schemes(), headerValues(), Arbitraries.integers().between(0, 20))
        .as((keyed, value, which) -> {
          WebhookRequest signed = keyed.signedSample();
          List<String> names = List.copyOf(signed.headers().names());
          String name = names.get(which % names.size());
          return Fixtures.withHeader(signed, name, value).toBuilder()
              .header("X-Fuzz-Scheme", keyed.scheme().id()).build();
        });
  }

  @Property(tries = 4000)
  void anyHeaderValueEndsInATypedRejection(@ForAll("fuzzedDeliveries") WebhookRequest request) {
    WebhookScheme scheme = Fixtures.scheme(request.headers().first("X-Fuzz-Scheme"));
    VerificationResult result = Fixtures.keyed(scheme).verifier().verify(request);

    assertThat(result).isNotNull();
    if (result instanceof Rejection rejection) {
      assertThat(rejection.reason()).isNotNull();
      assertThat(rejection.detail()).hasSizeLessThan(300);
    }
  }

  @Property(tries = 1500)
  void anyBodyEndsInATypedRejectionOrVerification(@ForAll("schemes") Fixtures.Keyed keyed,
      @ForAll byte[] body) {
    WebhookRequest signed = keyed.signedSample();

    VerificationResult result = keyed.verifier().verify(Fixtures.withBody(signed, body));

    assertThat(result).isNotNull();
  }

  @Property(tries = 1500)
  void anyBodySignedByTheSchemesSignerVerifies(@ForAll("schemes") Fixtures.Keyed keyed,
      @ForAll byte[] body) {
    if (keyed.scheme().id().equals("linear")) {
      return; // needs its timestamp inside the body
    }
    WebhookRequest signed = keyed.signer().sign(Fixtures.withBody(Fixtures.sampleRequest(), body));

    assertThat(keyed.verifier().verify(signed).isVerified()).isTrue();
  }
}
