package io.hookguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.examples.receiver.ReceiverApplication;
import io.hookguard.examples.sender.DemoSender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The demo sender against the real receiver prints what the README says it prints. */
@SpringBootTest(classes = ReceiverApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoSenderTest {
  @Value("${local.server.port}")
  int port;

  @Test
  void eachStepGetsTheAnswerTheReadmeShows() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Map<String, String> answers = DemoSender.run("http://127.0.0.1:" + port,
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(answers.get("valid delivery")).isEqualTo("200");
    assertThat(answers.get("the sender's retry")).isEqualTo("200 (replay acknowledged)");
    assertThat(answers.get("tampered amount")).isEqualTo("401 no-matching-signature");
    assertThat(answers.get("sent an hour ago")).isEqualTo("401 timestamp-too-old");
    assertThat(answers.get("20 concurrent copies")).matches("\\{200=\\d+(, 409=\\d+)?\\}");
    assertThat(answers.get("order (200 ms handler)")).matches("200 in \\d+ ms");
    assertThat(answers.get("  handled in the background")).matches("ran once, done \\d+\\+ ms after the answer");
    assertThat(answers.get("order failing twice")).isEqualTo("200, retried, then ran once");
    assertThat(answers.get("order failing 4 times")).isEqualTo("200, dead letter after 4 attempts");
    assertThat(answers.get("  replayed")).isEqualTo("202, then ran once");
    assertThat(answers.get("handler runs (/processed)")).contains("\"evt_demo_").contains("\"evt_burst_")
        .contains("\"msg_order_").contains("\"msg_flaky_").contains("\"msg_doomed_")
        .doesNotContain(":2").doesNotContain("evt_stale_");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("valid delivery").doesNotContain("whsec_");
  }
}
