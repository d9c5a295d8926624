package io.hookguard.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/** Guards that the shared starter tests in this module really run on the Boot 3.5 line. */
class BootLineTest {

  @Test
  void theStarterTestsHereRunOnSpringBoot35() throws Exception {
    assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
    assertThat(Class.forName("org.springframework.boot.actuate.health.HealthIndicator")).isNotNull();
  }
}
