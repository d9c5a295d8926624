package io.hookguard.test;

import static java.util.Objects.requireNonNull;

import io.hookguard.WebhookScheme;

/**
 * Keys for tests, one pair per kind of key a built-in sender uses: configure the endpoint under
 * test with {@link #verificationKey}, and {@link TestWebhook#of(WebhookScheme)} signs with the
 * matching {@link #signingKey}. They are published in this jar: never configure them outside
 * tests.
 */
public final class TestKeys {
  /** The shared secret of HMAC and token senders (GitHub, Stripe, Slack, …). */
  public static final String SECRET = "hookguard-test-secret";

  /** Standard Webhooks' {@code whsec_} form: base64 of 32 bytes. */
  public static final String STANDARD_WEBHOOKS_SECRET = "whsec_aG9va2d1YXJkLXRlc3Qta2l0LXNlY3JldC0zMmI=";

  /** Discord's application public key (Ed25519, hex). */
  public static final String DISCORD_PUBLIC_KEY =
      "0d09f8138cd5515f5d7c5b5bbe99f119ef611df23cdb309f29f13b6cf2ca3af1";

  /** The Ed25519 private key (hex seed) that {@link #DISCORD_PUBLIC_KEY} verifies. */
  public static final String DISCORD_PRIVATE_KEY =
      "d6c13316e74fccb0726350ce9aaedd7eac9ae8fca08794da09f8b64df6e33009";

  /** SendGrid's verification key (ECDSA P-256, base64 X.509 DER). */
  public static final String SENDGRID_PUBLIC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElc1TWCO14FsPEqKQSklosEaPmIeQfW3Mt/JY5QAdbsSVrL+ixy4wHpW/iGHtnInGXxZfKNooQuoRKkUhlT7HOQ==";

  /** The ECDSA P-256 private key (base64 PKCS#8 DER) that {@link #SENDGRID_PUBLIC_KEY} verifies. */
  public static final String SENDGRID_PRIVATE_KEY = "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCBu3qo2TPQKnVr0lNYdmFQXA5SMljJmRCzII2WUHjVM6g==";

  // The "wrong" keys of TestWebhook.signedWithWrongKey(): valid keys of the same form.
  static final String OTHER_SECRET = "hookguard-test-wrong-secret";
  static final String OTHER_STANDARD_WEBHOOKS_SECRET = "whsec_aG9va2d1YXJkLXRlc3Qta2l0LXdyb25nLWtleSE=";
  static final String OTHER_ED25519_PRIVATE_KEY =
      "dbee075e237093f0bc8d696a4e759105b6717f0a3d208eb799861d2a7a287758";
  static final String OTHER_ECDSA_PRIVATE_KEY = "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCBQPAfprdL92DYuEiCxXk0Cnc6kMAmh7+70Q742845HdA==";

  private TestKeys() {}

  /**
   * What to configure the endpoint under test with ({@code hookguard.endpoints.<name>.secrets},
   * or {@code WebhookVerifier.Builder.secret}/{@code publicKey}) so that
   * {@link TestWebhook#of(WebhookScheme)} deliveries verify.
   *
   * @param scheme the sender's scheme
   * @return the secret, or the public key for {@code discord} and {@code sendgrid}
   * @throws IllegalArgumentException for a public-key scheme other than those two (sign with
   *     {@link TestWebhook#of(WebhookScheme, String)} and your own private key)
   */
  public static String verificationKey(WebhookScheme scheme) {
    return switch (requireNonNull(scheme, "scheme").id()) {
      case "standard-webhooks" -> STANDARD_WEBHOOKS_SECRET;
      case "discord" -> DISCORD_PUBLIC_KEY;
      case "sendgrid" -> SENDGRID_PUBLIC_KEY;
      default -> requireSecretScheme(scheme, SECRET);
    };
  }

  /**
   * The key {@link TestWebhook#of(WebhookScheme)} signs with: the secret itself, or the private
   * key of {@link #verificationKey}'s public key.
   *
   * @param scheme the sender's scheme
   * @return the secret or private key
   * @throws IllegalArgumentException as {@link #verificationKey}
   */
  public static String signingKey(WebhookScheme scheme) {
    return switch (requireNonNull(scheme, "scheme").id()) {
      case "standard-webhooks" -> STANDARD_WEBHOOKS_SECRET;
      case "discord" -> DISCORD_PRIVATE_KEY;
      case "sendgrid" -> SENDGRID_PRIVATE_KEY;
      default -> requireSecretScheme(scheme, SECRET);
    };
  }

  /** Another valid key of the same form, which the endpoint's key does not verify. */
  static String otherSigningKey(WebhookScheme scheme, String key) {
    if (scheme.usesPublicKeys()) {
      String other = key.matches("[0-9a-f]{64}") ? OTHER_ED25519_PRIVATE_KEY : OTHER_ECDSA_PRIVATE_KEY;
      return other.equals(key) ? (key.matches("[0-9a-f]{64}") ? DISCORD_PRIVATE_KEY : SENDGRID_PRIVATE_KEY) : other;
    }
    if (key.startsWith("whsec_")) {
      return key.equals(OTHER_STANDARD_WEBHOOKS_SECRET) ? STANDARD_WEBHOOKS_SECRET : OTHER_STANDARD_WEBHOOKS_SECRET;
    }
    return key.equals(OTHER_SECRET) ? SECRET : OTHER_SECRET;
  }

  private static String requireSecretScheme(WebhookScheme scheme, String secret) {
    if (scheme.usesPublicKeys()) {
      throw new IllegalArgumentException(scheme.id() + " is verified with a public key the test kit"
          + " has no pair for: sign with TestWebhook.of(scheme, yourPrivateKey)");
    }
    return secret;
  }
}
