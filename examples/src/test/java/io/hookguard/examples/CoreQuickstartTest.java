package io.hookguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoreQuickstartTest {

  @Test
  void printsWhatTheReadmePromises() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Map<String, String> outcomes = CoreQuickstart.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(outcomes).containsOnlyKeys("valid delivery", "tampered body", "sent 10 minutes ago",
        "signed with another secret", "garbage signature header");
    assertThat(outcomes.get("valid delivery")).isEqualTo("VERIFIED  event evt_demo_1 (invoice.paid)");
    assertThat(outcomes.get("tampered body")).startsWith("REJECTED  401 no-matching-signature");
    assertThat(outcomes.get("sent 10 minutes ago")).startsWith("REJECTED  401 timestamp-too-old");
    assertThat(outcomes.get("signed with another secret")).startsWith("REJECTED  401 no-matching-signature");
    assertThat(outcomes.get("garbage signature header")).startsWith("REJECTED  400 malformed-timestamp");
    assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(CoreQuickstart.DEMO_SECRET);
  }
}
