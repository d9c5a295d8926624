package io.hookguard.test;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, to pin the time a verifier checks timestamp
 * windows against (and a signer signs with). Give the same instance to both: to
 * {@code WebhookVerifier.Builder.clock}, to {@link TestWebhook#clock(Clock)}, or, in Spring Boot,
 * as the application's {@code Clock} bean, which the Hookguard starter uses for every endpoint.
 *
 * <p>Thread-safe: a delivery verified on a server thread sees the time the test set.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private TestClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock pinned at an instant, in UTC.
   *
   * @param instant the time it reads until moved
   * @return the clock
   */
  public static TestClock at(Instant instant) {
    return new TestClock(new AtomicReference<>(requireNonNull(instant, "instant")), ZoneOffset.UTC);
  }

  /**
   * A clock pinned at the current system time, in UTC.
   *
   * @return the clock
   */
  public static TestClock now() {
    return at(Instant.now());
  }

  /**
   * Sets the time.
   *
   * @param instant the time it reads from now on
   */
  public void set(Instant instant) {
    now.set(requireNonNull(instant, "instant"));
  }

  /**
   * Moves the time, forward for a positive amount, backward for a negative one.
   *
   * @param amount how far
   * @return the new time
   */
  public Instant advance(Duration amount) {
    requireNonNull(amount, "amount");
    return now.updateAndGet(instant -> instant.plus(amount));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same time, seen in another zone: moving either moves both. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new TestClock(now, requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "TestClock[" + now.get() + "]";
  }
}
