package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A URL-signing scheme given a request without a URL: a caller bug, said as such, not a signature mismatch. */
class MissingUrlTest {

  static Stream<WebhookScheme> urlSigningSchemes() {
    return Stream.of(Providers.TWILIO, Providers.SQUARE, Providers.HUBSPOT, Providers.MANDRILL);
  }

  @ParameterizedTest
  @MethodSource("urlSigningSchemes")
  void verifyingWithoutAUrlWhereTheSchemeSignsItIsACallerBug(WebhookScheme scheme) {
    Fixtures.Keyed keyed = Fixtures.keyed(scheme);
    WebhookRequest signed = keyed.signedSample();

    for (WebhookRequest noUrl : List.of(signed.toBuilder().url("").build(),
        WebhookRequest.builder().body("{}").build())) {
      assertThatThrownBy(() -> keyed.verifier().verify(noUrl))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(scheme.id() + " signs the request URL")
          .hasMessageContaining("WebhookRequest.Builder.url(")
          .hasMessageNotContaining("demo-secret");
    }
  }

  @ParameterizedTest
  @MethodSource("urlSigningSchemes")
  void signingWithoutAUrlWhereTheSchemeSignsItIsACallerBug(WebhookScheme scheme) {
    WebhookSigner signer = Fixtures.keyed(scheme).signer();

    assertThatThrownBy(() -> signer.sign(WebhookRequest.builder().body("{}").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("URL");
  }

  @Test
  void schemesThatDoNotSignTheUrlNeedNone() {
    Fixtures.allSchemes()
        .filter(keyed -> urlSigningSchemes().noneMatch(keyed.scheme()::equals))
        .forEach(keyed -> assertThat(keyed.verifier()
            .verify(keyed.signedSample().toBuilder().url("").build()).isVerified())
            .as(keyed.scheme().id()).isTrue());
  }
}
