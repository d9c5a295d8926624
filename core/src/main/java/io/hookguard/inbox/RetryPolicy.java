package io.hookguard.inbox;

import static io.hookguard.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * When a failed delivery is tried again: exponential backoff with jitter, until a number of
 * attempts or an age is reached, after which it becomes a dead letter. The delay after the
 * {@code n}-th failed attempt is {@code min(maxDelay, initialDelay × factor^(n-1))}, less a random
 * share of up to {@code jitter} of it, so that deliveries that failed together (a downstream
 * outage) do not all come back at the same moment. Immutable.
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = builder().build();

  private final Duration initialDelay;
  private final double factor;
  private final Duration maxDelay;
  private final double jitter;
  private final int maxAttempts;
  private final @Nullable Duration maxAge;

  private RetryPolicy(Builder builder) {
    this.initialDelay = builder.initialDelay;
    this.factor = builder.factor;
    this.maxDelay = builder.maxDelay;
    this.jitter = builder.jitter;
    this.maxAttempts = builder.maxAttempts;
    this.maxAge = builder.maxAge;
  }

  /**
   * The defaults: 10 attempts in all, the first retry after 10 s (less jitter), doubling up to
   * 1 h, half-jittered, for at most 3 days: a delivery failing for good becomes a dead letter
   * after about 85 minutes of delays before jitter (10 s + 20 s + … + 2,560 s), an hour or so with it.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Starts configuring a policy, from the {@linkplain #defaults() defaults}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The delay before the next attempt, or none when the delivery should become a dead letter.
   *
   * @param failedAttempts how many attempts have failed, counting the one that just did (from 1)
   * @param age how long the delivery has been retried (since arrival, or its last replay)
   * @param random the jitter's source
   * @return the delay, or empty when no attempt is left
   */
  public Optional<Duration> nextDelay(int failedAttempts, Duration age, RandomGenerator random) {
    if (failedAttempts >= maxAttempts) {
      return Optional.empty();
    }
    double base = initialDelay.toNanos() * Math.pow(factor, Math.max(0, failedAttempts - 1));
    double capped = Math.min(base, maxDelay.toNanos());
    Duration delay = Duration.ofNanos((long) (capped * (1 - jitter * random.nextDouble())));
    if (maxAge != null && age.plus(delay).compareTo(maxAge) > 0) {
      return Optional.empty();
    }
    return Optional.of(delay);
  }

  /** @return how many attempts a delivery gets in all */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** @return how long a delivery is retried, if bounded */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  @Override
  public String toString() {
    return "RetryPolicy[" + initialDelay + " x" + factor + " up to " + maxDelay + ", jitter " + jitter + ", "
        + maxAttempts + " attempts" + (maxAge == null ? "" : ", at most " + maxAge) + "]";
  }

  /** Configures a {@link RetryPolicy}; every setter checks its value at once. */
  public static final class Builder {
    private Duration initialDelay = Duration.ofSeconds(10);
    private double factor = 2;
    private Duration maxDelay = Duration.ofHours(1);
    private double jitter = 0.5;
    private int maxAttempts = 10;
    private @Nullable Duration maxAge = Duration.ofDays(3);

    private Builder() {}

    /**
     * The delay after the first failed attempt (before jitter).
     *
     * @param initialDelay a positive duration, 10 s by default
     * @return this builder
     */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = positive(initialDelay, "initialDelay");
      return this;
    }

    /**
     * How much each delay grows over the one before.
     *
     * @param factor at least 1 (1: a constant delay), 2 by default
     * @return this builder
     */
    public Builder factor(double factor) {
      if (!(factor >= 1) || Double.isInfinite(factor)) {
        throw new IllegalArgumentException("factor must be at least 1: " + factor);
      }
      this.factor = factor;
      return this;
    }

    /**
     * The longest delay (before jitter).
     *
     * @param maxDelay a positive duration, 1 h by default
     * @return this builder
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = positive(maxDelay, "maxDelay");
      return this;
    }

    /**
     * The share of each delay taken off at random: a delay {@code d} becomes one in
     * {@code [(1 - jitter) d, d]}.
     *
     * @param jitter between 0 (none) and 1, 0.5 by default
     * @return this builder
     */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * How many attempts a delivery gets in all, the first included.
     *
     * @param maxAttempts at least 1, 10 by default
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * How long a delivery is retried, counted from its arrival (or its last replay): no attempt
     * is scheduled past it.
     *
     * @param maxAge a positive duration, 3 days by default
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = positive(maxAge, "maxAge");
      return this;
    }

    /**
     * Bounds retries by {@link #maxAttempts} alone.
     *
     * @return this builder
     */
    public Builder noMaxAge() {
      this.maxAge = null;
      return this;
    }

    /**
     * Makes the policy.
     *
     * @return the policy
     * @throws IllegalStateException when {@code maxDelay} is shorter than {@code initialDelay}
     */
    public RetryPolicy build() {
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new IllegalStateException("maxDelay (" + maxDelay + ") is shorter than initialDelay (" + initialDelay + ")");
      }
      return new RetryPolicy(this);
    }

  }
}
