package io.hookguard.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/** Guards that the shared starter tests in this module really run on the Boot 3.5 line. */
class BootLineTest {
  /** A Boot 4.x or Spring Framework 7.x jar, by its place in a Maven repository. */
  private static final Pattern NEXT_LINE = Pattern.compile(
      "/org/springframework/boot/[^/]+/4\\.|/org/springframework/(?!boot/)[^/]+/7\\.");

  @Test
  void theStarterTestsHereRunOnSpringBoot35() throws Exception {
    assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
    assertThat(Class.forName("org.springframework.boot.actuate.health.HealthIndicator")).isNotNull();
  }

  /**
   * This module consumes the starter as a Boot 3.5 application does: nothing of Boot 4 may come
   * with it, in particular no Boot 4-only artifact (such as spring-boot-health) that the 3.5 BOM
   * does not manage down.
   */
  @Test
  void noSpringBoot4OrSpring7ArtifactComesWithTheStarter() throws Exception {
    List<String> jars = Collections.list(getClass().getClassLoader().getResources("META-INF/MANIFEST.MF"))
        .stream().map(URL::toString).toList();
    assertThat(jars).anyMatch(jar -> jar.contains("/org/springframework/boot/spring-boot/3.5."))
        .anyMatch(jar -> jar.contains("/org/springframework/spring-core/6."));
    assertThat(jars).noneMatch(jar -> NEXT_LINE.matcher(jar).find());
  }
}
