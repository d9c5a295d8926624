package io.hookguard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The accepted age of a signed timestamp: how far in the past and in the future, against a clock. */
record Window(@Nullable Duration past, @Nullable Duration future, Clock clock) {

  static Window off(Clock clock) {
    return new Window(null, null, clock);
  }

  boolean isOff() {
    return past == null && future == null;
  }

  void check(Instant timestamp) {
    if (isOff()) {
      return;
    }
    Instant now = clock.instant();
    // Duration.between cannot overflow here: parsed timestamps lie within Instant's range and the
    // difference of two Instants always fits a Duration. Each side is measured in its own
    // direction because Duration.negated() goes through BigDecimal, on every delivery.
    if (past != null && Duration.between(timestamp, now).compareTo(past) > 0) {
      throw new Reject(RejectionReason.TIMESTAMP_TOO_OLD,
          "the signed timestamp is older than the allowed " + past.toSeconds() + " s");
    }
    if (future != null && Duration.between(now, timestamp).compareTo(future) > 0) {
      throw new Reject(RejectionReason.TIMESTAMP_TOO_NEW,
          "the signed timestamp is more than " + future.toSeconds() + " s in the future");
    }
  }
}
