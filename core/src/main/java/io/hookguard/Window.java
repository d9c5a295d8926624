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
    if (past != null && longerThan(timestamp, now, past)) {
      throw new Reject(RejectionReason.TIMESTAMP_TOO_OLD,
          "the signed timestamp is older than the allowed " + past.toSeconds() + " s");
    }
    if (future != null && longerThan(now, timestamp, future)) {
      throw new Reject(RejectionReason.TIMESTAMP_TOO_NEW,
          "the signed timestamp is more than " + future.toSeconds() + " s in the future");
    }
  }

  /**
   * Whether {@code to - from > limit}. Plain arithmetic rather than {@code Duration.between}: this
   * runs on every delivery, and cannot overflow because both instants lie within Instant's range.
   */
  static boolean longerThan(Instant from, Instant to, Duration limit) {
    long seconds = to.getEpochSecond() - from.getEpochSecond();
    int nanos = to.getNano() - from.getNano();
    if (nanos < 0) {
      seconds--;
      nanos += 1_000_000_000;
    }
    return seconds > limit.getSeconds() || (seconds == limit.getSeconds() && nanos > limit.getNano());
  }
}
