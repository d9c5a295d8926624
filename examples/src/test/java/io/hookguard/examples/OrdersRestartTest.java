package io.hookguard.examples;

import static io.hookguard.examples.Orders.eventually;
import static io.hookguard.examples.Orders.order;
import static io.hookguard.examples.Orders.runs;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.examples.receiver.ReceiverApplication;
import io.hookguard.examples.sender.DemoSender;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The default H2 database is a file: a restarted receiver still has its inbox and its runs. */
class OrdersRestartTest {
  @TempDir
  Path data;

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(ReceiverApplication.class).run("--server.port=0", "--spring.jmx.enabled=false",
        "--spring.datasource.url=jdbc:h2:file:" + data.resolve("hookguard-receiver"));
  }

  private static String base(ConfigurableApplicationContext context) {
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @Test
  void aRestartKeepsDeadLettersAndRunsAndTheReplayRunsThere() {
    String done = "msg_before_restart";
    String doomed = "msg_dead_before_restart";
    try (ConfigurableApplicationContext first = start()) {
      assertThat(Http.send(order(base(first), done, 0)).statusCode()).isEqualTo(200);
      assertThat(Http.send(order(base(first), doomed, 4)).statusCode()).isEqualTo(200);
      eventually("processed", Duration.ofSeconds(10), () -> runs(base(first), done) == 1);
      eventually("a dead letter", Duration.ofSeconds(20), () -> Orders.deadLetter(base(first), doomed) != null);
    }

    try (ConfigurableApplicationContext second = start()) {
      String letter = Orders.deadLetter(base(second), doomed);
      assertThat(letter).isNotNull().contains("\"attempts\":4");
      assertThat(runs(base(second), done)).isEqualTo(1);
      assertThat(Http.send(Orders.SIGNER.sign(order(base(second), done, 0))).headers().firstValue("Hookguard-Replay"))
          .as("still a duplicate after the restart").hasValue("true");

      assertThat(Http.send(HttpRequest.newBuilder(URI.create(base(second) + "/inbox/dead-letters/"
          + DemoSender.field(letter, "id") + "/replay")).POST(HttpRequest.BodyPublishers.noBody()).build())
          .statusCode()).isEqualTo(202);
      eventually("the replay ran", Duration.ofSeconds(10), () -> runs(base(second), doomed) == 1);
    }
  }
}
