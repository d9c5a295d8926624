package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Odd URLs (incomplete %-escapes, relative or opaque URLs) end in typed rejections, never an exception. */
class OddUrlTest {

  private static VerificationResult verifyWithUrl(WebhookScheme scheme, String url) {
    Fixtures.Keyed keyed = Fixtures.keyed(scheme);
    return keyed.verifier().verify(keyed.signedSample().toBuilder().url(url).build());
  }


  @ParameterizedTest
  @ValueSource(strings = {"%", "%X", "%3", "%%", "%3A%", "%zz", "/%", "?a=%X"})
  void hubspotUrlsEndingInAnIncompleteEscapeAreRejectedNotThrown(String tail) {
    VerificationResult result = verifyWithUrl(Providers.HUBSPOT, Fixtures.URL + tail);

    assertThat(result).isInstanceOfSatisfying(Rejection.class,
        r -> assertThat(r.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%", "%X", "%3", "a%3Ab%"})
  void hubspotSignsAnIncompleteEscapeAsItIs(String tail) {
    Fixtures.Keyed keyed = Fixtures.keyed(Providers.HUBSPOT);
    WebhookRequest signed = keyed.signer().sign(Fixtures.sampleRequest().toBuilder()
        .url(Fixtures.URL + tail).build());

    assertThat(keyed.verifier().verify(signed).isVerified()).isTrue();
  }

  @Test
  void decodedUrlLeavesIncompleteAndUnreservedEscapesAlone() {
    assertThat(ContentTemplate.decodeReserved("%")).isEqualTo("%");
    assertThat(ContentTemplate.decodeReserved("a%")).isEqualTo("a%");
    assertThat(ContentTemplate.decodeReserved("a%X")).isEqualTo("a%X");
    assertThat(ContentTemplate.decodeReserved("a%3")).isEqualTo("a%3");
    assertThat(ContentTemplate.decodeReserved("%3A")).isEqualTo(":");
    assertThat(ContentTemplate.decodeReserved("a%3a")).isEqualTo("a:");
    assertThat(ContentTemplate.decodeReserved("%3A%")).isEqualTo(":%");
    assertThat(ContentTemplate.decodeReserved("%41%2f%g1")).isEqualTo("%41/%g1");
    assertThat(ContentTemplate.decodeReserved("%%3B")).isEqualTo("%;");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mailto:x", "/path?x=1", "path", "urn:isbn:1", "http://[", "http:",
      "https:/x", "//host/p", "https://h:443", "https://a_b:443/p", "?bodySHA256=zz"})
  void twilioRelativeOrOpaqueUrlsAreRejectedNotThrown(String url) {
    VerificationResult result = verifyWithUrl(Providers.TWILIO, url);

    assertThat(result).isInstanceOfSatisfying(Rejection.class,
        r -> assertThat(r.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mailto:x", "/path?x=1", "urn:isbn:1"})
  void twilioVerifiesWhatItSignedEvenOnARelativeOrOpaqueUrl(String url) {
    Fixtures.Keyed keyed = Fixtures.keyed(Providers.TWILIO);
    WebhookRequest signed = keyed.signer().sign(Fixtures.sampleRequest().toBuilder().url(url).build());

    assertThat(keyed.verifier().verify(signed).isVerified()).isTrue();
  }

  @Test
  void twilioUrlVariantsOfRelativeAndOpaqueUrlsAreTheUrlAlone() {
    assertThat(TwilioScheme.urlVariants("mailto:x")).containsExactly("mailto:x");
    assertThat(TwilioScheme.urlVariants("/path?x=1")).containsExactly("/path?x=1");
    assertThat(TwilioScheme.urlVariants("http:x")).containsExactly("http:x");
    assertThat(TwilioScheme.urlVariants("ftp://a.test:21/p")).containsExactly("ftp://a.test:21/p");
    assertThat(TwilioScheme.urlVariants("HTTPS://a.test/p"))
        .containsExactly("HTTPS://a.test/p", "HTTPS://a.test:443/p");
  }
}
