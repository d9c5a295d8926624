package io.hookguard.examples;

import static io.hookguard.examples.Http.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.examples.servlet.PlainServletReceiver;
import io.hookguard.test.TestWebhook;
import java.net.http.HttpResponse;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/** The plain-servlet example over real HTTP. */
class PlainServletReceiverTest {

  @Test
  void noVariantOfAnEndpointPathReachesTheAppUnverifiedOrGetsA5xx() throws Exception {
    Tomcat tomcat = PlainServletReceiver.start(0);
    try {
      String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
      for (String path : new String[] {"/webhooks/stripe/", "/webhooks//stripe", "/webhooks/stripe;a=b",
          "/webhooks/%73tripe", "/webhooks/x/%2e%2e/stripe", "/webhooks/STRIPE", "/webhooks/stripe%20",
          "/webhooks/stripe.json", "/webhooks/slack/commands/", "/webhooks/slack", "/webhooks/", "/webhooks/stripe/x"}) {
        HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
            .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
            .build());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isBetween(400, 499);
        assertThat(response.body()).as(path).doesNotContain("Exception").doesNotContain("received");
      }
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void verifiesDeduplicatesAndServesFormParameters() throws Exception {
    Tomcat tomcat = PlainServletReceiver.start(0);
    try {
      String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
      java.net.URI stripe = java.net.URI.create(base + "/webhooks/stripe");
      TestWebhook delivery = ReceiverContractTest.STRIPE.eventId("evt_plain").eventType("invoice.paid");

      HttpResponse<String> first = send(delivery.httpRequest(stripe));
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).contains("\"received\":\"evt_plain\"");
      assertThat(send(delivery.httpRequest(stripe)).headers().firstValue("Hookguard-Replay")).hasValue("true");
      assertThat(send(delivery.tamperedBody().httpRequest(stripe)).statusCode()).isEqualTo(401);

      java.net.URI commands = java.net.URI.create(base + "/webhooks/slack/commands");
      HttpResponse<String> command = send(ReceiverContractTest.SLACK.form("command=%2Fdeploy&text=now").httpRequest(commands));
      assertThat(command.statusCode()).isEqualTo(200);
      assertThat(command.body()).isEqualTo("{\"command\":\"/deploy\"}");
      // A signed command without its command parameter is the app's 400, not a 500.
      assertThat(send(ReceiverContractTest.SLACK.form("text=now").httpRequest(commands)).statusCode()).isEqualTo(400);
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}
