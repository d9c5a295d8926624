package io.hookguard.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RandomGenerator NO_JITTER = new RandomGenerator() {
    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public double nextDouble() {
      return 0;
    }
  };

  @Test
  void delaysGrowByTheFactorUpToTheCapAndStopAtTheLastAttempt() {
    RetryPolicy policy = RetryPolicy.builder().initialDelay(Duration.ofSeconds(1)).factor(2)
        .maxDelay(Duration.ofSeconds(4)).maxAttempts(5).noMaxAge().build();

    assertThat(policy.nextDelay(1, Duration.ZERO, NO_JITTER)).contains(Duration.ofSeconds(1));
    assertThat(policy.nextDelay(2, Duration.ZERO, NO_JITTER)).contains(Duration.ofSeconds(2));
    assertThat(policy.nextDelay(3, Duration.ZERO, NO_JITTER)).contains(Duration.ofSeconds(4));
    assertThat(policy.nextDelay(4, Duration.ZERO, NO_JITTER)).contains(Duration.ofSeconds(4));
    assertThat(policy.nextDelay(5, Duration.ZERO, NO_JITTER)).isEmpty();
  }

  @Test
  void jitterTakesUpToItsShareOffEachDelay() {
    RetryPolicy policy = RetryPolicy.builder().initialDelay(Duration.ofSeconds(10)).jitter(0.5).build();
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      assertThat(policy.nextDelay(1, Duration.ZERO, random).orElseThrow())
          .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
  }

  @Test
  void noAttemptIsScheduledPastTheMaximumAge() {
    RetryPolicy policy = RetryPolicy.builder().initialDelay(Duration.ofMinutes(1)).maxAttempts(100)
        .maxAge(Duration.ofMinutes(10)).jitter(0).build();

    assertThat(policy.nextDelay(1, Duration.ofMinutes(8), NO_JITTER)).contains(Duration.ofMinutes(1));
    assertThat(policy.nextDelay(1, Duration.ofMinutes(9).plusSeconds(1), NO_JITTER)).isEmpty();
  }

  @Test
  void theDefaultsTryTenTimesOverAbout85MinutesBeforeJitter() {
    RetryPolicy defaults = RetryPolicy.defaults();
    Duration total = Duration.ZERO;
    int attempt = 1;
    for (; defaults.nextDelay(attempt, total, NO_JITTER).isPresent(); attempt++) {
      total = total.plus(defaults.nextDelay(attempt, total, NO_JITTER).get());
    }
    assertThat(attempt).isEqualTo(10);
    assertThat(total).isEqualTo(Duration.ofSeconds(5110));
  }

  @Test
  void theBuilderRefusesNonsenseAtOnce() {
    assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().factor(0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().factor(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().maxAge(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofMinutes(2)).maxDelay(Duration.ofMinutes(1))
        .build()).isInstanceOf(IllegalStateException.class);
  }
}
