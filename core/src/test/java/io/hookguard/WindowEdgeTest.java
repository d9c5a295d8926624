package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The window to the millisecond, on the two schemes that sign millisecond timestamps: HubSpot (in
 * a header) and Linear (in the body). Exactly at either edge is accepted, a millisecond past it is
 * rejected. "Now" has a millisecond part so that the arithmetic borrows across seconds.
 */
class WindowEdgeTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00.123Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration PAST = Duration.ofMillis(1_500);
  private static final Duration FUTURE = Duration.ofMillis(250);

  private static WebhookVerifier hubspotVerifier(Duration past, Duration future) {
    return WebhookVerifier.builder(Providers.HUBSPOT).secret("hubspot-secret")
        .pastTolerance(past).futureTolerance(future).clock(CLOCK).build();
  }

  private static WebhookRequest hubspotSentAt(Instant sentAt) {
    return WebhookSigner.builder(Providers.HUBSPOT).secret("hubspot-secret").build()
        .sign(WebhookRequest.builder().url("https://hooks.example.com/hubspot").body("[]").build(), sentAt);
  }

  private static VerificationResult hubspotAt(Instant sentAt) {
    return hubspotVerifier(PAST, FUTURE).verify(hubspotSentAt(sentAt));
  }

  private static VerificationResult linearAt(Instant sentAt, WebhookVerifier verifier) {
    WebhookRequest unsigned = WebhookRequest.builder().header("Linear-Delivery", "d-1")
        .body("{\"type\":\"Issue\",\"webhookTimestamp\":" + sentAt.toEpochMilli() + "}").build();
    return verifier.verify(WebhookSigner.builder(Providers.LINEAR).secret("linear-secret").build()
        .sign(unsigned));
  }

  private static RejectionReason reason(VerificationResult result) {
    assertThat(result).isInstanceOf(Rejection.class);
    return ((Rejection) result).reason();
  }

  @Test
  void hubspotExactlyAtEitherEdgeIsAccepted() {
    assertThat(hubspotAt(NOW.minus(PAST)).isVerified()).isTrue();
    assertThat(hubspotAt(NOW.plus(FUTURE)).isVerified()).isTrue();
    assertThat(hubspotAt(NOW).isVerified()).isTrue();
  }

  @Test
  void hubspotOneMillisecondPastEitherEdgeIsRejected() {
    assertThat(reason(hubspotAt(NOW.minus(PAST).minusMillis(1)))).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    assertThat(reason(hubspotAt(NOW.plus(FUTURE).plusMillis(1)))).isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void hubspotWholeSecondTolerancesAreExactToTheMillisecondToo() {
    WebhookVerifier verifier = hubspotVerifier(Duration.ofSeconds(2), Duration.ofSeconds(1));
    Instant now = NOW;

    assertThat(verifier.verify(hubspotSentAt(now.minusSeconds(2))).isVerified()).isTrue();
    assertThat(reason(verifier.verify(hubspotSentAt(now.minusSeconds(2).minusMillis(1)))))
        .isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    assertThat(verifier.verify(hubspotSentAt(now.plusSeconds(1))).isVerified()).isTrue();
    assertThat(reason(verifier.verify(hubspotSentAt(now.plusSeconds(1).plusMillis(1)))))
        .isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void aZeroWindowAcceptsOnlyTheCurrentMillisecond() {
    WebhookVerifier verifier = hubspotVerifier(Duration.ZERO, Duration.ZERO);

    assertThat(verifier.verify(hubspotSentAt(NOW)).isVerified()).isTrue();
    assertThat(reason(verifier.verify(hubspotSentAt(NOW.minusMillis(1))))).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    assertThat(reason(verifier.verify(hubspotSentAt(NOW.plusMillis(1))))).isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void linearDefaultSixtySecondsToTheMillisecond() {
    WebhookVerifier verifier = WebhookVerifier.builder(Providers.LINEAR).secret("linear-secret")
        .clock(CLOCK).build();
    Duration sixty = Duration.ofSeconds(60);

    assertThat(linearAt(NOW.minus(sixty), verifier).isVerified()).isTrue();
    assertThat(linearAt(NOW.plus(sixty), verifier).isVerified()).isTrue();
    assertThat(reason(linearAt(NOW.minus(sixty).minusMillis(1), verifier))).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    assertThat(reason(linearAt(NOW.plus(sixty).plusMillis(1), verifier))).isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void longerThanBorrowsAcrossSecondsAndComparesNanos() {
    Instant from = Instant.ofEpochSecond(100, 900_000_000);
    Instant to = Instant.ofEpochSecond(102, 100_000_000); // 1.2 s later: borrows a second

    assertThat(Window.longerThan(from, to, Duration.ofMillis(1_200))).isFalse();
    assertThat(Window.longerThan(from, to, Duration.ofMillis(1_199))).isTrue();
    assertThat(Window.longerThan(from, to, Duration.ofNanos(1_200_000_001))).isFalse();
    assertThat(Window.longerThan(from, to, Duration.ofSeconds(1))).isTrue();
    assertThat(Window.longerThan(from, to, Duration.ofSeconds(2))).isFalse();
    assertThat(Window.longerThan(to, from, Duration.ZERO)).as("negative span").isFalse();
    assertThat(Window.longerThan(from, from, Duration.ZERO)).isFalse();
    assertThat(Window.longerThan(from, from.plusNanos(1), Duration.ZERO)).isTrue();
    // Exactly n seconds apart, nanos equal: the nano part of the limit decides.
    Instant later = from.plusSeconds(3);
    assertThat(Window.longerThan(from, later, Duration.ofSeconds(3))).isFalse();
    assertThat(Window.longerThan(from, later, Duration.ofSeconds(2, 999_999_999))).isTrue();
  }

  @Test
  void rejectionsNameTheToleranceInSeconds() {
    assertThat(((Rejection) hubspotVerifier(Duration.ofSeconds(90), Duration.ofSeconds(30))
        .verify(hubspotSentAt(NOW.minusSeconds(91)))).detail())
        .isEqualTo("the signed timestamp is older than the allowed 90 s");
    assertThat(((Rejection) hubspotVerifier(Duration.ofSeconds(90), Duration.ofSeconds(30))
        .verify(hubspotSentAt(NOW.plusSeconds(31)))).detail())
        .isEqualTo("the signed timestamp is more than 30 s in the future");
  }

  @Test
  void aWindowOpenOnOneSideOnlyChecksThatSide() {
    Window pastOnly = new Window(Duration.ofSeconds(1), null, CLOCK);
    Window futureOnly = new Window(null, Duration.ofSeconds(1), CLOCK);

    assertThat(pastOnly.isOff()).isFalse();
    assertThat(futureOnly.isOff()).isFalse();
    pastOnly.check(NOW.plusSeconds(3600)); // no future limit
    futureOnly.check(NOW.minusSeconds(3600)); // no past limit
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pastOnly.check(NOW.minusSeconds(2)))
        .isInstanceOf(Reject.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> futureOnly.check(NOW.plusSeconds(2)))
        .isInstanceOf(Reject.class);
    Window.off(CLOCK).check(Instant.EPOCH);
  }

  // ---- HubSpot signs the URL even when it has nothing to decode ----

  @Test
  void hubspotAUrlWithoutEscapesIsPartOfTheMac() {
    WebhookRequest signed = hubspotSentAt(NOW);
    assertThat(signed.url()).doesNotContain("%");
    WebhookVerifier verifier = hubspotVerifier(PAST, FUTURE);

    assertThat(verifier.verify(signed).isVerified()).isTrue();
    for (String changed : new String[] {"https://hooks.example.com/hubspot2",
        "https://evil.example.com/hubspot", "https://hooks.example.com/hubspot?x=1",
        "http://hooks.example.com/hubspot"}) {
      assertThat(reason(verifier.verify(signed.toBuilder().url(changed).build())))
          .as(changed).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    assertThat(reason(verifier.verify(signed.toBuilder().method("PUT").build())))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void hubspotAnEscapedReservedCharacterVerifiesAsItsDecodedForm() {
    WebhookVerifier verifier = hubspotVerifier(PAST, FUTURE);
    WebhookRequest signed = WebhookSigner.builder(Providers.HUBSPOT).secret("hubspot-secret").build()
        .sign(WebhookRequest.builder().url("https://h.test/p?e=a@b").body("[]").build(), NOW);

    assertThat(verifier.verify(signed.toBuilder().url("https://h.test/p?e=a%40b").build()).isVerified()).isTrue();
    assertThat(reason(verifier.verify(signed.toBuilder().url("https://h.test/p?e=a%41b").build())))
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }
}
