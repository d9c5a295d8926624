package io.hookguard.test;

import static java.util.Objects.requireNonNull;

import io.hookguard.RemoteDocuments;
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

  /**
   * Standard Webhooks' {@code whsec_} form, base64 of 32 bytes: for {@code standard-webhooks} and
   * the senders built on it ({@code clerk}, {@code resend}, {@code openai}, {@code replicate}).
   */
  public static final String STANDARD_WEBHOOKS_SECRET = "whsec_aG9va2d1YXJkLXRlc3Qta2l0LXNlY3JldC0zMmI=";

  /** HTTP basic authentication's credentials, {@code user:password}, for {@code basic-auth}. */
  public static final String BASIC_AUTH_CREDENTIALS = "hookguard-test:" + SECRET;

  /** A Braintree API key pair, {@code publicKey:privateKey}, for {@code braintree}. */
  public static final String BRAINTREE_KEY_PAIR = "hookguard_test:" + SECRET;

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

  /** Telnyx's public key (Ed25519, base64 of the raw 32 bytes, as the Telnyx portal shows it). */
  public static final String TELNYX_PUBLIC_KEY = "/0Y/8BzymVcFRe2f4TJnl145OP3J9D5UC5SjQAx2vCo=";

  /** The Ed25519 private key (base64 seed) that {@link #TELNYX_PUBLIC_KEY} verifies. */
  public static final String TELNYX_PRIVATE_KEY = "1bM5fPLWlGJRN9xGG54W7qAFJwRqboik3QXVXWcr/IU=";

  /** Travis CI's public key (RSA 2048, base64 X.509 DER; the PEM form is accepted too). */
  public static final String TRAVIS_PUBLIC_KEY =
      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmVgpON0xSo97jwGuDyYPAsxSusc5ZTSkLnfd/Uk1DSVh"
      + "XIdODgQTYqtFpo5OoT99fQHpp2i2jdcuyarRS+YRr612wQeFKS4cHnaaCz5sauCaYq0p1734Qu6x7mVltF+Sb6WH"
      + "/q00pONT0A/9K2H2wT5yXLs02dje+B2RLM/wyscmuhVHqr9A984FDqxYeM4dOL37p1euoRPELRYJFh+hCQLZPY4S"
      + "Nm6EU0ii6LoiaRDFBHeR18yC5TuAJtvvQtjr9MAp+LhoaTCar/L7SRjhoPiR9vdlva6ls5iAI3/UhEz2mzM4Sia4"
      + "QzPKjI4w33jKVYvI5JZWdLo8+GzujekszwIDAQAB";

  /** The RSA private key (base64 PKCS#8 DER) that {@link #TRAVIS_PUBLIC_KEY} verifies. */
  public static final String TRAVIS_PRIVATE_KEY =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCZWCk43TFKj3uPAa4PJg8CzFK6xzllNKQud939"
      + "STUNJWFch04OBBNiq0Wmjk6hP319AemnaLaN1y7JqtFL5hGvrXbBB4UpLhwedpoLPmxq4JpirSnXvfhC7rHuZWW0"
      + "X5JvpYf+rTSk41PQD/0rYfbBPnJcuzTZ2N74HZEsz/DKxya6FUeqv0D3zgUOrFh4zh04vfunV66hE8QtFgkWH6EJ"
      + "Atk9jhI2boRTSKLouiJpEMUEd5HXzILlO4Am2+9C2Ov0wCn4uGhpMJqv8vtJGOGg+JH292W9rqWzmIAjf9SETPab"
      + "MzhKJrhDM8qMjjDfeMpVi8jkllZ0ujz4bO6N6SzPAgMBAAECggEABVLOsjcs8A+KyhGpscPv+c25wjCKuQ06n+mw"
      + "ZAvSaCpCjDGe+j9A+bLEIGlIqIdpkK6W0SWCT5VHU1/3PnZ2abi7aoMbfSz+c+jz0G0dMBlWXWjxOW39EZHIzTkU"
      + "Q/lHaPyAUU1BCnJhOqlmGsdJXOG78E/ddgH156YwdTOjgolD625mIckUgp8oH2QNZ6xTUvd+a5l5byTV9F4+csyN"
      + "Cw+6Si8CestvCPqR/9P2wzoFp34nIbpcBgIeD267w6P/vhd1/IZRdCTASjNfXr8Ni/wUbwGpc2CM59wXzBvehmDd"
      + "M0QcAKgoL+FhdYI648hEwqIYHGoIhxVUI8U+Cj+VrQKBgQC1rVzbmiIZ618K1k3RGgLlnWRmiJxfF5theqWjuOAr"
      + "7mUxsrk0SsrIe1ISTEnHCIr6SU/3qu43CTTYGWAQWr+VXWahgAfictWE079LcUmdTGZHaJ2eTj2xHS0R5OaFTd0E"
      + "QMmr11BMDmvAkdigHLv69roWcz1VbtkQ7uSxYmtIWwKBgQDYE5ElU2hd0p4KCuRMtCHp4SHhIpG2WPZ9YO8c/aTk"
      + "fECGJx/hTJ9FWhk5KFeJSD4hbOtVjUxeO9bKYli5TUfIybxHV9sdP60xxTYBGyRuA7ZOfAltJyqPwv8E+pS8wn+r"
      + "+fxpiaRs6iLSk3hnaJK0TUOFMLoFV4J7EiJpX0r3nQKBgGuNnGFtWC7cBsIVqK/XpEtm6B9DVL9+7D/DKfhI5H1d"
      + "fo7zbW0lsfMJ/sZSX4Ly7cPKTwsiKDBwxNYB/7ru3miAiNenQgOvU/R0ntT81kXHCu3PYzBqxV7rFNl5F3dnZyaz"
      + "bDDNIP5Fs0injwUKvcaO9g+AXZkMLHk31C+nQjftAoGBAJ7yHdY4OdCyiwDWLERkSYIy0uo6tLdPT9rBAIPx7WcK"
      + "I6jLhP8Fjy/D7EQIcgQReWq7JY4kR6YWHJV5rMx6lbCU/YP5k7w7SBsRd/1uSukGoAex5Hk/02Y3ScMO1XTZGnOW"
      + "i9/SmXpo7T67rllbKnepUl7ajiw5yEjh+SBMMehdAoGAY7TxiwRSo1I6O/vWxPbC1w4k+FL8j+GGYxzSutkD8z3N"
      + "PbRwyr4QCVpMDDrwAsT/aO/ZXAsbUu3PAbNws6gb8048ffWvWSPMbhZqHshVia0Uproufmx78buBqsxcU27yw1JF"
      + "bC+DUXLF5r0vVoKUuvefldlA3lxi/nkwpuzTokU=";

  /** The key id of {@link #PLAID_PUBLIC_KEY}, as the tokens' {@code kid} names it. */
  public static final String PLAID_KID = "hookguard-test-plaid-key";

  /**
   * Plaid's verification key as {@code <kid>:<base64 X.509>} (an ECDSA P-256 key, the pair of
   * {@link #SENDGRID_PUBLIC_KEY}); a JWK with that {@code kid} is accepted as well.
   */
  public static final String PLAID_PUBLIC_KEY = PLAID_KID + ":" + SENDGRID_PUBLIC_KEY;

  /** The private key ({@code <kid>:<base64 PKCS#8>}) that {@link #PLAID_PUBLIC_KEY} verifies. */
  public static final String PLAID_PRIVATE_KEY = PLAID_KID + ":" + SENDGRID_PRIVATE_KEY;

  /** The key id of {@link #GOOGLE_PUBLIC_KEY}, as the ID tokens' {@code kid} names it. */
  public static final String GOOGLE_KID = "hookguard-test-google-key";

  /**
   * A verification key for Google ID tokens ({@code Providers.googleIdToken}) as
   * {@code <kid>:<base64 X.509>} (RSA 2048, the pair of {@link #TRAVIS_PUBLIC_KEY}): configure it
   * in tests in place of Google's fetched keys.
   */
  public static final String GOOGLE_PUBLIC_KEY = GOOGLE_KID + ":" + TRAVIS_PUBLIC_KEY;

  /** The private key ({@code <kid>:<base64 PKCS#8>}) that {@link #GOOGLE_PUBLIC_KEY} verifies. */
  public static final String GOOGLE_PRIVATE_KEY = GOOGLE_KID + ":" + TRAVIS_PRIVATE_KEY;

  // The "wrong" keys of TestWebhook.signedWithWrongKey(): valid keys of the same form.
  static final String OTHER_SECRET = "hookguard-test-wrong-secret";
  /** Adyen's HMAC keys are 32 bytes in hex. */
  public static final String ADYEN_HMAC_KEY = "686F6F6B67756172642D746573742D6B69742D6164792D686D61632D6B657921";
  static final String OTHER_ADYEN_HMAC_KEY = "686F6F6B67756172642D746573742D6B69742D77726F6E672D616479656E2121";
  static final String OTHER_STANDARD_WEBHOOKS_SECRET = "whsec_aG9va2d1YXJkLXRlc3Qta2l0LXdyb25nLWtleSE=";
  static final String OTHER_ED25519_PRIVATE_KEY =
      "dbee075e237093f0bc8d696a4e759105b6717f0a3d208eb799861d2a7a287758";
  static final String OTHER_ECDSA_PRIVATE_KEY = "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCBQPAfprdL92DYuEiCxXk0Cnc6kMAmh7+70Q742845HdA==";
  static final String OTHER_TELNYX_PRIVATE_KEY = "+6KcO4V7qPIcuNVv++omlhrZfDCqMM+7mbtm2Br1JgM=";
  static final String OTHER_RSA_PRIVATE_KEY =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDGMwyJmNovitR7HEOEieyhhYbQ/NO06mA+Lo56"
      + "I5UlCniMk6+xmql5L7LpcZ6PXcqLG15AQ/lF49KokxOyTwd81MaZg8ZRPWFU7R5cQ64btPlZcbnSImWPvkd3lIY8"
      + "1rLtoxD0R57/MMMzW+frut2PnvuqlL7k9p9UOpMPn0RWHx9eEppizGaTcmVnvrz6KN8rjjgdP6LgwK2gr5g6z6XE"
      + "xTkdNYGjlo5gL4tBflWe9YcmmLduHQZGJ4rW0Sgki10fEI3L2zZQyGm67lkxgAkPaLiBshFJY+jKar1iv7kZkij3"
      + "X7fOZcUftWSr+cFm/vTCbFylhrfvZ2+Bnys6TnZ1AgMBAAECggEAIzdrXSCOdh+cIRLU0V5DcDC+U3B0+oKhnrLd"
      + "iIi9hbMeV9YfA/b38Ws/Bjk0xAMVi9GNVexuBJPWOLNHbumZaj4RWrIeIQ2/t1wZhqnU7CHkI1cwfgy0EI4t+yqm"
      + "DnXUnaJZjxoRv4StznigVROjLhOA4p6i66KBjXEJ897oAMge9jXPISQyBgrja6tK7tti41TGg0D8JU6L6phJOs9M"
      + "hapaMSVTq2hWzIkoG5137mJjt97FrTP8cdssSD419E5anKUAmpDXb4dY//nQJeTfRjK785Hk0Z+sBY1mIXcvarrv"
      + "5a4er/gxrwwYmagblaskyKmXGBlSr0hEUB0noHyRiQKBgQD4j2rpxa8SPitIK3B4D2zbYyHcpaZnsnNfVAhmqh99"
      + "XH7Ju8A62vjUlosCGikc1oHAIgHTHb4qpSZX/KAuLYVmzacg1GXv1vCdJF2DxdTCrHLIVKoBPvvz7fp4u/ESJsH4"
      + "O5v9XRLir/CXVJsF4CAEMDlmyUqc8F5nQ5CtcqA8SQKBgQDMIb5i9haaqSNm2ScKruAj7hFKlpRsoiB0CaFEahxc"
      + "r7n1nxns5trqAdXPYa1a8xr/ZWWYyx2RNeUxeurqAQqR1X7gcUHMoxna/dzH3OBCMQjUjTcwKiPx/4siYDK7auen"
      + "2LY6OT6qrfHdy97Z02/IjDYN9M3MmTHazFxamiywzQKBgFNe13993REDZUUZvOmoUtzrTUpTDZOumWAaMY8t9M35"
      + "nlVP8lRLajb0H8Aewjd4A6FMRsxnJ4fqSQguJhQXFK28wRgT5fUiZSZwMiWmz4xUh1OGgldUpvHUmrSwZVWvRlRa"
      + "uiGrfFAor0wzBqRb3qFJA5fkYHBvd1qvoPFshy5xAoGBAI2aYs2XVDrZVbuEq7aXdNi3zrrlFfT9ynF0NLCWwzHw"
      + "nJksUvmpcvada0o+wdizh2jfV8jULaCLuH/Ieqj1K/XaGfdr2W8xPUBSlhL2v4JrLWr0wvHgaar3z/Z6sPadxDEE"
      + "/fQJvdT8cSmgwOht6b8+tEieJxzksFbNKMuY46OJAoGABm2py/HOvvFmBbimPgkRIbKcrk5QkwrZsutrP6JDFCAQ"
      + "p+dBHzkZq+oS3jNbpa02uRamm8G+iAJAW5nbb34w5AE9hh1X5tuA91asUdn2M76Vp2XSj79OPjOp6GcYjF5Knw9c"
      + "pqNa+IAKes/IBG97o+SN9NLlEeAuupLYJz7qhG0=";
  static final String OTHER_BASIC_AUTH_CREDENTIALS = "hookguard-test:" + OTHER_SECRET;
  static final String OTHER_BRAINTREE_KEY_PAIR = "hookguard_test:" + OTHER_SECRET;

  /** The topic ARN an AWS SNS endpoint under test accepts: the one {@link TestWebhook} deliveries name. */
  public static final String AWS_SNS_TOPIC = "arn:aws:sns:us-east-1:123456789012:hookguard-test";
  /** Where the kit's SNS deliveries say their certificate is; {@link #remoteDocuments()} serves it. */
  public static final String AWS_SNS_CERTIFICATE_URL =
      "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hookguard-test.pem";
  /** The kit's stand-in for SNS's signing certificate (CN=sns.amazonaws.com, 2020 to 2100): made for tests, never AWS's. */
  public static final String AWS_SNS_CERTIFICATE = resource("sns-test.pem");
  /** Its private key (PKCS#8 PEM), what the kit's SNS deliveries are signed with. */
  public static final String AWS_SNS_PRIVATE_KEY = resource("sns-test.key");
  /** The webhook id a PayPal endpoint under test accepts. */
  public static final String PAYPAL_WEBHOOK_ID = "1JE4291016473214C";
  /** Where the kit's PayPal deliveries say their certificate is; {@link #remoteDocuments()} serves it. */
  public static final String PAYPAL_CERTIFICATE_URL =
      "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-hookguard-test";
  /** The kit's stand-in for PayPal's certificate (CN=messageverificationcerts.sandbox.paypal.com, 2020 to 2100). */
  public static final String PAYPAL_CERTIFICATE = resource("paypal-test.pem");
  /** What the kit's PayPal deliveries are signed with: {@code <webhook id>:<PKCS#8 PEM>}. */
  public static final String PAYPAL_SIGNING_KEY = PAYPAL_WEBHOOK_ID + ":" + resource("paypal-test.key");

  private static final RemoteDocuments DOCUMENTS = RemoteDocuments.builder().fetcher((url, maxBytes) -> {
    String document = url.toString().equals(AWS_SNS_CERTIFICATE_URL) ? AWS_SNS_CERTIFICATE
        : url.toString().equals(PAYPAL_CERTIFICATE_URL) ? PAYPAL_CERTIFICATE : null;
    if (document == null) {
      throw new java.io.FileNotFoundException(url.toString());
    }
    return document.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }).build();

  private TestKeys() {}

  /**
   * The certificates the kit's AWS SNS and PayPal deliveries are signed under, served without a
   * network: give it to the endpoint under test ({@code WebhookVerifier.Builder.remoteDocuments},
   * or a {@code RemoteDocuments} bean in Spring Boot). Any other URL does not exist.
   *
   * @return the documents, shared
   */
  public static RemoteDocuments remoteDocuments() {
    return DOCUMENTS;
  }

  private static String resource(String name) {
    try (java.io.InputStream in = TestKeys.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("hookguard-test lacks its resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * What to configure the endpoint under test with ({@code hookguard.endpoints.<name>.secrets},
   * or {@code WebhookVerifier.Builder.secret}/{@code publicKey}) so that
   * {@link TestWebhook#of(WebhookScheme)} deliveries verify.
   *
   * @param scheme the sender's scheme
   * @return the secret in the encoding the scheme takes ({@code whsec_…} for the Standard
   *     Webhooks senders, {@code user:password} for {@code basic-auth}, hex for {@code adyen},
   *     {@code publicKey:privateKey} for {@code braintree}), the public key for
   *     {@code discord}, {@code sendgrid}, {@code telnyx}, {@code travis-ci}, {@code plaid} and
   *     {@code google-id-token} (from {@code Providers.googleIdToken}), the topic ARN for
   *     {@code aws-sns} and the webhook id for {@code paypal} (their certificates:
   *     {@link #remoteDocuments()})
   * @throws IllegalArgumentException for a public-key scheme of your own (sign with
   *     {@link TestWebhook#of(WebhookScheme, String)} and your own private key)
   */
  public static String verificationKey(WebhookScheme scheme) {
    return switch (requireNonNull(scheme, "scheme").id()) {
      case "standard-webhooks", "clerk", "resend", "openai", "replicate" -> STANDARD_WEBHOOKS_SECRET;
      case "basic-auth" -> BASIC_AUTH_CREDENTIALS;
      case "discord" -> DISCORD_PUBLIC_KEY;
      case "sendgrid" -> SENDGRID_PUBLIC_KEY;
      case "telnyx" -> TELNYX_PUBLIC_KEY;
      case "travis-ci" -> TRAVIS_PUBLIC_KEY;
      case "adyen" -> ADYEN_HMAC_KEY;
      case "braintree" -> BRAINTREE_KEY_PAIR;
      case "plaid" -> PLAID_PUBLIC_KEY;
      case "google-id-token" -> GOOGLE_PUBLIC_KEY;
      case "aws-sns" -> AWS_SNS_TOPIC;
      case "paypal" -> PAYPAL_WEBHOOK_ID;
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
      case "standard-webhooks", "clerk", "resend", "openai", "replicate" -> STANDARD_WEBHOOKS_SECRET;
      case "basic-auth" -> BASIC_AUTH_CREDENTIALS;
      case "discord" -> DISCORD_PRIVATE_KEY;
      case "sendgrid" -> SENDGRID_PRIVATE_KEY;
      case "telnyx" -> TELNYX_PRIVATE_KEY;
      case "travis-ci" -> TRAVIS_PRIVATE_KEY;
      case "adyen" -> ADYEN_HMAC_KEY;
      case "braintree" -> BRAINTREE_KEY_PAIR;
      case "plaid" -> PLAID_PRIVATE_KEY;
      case "google-id-token" -> GOOGLE_PRIVATE_KEY;
      case "aws-sns" -> AWS_SNS_PRIVATE_KEY;
      case "paypal" -> PAYPAL_SIGNING_KEY;
      default -> requireSecretScheme(scheme, SECRET);
    };
  }

  /** Another valid key of the same form, which the endpoint's key does not verify. */
  static String otherSigningKey(WebhookScheme scheme, String key) {
    if (key.startsWith(PLAID_KID + ":")) {
      // A JWT signing key: the same kid, another key, so the token names a key it does not match.
      String other = PLAID_KID + ":" + OTHER_ECDSA_PRIVATE_KEY;
      return other.equals(key) ? PLAID_PRIVATE_KEY : other;
    }
    if (key.startsWith(GOOGLE_KID + ":")) {
      String other = GOOGLE_KID + ":" + OTHER_RSA_PRIVATE_KEY;
      return other.equals(key) ? GOOGLE_PRIVATE_KEY : other;
    }
    if (scheme.id().equals("paypal")) {
      return PAYPAL_WEBHOOK_ID + ":" + other(key.substring(key.indexOf(':') + 1), OTHER_RSA_PRIVATE_KEY, TRAVIS_PRIVATE_KEY);
    }
    if (scheme.usesPublicKeys()) {
      // Told apart by form: a hex seed (Discord), a base64 seed (Telnyx, Standard Webhooks v1a
      // without whsk_), an RSA or an ECDSA PKCS#8 key.
      if (key.matches("[0-9a-fA-F]{64}")) {
        return other(key, OTHER_ED25519_PRIVATE_KEY, DISCORD_PRIVATE_KEY);
      }
      if (key.replaceAll("\\s", "").length() <= 48) {
        return other(key, OTHER_TELNYX_PRIVATE_KEY, TELNYX_PRIVATE_KEY);
      }
      if (key.contains("MIIE") || scheme.id().equals("travis-ci")) {
        return other(key, OTHER_RSA_PRIVATE_KEY, TRAVIS_PRIVATE_KEY);
      }
      return other(key, OTHER_ECDSA_PRIVATE_KEY, SENDGRID_PRIVATE_KEY);
    }
    if (key.startsWith("whsec_")) {
      return other(key, OTHER_STANDARD_WEBHOOKS_SECRET, STANDARD_WEBHOOKS_SECRET);
    }
    if (scheme.id().equals("basic-auth")) {
      return other(key, OTHER_BASIC_AUTH_CREDENTIALS, BASIC_AUTH_CREDENTIALS);
    }
    if (scheme.id().equals("adyen")) {
      return other(key, OTHER_ADYEN_HMAC_KEY, ADYEN_HMAC_KEY);
    }
    if (scheme.id().equals("braintree")) {
      return other(key, OTHER_BRAINTREE_KEY_PAIR, BRAINTREE_KEY_PAIR);
    }
    return other(key, OTHER_SECRET, SECRET);
  }

  /** {@code other}, unless that is the key itself (a test signing with the kit's wrong key). */
  private static String other(String key, String other, String fallback) {
    return other.equals(key) ? fallback : other;
  }

  private static String requireSecretScheme(WebhookScheme scheme, String secret) {
    if (scheme.usesPublicKeys()) {
      throw new IllegalArgumentException(scheme.id() + " is verified with a public key the test kit"
          + " has no pair for: sign with TestWebhook.of(scheme, yourPrivateKey)");
    }
    return secret;
  }
}
