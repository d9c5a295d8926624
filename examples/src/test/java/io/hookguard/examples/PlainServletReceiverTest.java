package io.hookguard.examples;

import static io.hookguard.examples.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import io.hookguard.examples.servlet.PlainServletReceiver;
import java.net.http.HttpResponse;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/** The plain-servlet example over real HTTP. */
class PlainServletReceiverTest {

  @Test
  void verifiesDeduplicatesAndServesFormParameters() throws Exception {
    Tomcat tomcat = PlainServletReceiver.start(0);
    try {
      String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
      WebhookRequest delivery = ReceiverContractTest.STRIPE.sign(WebhookRequest.builder()
          .url(base + "/webhooks/stripe").header("Content-Type", "application/json")
          .body("{\"id\":\"evt_plain\",\"type\":\"invoice.paid\"}").build());

      HttpResponse<String> first = send(delivery);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).contains("\"received\":\"evt_plain\"");
      assertThat(send(ReceiverContractTest.STRIPE.sign(delivery)).headers().firstValue("Hookguard-Replay"))
          .hasValue("true");
      assertThat(send(delivery.toBuilder().body("{\"id\":\"evt_plain\",\"type\":\"x\"}").build()).statusCode())
          .isEqualTo(401);

      HttpResponse<String> command = send(ReceiverContractTest.SLACK.sign(WebhookRequest.builder()
          .url(base + "/webhooks/slack/commands").header("Content-Type", "application/x-www-form-urlencoded")
          .body("command=%2Fdeploy&text=now").build()));
      assertThat(command.statusCode()).isEqualTo(200);
      assertThat(command.body()).isEqualTo("{\"command\":\"/deploy\"}");
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}
