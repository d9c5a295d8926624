package io.hookguard;

import static io.hookguard.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in scheme: what its signer signs its verifier accepts, and nothing else. */
class SchemeRoundTripTest {

  static Stream<Fixtures.Keyed> schemes() {
    return Fixtures.allSchemes();
  }

  /** Mailgun signs only timestamp and token, GitLab only sends a token: the body is not covered. */
  private static final Set<String> BODY_NOT_SIGNED = Set.of("mailgun", "gitlab", "telegram", "basic-auth",
      "bearer-token",
      // A Google ID token authenticates the sender, not the bytes.
      "google-id-token",
      // Adyen signs fields of the body, not the body: SdkOracleTest flips every bit against Adyen's library.
      "adyen");

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void signedDeliveryVerifiesWithEventFields(Fixtures.Keyed keyed) {
    VerificationResult result = keyed.verifier().verify(keyed.signedSample());

    assertThat(result).isInstanceOf(VerifiedWebhook.class);
    VerifiedWebhook verified = (VerifiedWebhook) result;
    assertThat(verified.provider()).isEqualTo(keyed.scheme().id());
    assertThat(verified.eventId().orElse(null))
        .isEqualTo(Fixtures.EXPECTED_EVENT_IDS.get(keyed.scheme().id()));
    if (keyed.scheme().hasTimestamp()) {
      assertThat(verified.timestamp()).isPresent();
      assertThat(Duration.between(verified.timestamp().get(), NOW).abs())
          .isLessThanOrEqualTo(Duration.ofSeconds(1));
    } else {
      assertThat(verified.timestamp()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void anotherKeyDoesNotVerify(Fixtures.Keyed keyed) {
    Rejection rejection = (Rejection) keyed.wrongVerifier().verify(keyed.signedSample());

    assertThat(rejection.reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(rejection.provider()).isEqualTo(keyed.scheme().id());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void rotationAcceptsAnyConfiguredKey(Fixtures.Keyed keyed) {
    WebhookVerifier.Builder builder = WebhookVerifier.builder(keyed.scheme()).clock(Fixtures.CLOCK);
    keyed.wrongKey().accept(builder);
    keyed.verifierKey().accept(builder);

    assertThat(builder.build().verify(keyed.signedSample()).isVerified()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void everySingleBitFlipOfTheBodyIsRejected(Fixtures.Keyed keyed) {
    if (BODY_NOT_SIGNED.contains(keyed.scheme().id())) {
      return;
    }
    WebhookRequest signed = keyed.signedSample();
    WebhookVerifier verifier = keyed.verifier();
    List<Integer> accepted = new ArrayList<>();
    // SNS signs no UnsubscribeURL (AWS's field lists): flips in that member, name or value, verify
    // by design (a renamed member is an unknown one, ignored like any other unsigned field).
    String text = new String(signed.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
    int unsignedFrom = keyed.scheme() == Providers.AWS_SNS ? text.indexOf("\"UnsubscribeURL\":\"") : -1;
    int unsignedTo = unsignedFrom < 0 ? -1 : text.indexOf('"', unsignedFrom + 18) + 1;
    for (int bit = 0; bit < signed.body().length * 8; bit++) {
      if (bit / 8 >= unsignedFrom && bit / 8 < unsignedTo) {
        continue;
      }
      byte[] flipped = Fixtures.flipBit(signed.body(), bit);
      if (verifier.verify(Fixtures.withBody(signed, flipped)).isVerified()
          && !((keyed.scheme() == Providers.MANDRILL || keyed.scheme() == Providers.TRAVIS_CI
              || keyed.scheme() == Providers.BRAINTREE)
              && sameFormFields(signed, flipped))) {
        accepted.add(bit);
      }
    }
    assertThat(accepted).as("bit positions whose flip still verified").isEmpty();
  }

  /**
   * Mandrill, Travis CI and Braintree sign decoded form fields, so a flip that only changes the case of a %-escape's hex
   * digit ({@code %7B} to {@code %7b}) leaves what was signed, and what the application reads, as it was.
   */
  private static boolean sameFormFields(WebhookRequest signed, byte[] flipped) {
    byte[] fields = SortedForm.replayContent(signed);
    return fields.length > 0 && java.util.Arrays.equals(fields, SortedForm.replayContent(Fixtures.withBody(signed, flipped)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void everySingleBitFlipOfEverySignedHeaderIsRejected(Fixtures.Keyed keyed) {
    WebhookRequest signed = keyed.signedSample();
    WebhookRequest unsigned = Fixtures.sampleRequest();
    WebhookVerifier verifier = keyed.verifier();
    List<String> signedHeaders = signed.headers().names().stream()
        .filter(name -> !unsigned.headers().names().contains(name)
            // Mandrill's and Travis's signers post the body as a form; the media type is read, not signed.
            || !unsigned.headers().all(name).equals(signed.headers().all(name))
                && !name.equalsIgnoreCase("Content-Type")
            || name.equalsIgnoreCase(Fixtures.SIGNED_ID_HEADERS.getOrDefault(keyed.scheme().id(), "")))
        .toList();
    if (!keyed.scheme().id().equals("mailgun") && !keyed.scheme().id().equals("adyen")
        && !keyed.scheme().id().equals("braintree") && !keyed.scheme().id().equals("aws-sns")) {
      // Mailgun, Adyen, Braintree and AWS SNS carry their signatures in the body.
      assertThat(signedHeaders).isNotEmpty();
    }
    List<String> accepted = new ArrayList<>();
    for (String name : signedHeaders) {
      String value = signed.headers().first(name);
      for (int bit = 0; bit < value.length() * 7; bit++) {
        String flipped = Fixtures.flipBit(value, bit);
        if (keyed.scheme() == Providers.BASIC_AUTH && flipped.equalsIgnoreCase(value)
            && flipped.regionMatches(true, 0, "Basic ", 0, 6) && flipped.substring(5).equals(value.substring(5))) {
          continue; // the auth-scheme name is case-insensitive (RFC 9110): "basic" is the same credential
        }
        if (keyed.scheme() == Fixtures.GOOGLE && flipped.regionMatches(true, 0, "Bearer ", 0, 7)
            && flipped.substring(6).equals(value.substring(6))) {
          continue; // likewise "bearer"
        }
        WebhookRequest tampered = Fixtures.withHeader(signed, name, flipped);
        if (verifier.verify(tampered).isVerified()) {
          accepted.add(name + " bit " + bit);
        }
      }
    }
    assertThat(accepted).as("header flips that still verified").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void staleAndFutureTimestampsAreRejected(Fixtures.Keyed keyed) {
    if (!keyed.scheme().hasTimestamp() || keyed.scheme().id().equals("linear")) {
      return; // Linear's timestamp is in the body: see LinearTest.
    }
    Duration tolerance = keyed.scheme().defaultTolerance().orElseThrow();
    // JWT schemes allow a clock-skew leeway ahead, not their whole maximum age.
    Duration ahead = keyed.scheme().defaultLeeway() != null ? keyed.scheme().defaultLeeway() : tolerance;
    WebhookSigner signer = keyed.signer();
    WebhookVerifier verifier = keyed.verifier();
    WebhookRequest unsigned = Fixtures.sampleRequest();

    assertThat(verifier.verify(signer.sign(unsigned, NOW.minus(tolerance))).isVerified()).isTrue();
    assertThat(verifier.verify(signer.sign(unsigned, NOW.plus(ahead))).isVerified()).isTrue();
    assertThat(reason(verifier.verify(signer.sign(unsigned, NOW.minus(tolerance).minusSeconds(1)))))
        .isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    assertThat(reason(verifier.verify(signer.sign(unsigned, NOW.plus(ahead).plusSeconds(1)))))
        .isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void missingSignatureHeaderIsTyped(Fixtures.Keyed keyed) {
    WebhookRequest unsigned = Fixtures.sampleRequest();
    VerificationResult result = keyed.verifier().verify(unsigned);

    assertThat(reason(result)).isIn(RejectionReason.MISSING_HEADER, RejectionReason.UNREADABLE_BODY);
  }

  static RejectionReason reason(VerificationResult result) {
    assertThat(result).isInstanceOf(Rejection.class);
    return ((Rejection) result).reason();
  }
}
