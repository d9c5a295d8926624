package io.hookguard;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A hand-written scheme keyed with one HMAC algorithm over a UTF-8 secret (Twilio, Mailgun). */
abstract class HmacKeyedScheme extends WebhookScheme {
  private final HmacAlgorithm algorithm;
  private final String secretName;

  HmacKeyedScheme(String id, @Nullable Duration defaultTolerance, HmacAlgorithm algorithm,
      String secretName) {
    super(id, defaultTolerance);
    this.algorithm = algorithm;
    this.secretName = secretName;
  }

  @Override
  public final boolean hasTimestamp() {
    return defaultTolerance().isPresent();
  }

  @Override
  final Keys.VerificationKey secretKey(String secret) {
    return hmacKey(secret);
  }

  @Override
  final Keys.SigningKey signingSecret(String secret) {
    return hmacKey(secret);
  }

  private Keys.HmacKey hmacKey(String secret) {
    return new Keys.HmacKey("", algorithm,
        SecretEncoding.UTF8.decode(requireSecretText(secret, secretName)));
  }
}
