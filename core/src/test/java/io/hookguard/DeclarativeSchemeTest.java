package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Schemes described as data, built in the test (the built-ins are built once when
 * {@link Providers} loads): every inconsistent description is refused, and the key kinds a
 * scheme has no use for are refused with the kind it wants.
 */
class DeclarativeSchemeTest {

  private static DeclarativeScheme.Builder base(String id) {
    return DeclarativeScheme.builder(id).format(SignatureFormat.prefixed("")).content("{body}")
        .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8);
  }

  @Test
  void inconsistentDescriptionsAreRefused() {
    assertThatThrownBy(() -> base("x").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: a signature header is required");
    assertThatThrownBy(() -> base("x").signatureHeader("S").content("{timestamp}{body}").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("x: the signed content uses {timestamp}, but no timestamp source is set");
    assertThatThrownBy(() -> base("x").signatureHeader("S")
        .format(SignatureFormat.keyValueList(',', "v1", null))
        .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: the signature format carries no timestamp");
    assertThatThrownBy(() -> base("x").headers("S", "T", null).content("{id}{body}")
        .timestampInHeader(TimestampFormat.UNIX_SECONDS).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("x: the signed content uses {id}, but no id header is set");
    assertThatThrownBy(() -> base("x").headers("S", "T", "I").headers("S2", null, "I2")
        .timestampInHeader(TimestampFormat.UNIX_SECONDS).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("x: a timestamp header is required");
  }

  @Test
  void consistentDescriptionsBuild() {
    DeclarativeScheme withTimestamp = base("y").headers("S", "T", "I").content("{id}.{timestamp}.{body}")
        .timestampInHeader(TimestampFormat.UNIX_SECONDS).tolerance(Duration.ofSeconds(42)).build();
    DeclarativeScheme inSignature = base("z").signatureHeader("S")
        .format(SignatureFormat.keyValueList(',', "v1", "t"))
        .timestampInSignatureHeader(TimestampFormat.UNIX_SECONDS).build();
    DeclarativeScheme none = base("w").signatureHeader("S").tolerance(Duration.ofSeconds(42)).build();

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
    DeclarativeScheme fresh = base("v").signatureHeader("S").build();
    assertThatThrownBy(() -> fresh.privateKey("abc")).hasMessage("v deliveries are signed with a secret, not a private key");
    assertThatThrownBy(() -> fresh.publicKey("abc")).hasMessage("v deliveries are verified with a secret, not a public key");
  }

  @Test
  void mismatchDetailsNameTheHeaderAndTheReason() {
    DeclarativeScheme scheme = DeclarativeScheme.builder("u").signatureHeader("X-Sig")
        .format(SignatureFormat.keyValueList(',', "v1", null)).content("{body}")
        .hmac(HmacAlgorithm.SHA256, SecretEncoding.UTF8).build();
    WebhookVerifier verifier = WebhookVerifier.builder(scheme).secret("s").build();

    Rejection wrong = (Rejection) verifier.verify(WebhookRequest.builder().header("X-Sig", "v1=00").build());
    assertThat(wrong.detail()).isEqualTo("no signature in X-Sig matches a configured key");
    assertThat(wrong.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);

    WebhookVerifier v2Only = WebhookVerifier.builder(DeclarativeScheme.builder("t").signatureHeader("X-Sig")
        .format(SignatureFormat.versionedList()).content("{body}")
        .hmac("v2", HmacAlgorithm.SHA256, SecretEncoding.UTF8).build()).secret("s").build();
    Rejection unsupported = (Rejection) v2Only.verify(WebhookRequest.builder().header("X-Sig", "v1,AAAA").build());
    assertThat(unsupported.reason()).isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
    assertThat(unsupported.detail()).isEqualTo("X-Sig carries no signature of a version this endpoint checks");

    Rejection twilio = (Rejection) Fixtures.keyed(Providers.TWILIO).verifier().verify(
        Fixtures.sampleRequest().toBuilder().header("X-Twilio-Signature", "AAAA").build());
    assertThat(twilio.detail()).isEqualTo("no signature in X-Twilio-Signature matches a configured key");
  }
}
