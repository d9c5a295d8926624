package io.hookguard.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** The argument checks the builders and stores share, with one wording of their messages. */
public final class Checks {
  private Checks() {}

  /**
   * @param duration the value
   * @param name its name in the message
   * @return the value
   * @throws NullPointerException when it is null
   * @throws IllegalArgumentException when it is zero or negative
   */
  public static Duration positive(Duration duration, String name) {
    if (requireNonNull(duration, name).isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
    return duration;
  }

  /**
   * @param value the value
   * @param name its name in the message
   * @return the value
   * @throws IllegalArgumentException when it is below 1
   */
  public static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }
}
