package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad configuration fails when the verifier is built, with a message that names no secret. */
class ConfigurationTest {
  private static final String SECRET = "super-secret-value-123";

  @Test
  void emptyOrBlankSecretsAreRejected() {
    for (String blank : List.of("", "   ", "\t")) {
      assertThatThrownBy(() -> WebhookVerifier.builder(Providers.GITHUB).secret(blank))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    }
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.GITHUB).secret(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void malformedEncodedSecretsNameTheProblemNotTheSecret() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret("whsec_not*base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret is not valid base64 after the whsec_ prefix")
        .hasMessageNotContaining("not*base64");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.DISCORD).publicKey("xyz"))
        .hasMessage("public key is not valid hexadecimal");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.DISCORD).publicKey("abcd"))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.SENDGRID).publicKey("QUJD"))
        .hasMessageContaining("not a valid EC public key");
  }

  @Test
  void keyKindMustFitTheScheme() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.DISCORD).secret(SECRET))
        .hasMessage("discord deliveries are verified with a public key, not a secret");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.GITHUB).publicKey(SECRET))
        .hasMessage("github deliveries are verified with a secret, not a public key");
  }

  @Test
  void aVerifierNeedsAKey() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STRIPE).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("stripe: configure at least one secret");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.DISCORD).build())
        .hasMessage("discord: configure at least one public key");
    assertThatThrownBy(() -> WebhookSigner.builder(Providers.STRIPE).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void windowSettingsMustFitTheScheme() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STRIPE).tolerance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.GITHUB).secret(SECRET)
        .tolerance(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("carry no signed timestamp");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STRIPE).secret(SECRET)
        .tolerance(Duration.ofMinutes(1)).withoutTimestampCheck().build())
        .hasMessageContaining("contradict");
  }

  @Test
  void separatePastAndFutureTolerances() {
    Fixtures.Keyed stripe = Fixtures.keyed(Providers.STRIPE);
    WebhookSigner signer = stripe.signer();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE).secret("demo-secret-stripe")
        .clock(Fixtures.CLOCK).pastTolerance(Duration.ofMinutes(10)).futureTolerance(Duration.ZERO).build();
    WebhookRequest unsigned = Fixtures.sampleRequest();

    assertThat(verifier.verify(signer.sign(unsigned, Fixtures.NOW.minusSeconds(599))).isVerified()).isTrue();
    assertThat(verifier.verify(signer.sign(unsigned, Fixtures.NOW)).isVerified()).isTrue();
    assertThat(((Rejection) verifier.verify(signer.sign(unsigned, Fixtures.NOW.plusSeconds(1)))).reason())
        .isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
    assertThat(((Rejection) verifier.verify(signer.sign(unsigned, Fixtures.NOW.minusSeconds(601)))).reason())
        .isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
  }

  @Test
  void withoutTimestampCheckAcceptsOldDeliveries() {
    WebhookSigner signer = Fixtures.keyed(Providers.SLACK).signer();
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.SLACK).secret("demo-secret-slack")
        .clock(Fixtures.CLOCK).withoutTimestampCheck().build();

    VerificationResult result = verifier.verify(signer.sign(Fixtures.sampleRequest(), Fixtures.NOW.minus(Duration.ofDays(400))));

    assertThat(result.orElseThrow().timestamp()).contains(Fixtures.NOW.minus(Duration.ofDays(400)));
  }

  @Test
  void nothingRevealsASecret() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build();
    WebhookSigner signer = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();
    WebhookRequest signed = signer.sign(WebhookRequest.builder().body("{}").build());

    assertThat(verifier.toString()).doesNotContain(SECRET).contains("stripe", "1 key");
    assertThat(signer.toString()).doesNotContain(SECRET);
    assertThat(signed.toString()).doesNotContain(signed.headers().first("Stripe-Signature"));
    Rejection rejection = (Rejection) verifier.verify(Fixtures.withBody(signed, "{ }".getBytes()));
    assertThat(rejection.toString() + rejection.detail()).doesNotContain(SECRET)
        .doesNotContain(signed.headers().first("Stripe-Signature").substring(14));
  }

  @Test
  void orElseThrowCarriesTheRejection() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.GITHUB).secret(SECRET).build();
    VerificationResult result = verifier.verify(WebhookRequest.builder().body("x").build());

    assertThatThrownBy(result::orElseThrow).isInstanceOf(WebhookVerificationException.class)
        .satisfies(e -> assertThat(((WebhookVerificationException) e).reason())
            .isEqualTo(RejectionReason.MISSING_HEADER))
        .hasMessage("github: X-Hub-Signature-256 header is missing");
  }

  @Test
  void providersAreLookedUpById() {
    assertThat(Providers.all()).hasSize(44).extracting(WebhookScheme::id).doesNotHaveDuplicates();
    assertThat(Providers.byId("stripe")).containsSame(Providers.STRIPE);
    assertThat(Providers.byId("svix")).containsSame(Providers.STANDARD_WEBHOOKS);
    assertThat(Providers.byId("nope")).isEmpty();
    for (WebhookScheme scheme : Providers.all()) {
      assertThat(scheme.defaultTolerance().isPresent()).as(scheme.id()).isEqualTo(scheme.hasTimestamp());
    }
  }

  @Test
  void headersAreCaseInsensitive() {
    Fixtures.Keyed github = Fixtures.keyed(Providers.GITHUB);
    WebhookRequest signed = github.signedSample();
    String signature = signed.headers().first("X-Hub-Signature-256");
    WebhookRequest lower = Fixtures.withoutHeader(signed, "X-Hub-Signature-256").toBuilder()
        .header("x-hub-signature-256", signature).build();

    assertThat(github.verifier().verify(lower).isVerified()).isTrue();
  }

  @Test
  void aPastOrAFutureToleranceAloneIsAWindowSetting() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.GITHUB).secret(SECRET)
        .pastTolerance(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no signed timestamp");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.GITHUB).secret(SECRET)
        .futureTolerance(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no signed timestamp");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STRIPE).secret(SECRET)
        .pastTolerance(Duration.ofSeconds(1)).withoutTimestampCheck().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("contradict");
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STRIPE).secret(SECRET)
        .futureTolerance(Duration.ofSeconds(1)).withoutTimestampCheck().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("contradict");
  }

  @Test
  void aVerifierDescribesItsWindowAndKeyCountButNoKey() {
    assertThat(WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).secret("other-secret").build())
        .hasToString("WebhookVerifier[stripe, 2 key(s), window -PT5M/+PT5M]");
    assertThat(WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).withoutTimestampCheck().build())
        .hasToString("WebhookVerifier[stripe, 1 key(s), no timestamp check]");
    assertThat(WebhookVerifier.builder(Providers.GITHUB).secret(SECRET).build())
        .hasToString("WebhookVerifier[github, 1 key(s), no timestamp check]");
    assertThat(WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).pastTolerance(Duration.ofSeconds(10))
        .build()).hasToString("WebhookVerifier[stripe, 1 key(s), window -PT10S/+PT5M]");
    assertThat(WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).futureTolerance(Duration.ofSeconds(10))
        .build()).hasToString("WebhookVerifier[stripe, 1 key(s), window -PT5M/+PT10S]");
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build();
    assertThat(verifier.scheme()).isSameAs(Providers.STRIPE);
    assertThat(Window.off(java.time.Clock.systemUTC()).isOff()).isTrue();
    assertThatThrownBy(() -> verifier.verify(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void severalSecretsAtOnceAllVerify() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.GITHUB)
        .secrets(List.of("first-secret", "second-secret")).build();
    for (String secret : List.of("first-secret", "second-secret")) {
      WebhookRequest signed = WebhookSigner.builder(Providers.GITHUB).secret(secret).build()
          .sign(WebhookRequest.builder().body("{}").build());
      assertThat(verifier.verify(signed).isVerified()).isTrue();
    }
  }
}
