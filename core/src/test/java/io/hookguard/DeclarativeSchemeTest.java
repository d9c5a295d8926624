package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Schemes described as data with the public {@link SchemeBuilder}, built in the test (the
 * built-ins are built once when {@link Providers} loads): every inconsistent description is
 * refused, and the key kinds a scheme has no use for are refused with the kind it wants.
 */
class DeclarativeSchemeTest {

  private static SchemeBuilder base(String id) {
    return WebhookScheme.builder(id).prefix("").signedContent("{body}")
        .algorithm(HmacAlgorithm.SHA256).secretEncoding(SecretEncoding.UTF8);
  }

  @Test
  void inconsistentDescriptionsAreRefused() {
    assertThatThrownBy(() -> base("x").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: signatureHeader is required");
    assertThatThrownBy(() -> base("x").signatureHeader("S").signedContent("{timestamp}{body}").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("x: the signed content uses {timestamp}, but no timestamp source is set");
    assertThatThrownBy(() -> base("x").signatureHeader("S")
        .keyValueList(',', "v1", null)
        .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: the signature format carries no timestamp");
    assertThatThrownBy(() -> base("x").signatureHeader("S").signedContent("{id}{body}")
        .timestampHeader("T", TimestampFormat.UNIX_SECONDS).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("x: the signed content uses {id}, but no id header is set");
    assertThatThrownBy(() -> base("x").signatureHeader("S").timestampHeader("T", TimestampFormat.UNIX_SECONDS)
        .idHeader("I").headerFamily("S2", null, "I2").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("x: header family S2 has no timestamp header, and the timestamp is read from one");
  }

  @Test
  void consistentDescriptionsBuild() {
    WebhookScheme withTimestamp = base("y").signatureHeader("S").timestampHeader("T", TimestampFormat.UNIX_SECONDS)
        .idHeader("I").signedContent("{id}.{timestamp}.{body}").defaultTolerance(Duration.ofSeconds(42)).build();
    WebhookScheme inSignature = base("z").signatureHeader("S")
        .keyValueList(',', "v1", "t")
        .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS).build();
    WebhookScheme none = base("w").signatureHeader("S").defaultTolerance(Duration.ofSeconds(42)).build();

    assertThat(withTimestamp.hasTimestamp()).isTrue();
    assertThat(withTimestamp.defaultTolerance()).contains(Duration.ofSeconds(42));
    assertThat(inSignature.hasTimestamp()).isTrue();
    assertThat(none.hasTimestamp()).isFalse();
    assertThat(none.defaultTolerance()).as("no timestamp, no window").isEmpty();
    assertThat(none.usesPublicKeys()).isFalse();
    assertThat(Providers.DISCORD.usesPublicKeys()).isTrue();
  }

  @Test
  void keyKindsTheSchemeHasNoUseForAreRefusedNamingTheKindItWants() {
    assertThatThrownBy(() -> WebhookSigner.builder(Providers.GITHUB).privateKey("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("github deliveries are signed with a secret, not a private key");
    assertThatThrownBy(() -> WebhookSigner.builder(Providers.DISCORD).secret("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("discord deliveries are signed with a private key, not a secret");
    WebhookScheme fresh = base("v").signatureHeader("S").build();
    assertThatThrownBy(() -> fresh.privateKey("abc")).hasMessage("v deliveries are signed with a secret, not a private key");
    assertThatThrownBy(() -> fresh.publicKey("abc")).hasMessage("v deliveries are verified with a secret, not a public key");
  }

  @Test
  void mismatchDetailsNameTheHeaderAndTheReason() {
    WebhookScheme scheme = WebhookScheme.builder("u").signatureHeader("X-Sig")
        .keyValueList(',', "v1", null).signedContent("{body}")
        .algorithm(HmacAlgorithm.SHA256).secretEncoding(SecretEncoding.UTF8).build();
    WebhookVerifier verifier = WebhookVerifier.builder(scheme).secret("s").build();

    Rejection wrong = (Rejection) verifier.verify(WebhookRequest.builder().header("X-Sig", "v1=00").build());
    assertThat(wrong.detail()).isEqualTo("no signature in X-Sig matches a configured key");
    assertThat(wrong.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);

    WebhookVerifier v2Only = WebhookVerifier.builder(WebhookScheme.builder("t").signatureHeader("X-Sig")
        .versionedList("v2").signedContent("{body}")
        .algorithm(HmacAlgorithm.SHA256).secretEncoding(SecretEncoding.UTF8).build()).secret("s").build();
    Rejection unsupported = (Rejection) v2Only.verify(WebhookRequest.builder().header("X-Sig", "v1,AAAA").build());
    assertThat(unsupported.reason()).isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
    assertThat(unsupported.detail()).isEqualTo("X-Sig carries no signature of a version this endpoint checks");

    Rejection twilio = (Rejection) Fixtures.keyed(Providers.TWILIO).verifier().verify(
        Fixtures.sampleRequest().toBuilder().header("X-Twilio-Signature", "AAAA").build());
    assertThat(twilio.detail()).isEqualTo("no signature in X-Twilio-Signature matches a configured key");
  }
}
