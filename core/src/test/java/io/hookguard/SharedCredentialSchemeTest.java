package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Senders that sign nothing and send a credential instead ({@link SchemeBuilder#sharedToken()},
 * {@link SchemeBuilder#basicAuth()}): Telegram, a bearer token, HTTP basic authentication.
 * Requests are written by hand here, not by Hookguard's signer.
 */
class SharedCredentialSchemeTest {
  private static final String BODY = "{\"update_id\":42,\"message\":{\"text\":\"hi\"}}";

  private static WebhookRequest with(String header, String value) {
    return WebhookRequest.builder().header(header, value).body(BODY).build();
  }

  private static String basic(String credentials) {
    return Base64.getEncoder().encodeToString(credentials.getBytes(UTF_8));
  }

  private static RejectionReason reason(VerificationResult result) {
    return ((Rejection) result).reason();
  }

  @Test
  void telegramAcceptsItsSecretTokenAndReadsUpdateIdAsTheUnsignedEventId() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.TELEGRAM).secret("bot-secret_1").build();

    VerifiedWebhook verified = verifier.verify(with("X-Telegram-Bot-Api-Secret-Token", "bot-secret_1")).orElseThrow();

    assertThat(verified.eventId()).contains("42");
    assertThat(Providers.TELEGRAM.signsEventId()).isFalse();
    assertThat(reason(verifier.verify(with("X-Telegram-Bot-Api-Secret-Token", "bot-secret_2"))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(reason(verifier.verify(with("X-Telegram-Bot-Api-Secret-Token", "bot-secret_1x"))))
        .as("a longer token that starts with the right one").isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(reason(verifier.verify(WebhookRequest.builder().body(BODY).build())))
        .isEqualTo(RejectionReason.MISSING_HEADER);
  }

  @Test
  void severalTokensAreAcceptedDuringARotation() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.BEARER_TOKEN)
        .secret("old-token").secret("new-token").build();

    assertThat(verifier.verify(with("Authorization", "Bearer old-token")).isVerified()).isTrue();
    assertThat(verifier.verify(with("Authorization", "Bearer new-token")).isVerified()).isTrue();
    assertThat(reason(verifier.verify(with("Authorization", "Bearer other-token"))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(reason(verifier.verify(with("Authorization", "new-token"))))
        .as("no Bearer prefix").isEqualTo(RejectionReason.MALFORMED_HEADER);
  }

  @Test
  void basicAuthComparesTheDecodedCredentialsWithAnyConfiguredPair() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.BASIC_AUTH)
        .secret("postmark:first-password").secret("postmark:second-password").build();

    assertThat(verifier.verify(with("Authorization", "Basic " + basic("postmark:first-password"))).isVerified()).isTrue();
    assertThat(verifier.verify(with("Authorization", "basic " + basic("postmark:second-password"))).isVerified())
        .as("the auth-scheme name is case-insensitive").isTrue();
    assertThat(verifier.verify(with("Authorization", "BASIC " + basic("postmark:second-password"))).isVerified()).isTrue();
    assertThat(reason(verifier.verify(with("Authorization", "Basic " + basic("postmark:third-password")))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(reason(verifier.verify(with("Authorization", "Basic " + basic("other:first-password")))))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(reason(verifier.verify(with("Authorization", "Basic " + basic("postmark:first-password").replace("=", "")))))
        .as("non-canonical base64").isEqualTo(RejectionReason.MALFORMED_HEADER);
  }

  @Test
  void basicAuthCredentialsMustBeUserColonPasswordAndAreNeverEchoed() {
    for (String bad : new String[] {"no-colon-secret", ":password-only"}) {
      assertThatThrownBy(() -> WebhookVerifier.builder(Providers.BASIC_AUTH).secret(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("user:password")
          .hasMessageNotContaining(bad);
    }
  }

  @Test
  void aSignerWritesTheCredentialTheVerifierAccepts() {
    for (WebhookScheme scheme : new WebhookScheme[] {Providers.TELEGRAM, Providers.BEARER_TOKEN, Providers.GITLAB}) {
      WebhookRequest signed = WebhookSigner.builder(scheme).secret("the-token").build()
          .sign(WebhookRequest.builder().body(BODY).build());
      assertThat(WebhookVerifier.builder(scheme).secret("the-token").build().verify(signed).isVerified())
          .as(scheme.id()).isTrue();
    }
    WebhookRequest basic = WebhookSigner.builder(Providers.BASIC_AUTH).secret("user:pass").build()
        .sign(WebhookRequest.builder().body(BODY).build());
    assertThat(basic.headers().first("Authorization")).isEqualTo("Basic " + basic("user:pass"));
  }

  @Test
  void aCustomHeaderTokenIsDescribedWithTheBuilder() {
    WebhookScheme azure = WebhookScheme.builder("azure-devops")
        .signatureHeader("X-Hook-Token").sharedToken()
        .eventIdJsonField("id").eventTypeJsonField("eventType")
        .build();
    VerifiedWebhook verified = WebhookVerifier.builder(azure).secret("t0ken").build().verify(
        WebhookRequest.builder().header("x-hook-token", "t0ken")
            .body("{\"id\":\"ev-1\",\"eventType\":\"git.push\"}").build()).orElseThrow();

    assertThat(verified.eventId()).contains("ev-1");
    assertThat(verified.eventType()).contains("git.push");
    assertThat(azure.signsEventId()).as("a token signs nothing, the body id included").isFalse();
    assertThat(azure.hasTimestamp()).isFalse();
  }

  @Test
  void aCredentialSchemeThatClaimsToSignSomethingIsRefusedByBuild() {
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("X-Token").sharedToken()
        .signedContent("{timestamp}.{body}").timestampHeader("X-Ts", TimestampFormat.UNIX_SECONDS).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("signs nothing");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("X-Token").sharedToken()
        .algorithm(HmacAlgorithm.SHA1).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("secrets");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("X-Token", "X-Other").sharedToken().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one header");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("X-Token").keyValueList(',', "v1", null)
        .sharedToken().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("Authorization").prefix("Basic ")
        .basicAuth().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no prefix");
    assertThatThrownBy(() -> WebhookScheme.builder("x").signatureHeader("X-Token").ed25519PublicKeys(PublicKeyEncoding.HEX)
        .sharedToken().build())
        .isInstanceOf(IllegalStateException.class);
  }
}
