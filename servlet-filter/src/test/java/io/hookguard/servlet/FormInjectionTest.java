package io.hookguard.servlet;

import static io.hookguard.servlet.AttackTarget.assertProblem;
import static io.hookguard.servlet.AttackTarget.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Form deliveries: the application sees parameters from the signed bytes only. Query parameters
 * an attacker appends to a body-signing sender's URL are not parameters of the delivery; a
 * URL-signing sender's (Twilio) are. Parameter floods are refused after the signature and before
 * the application.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class FormInjectionTest {
  /** The container this run of the class is in. */
  @Parameter
  Container container;

  private static AttackTarget target;

  @BeforeParameterizedClassInvocation
  static void start(Container container) {
    target = AttackTarget.start(container);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    target.close();
  }

  private static WebhookRequest slackForm(String pathAndQuery, String form, String probe) {
    return AttackTarget.SLACK.sign(WebhookRequest.builder().url(target.url(pathAndQuery))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(SeenServlet.PROBE_HEADER, probe).body(form).build());
  }

  private static HttpResponse<String> send(WebhookRequest signed) {
    return target.server.send(TestServer.post(signed).build());
  }

  @Test
  void queryParametersAppendedToASignedSlashCommandAreNotParametersOfTheDelivery() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = slackForm(AttackTarget.SLACK_PATH + "?command=/rm-rf&extra=1", "command=/deploy&text=x", probe);

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode seen = json(response.body());
    assertThat(seen.path("verified").asBoolean()).isTrue();
    assertThat(seen.path("command").asText()).as(response.body()).isEqualTo("/deploy");
    assertThat(seen.path("commandValues")).as(response.body()).hasSize(1);
    assertThat(seen.path("commandValues").get(0).asText()).isEqualTo("/deploy");
    assertThat(seen.path("extra").isNull()).as("getParameter(\"extra\") is null: %s", response.body()).isTrue();
    assertThat(target.app.seen(probe)).singleElement().satisfies(s ->
        assertThat(s.parameters()).as("the whole parameter map")
            .isEqualTo(Map.of("command", List.of("/deploy"), "text", List.of("x"))));
  }

  @Test
  void aQueryParameterTheBodyDoesNotHaveIsInvisibleToo() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = slackForm(AttackTarget.SLACK_PATH + "?extra=1&text=injected", "command=/deploy&text=x", probe);

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(target.app.seen(probe)).singleElement().satisfies(s ->
        assertThat(s.parameters()).isEqualTo(Map.of("command", List.of("/deploy"), "text", List.of("x"))));
  }

  @Test
  void aUrlSigningSendersQueryParametersAreSignedAndVisible() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = AttackTarget.TWILIO.sign(WebhookRequest.builder()
        .url(target.url(AttackTarget.TWILIO_PATH + "?extra=1&command=/from-query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(SeenServlet.PROBE_HEADER, probe).body("CallSid=CA1&Body=hi").build());

    HttpResponse<String> response = send(signed);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode seen = json(response.body());
    assertThat(seen.path("extra").asText()).isEqualTo("1");
    assertThat(seen.path("command").asText()).isEqualTo("/from-query");
    assertThat(target.app.seen(probe)).singleElement().satisfies(s -> {
      assertThat(s.parameters()).containsEntry("CallSid", List.of("CA1")).containsEntry("Body", List.of("hi"))
          .containsEntry("extra", List.of("1"));
    });
  }

  @Test
  void aTwilioUrlWithAnAddedQueryParameterNoLongerVerifies() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = AttackTarget.TWILIO.sign(WebhookRequest.builder()
        .url(target.url(AttackTarget.TWILIO_PATH + "?extra=1"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(SeenServlet.PROBE_HEADER, probe).body("CallSid=CA1&Body=hi").build());

    HttpResponse<String> response = send(signed.toBuilder()
        .url(target.url(AttackTarget.TWILIO_PATH + "?extra=1&command=/rm-rf")).build());

    assertProblem(response, 401, "no-matching-signature");
    assertThat(target.app.seen(probe)).isEmpty();
  }

  static String flood(int parameters) {
    StringBuilder form = new StringBuilder(parameters * 14);
    for (int i = 1; i <= parameters; i++) {
      if (i > 1) {
        form.append('&');
      }
      form.append('a').append(i).append('=').append(i);
    }
    return form.toString();
  }

  @Test
  void aParameterFloodWithAWrongSignatureIsUnauthorizedBeforeAnyDecoding() {
    String probe = AttackTarget.probe();
    WebhookRequest forged = WebhookSigner.builder(Providers.SLACK).secret("not-the-secret").build()
        .sign(WebhookRequest.builder().url(target.url(AttackTarget.SLACK_PATH))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(SeenServlet.PROBE_HEADER, probe).body(flood(100_000)).build());

    long start = System.nanoTime();
    HttpResponse<String> response = send(forged);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertProblem(response, 401, "no-matching-signature");
    assertThat(target.app.seen(probe)).isEmpty();
    assertThat(millis).as("answered promptly").isLessThan(5_000);
  }

  @Test
  void aValidlySignedParameterFloodIsRefusedAsTooManyParameters() {
    String probe = AttackTarget.probe();

    HttpResponse<String> response = send(slackForm(AttackTarget.SLACK_PATH, flood(100_000), probe));

    assertProblem(response, 413, "too-many-parameters");
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @Test
  void theDefaultParameterLimitIsOneThousand() {
    String atLimit = AttackTarget.probe();
    String overLimit = AttackTarget.probe();

    HttpResponse<String> accepted = send(slackForm(AttackTarget.SLACK_PATH, flood(1_000), atLimit));
    HttpResponse<String> refused = send(slackForm(AttackTarget.SLACK_PATH, flood(1_001), overLimit));

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(target.app.seen(atLimit)).singleElement()
        .satisfies(s -> assertThat(s.parameters()).hasSize(1_000));
    assertProblem(refused, 413, "too-many-parameters");
    assertThat(target.app.seen(overLimit)).isEmpty();
  }

  @Test
  void injectedQueryParametersDoNotCountTowardsOrBypassTheLimit() {
    String probe = AttackTarget.probe();
    StringBuilder query = new StringBuilder("?q0=0");
    for (int i = 1; i < 2_000; i++) {
      query.append("&q").append(i).append('=').append(i);
    }

    HttpResponse<String> response = send(slackForm(AttackTarget.SLACK_PATH + query, "command=/deploy&text=x", probe));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(target.app.seen(probe)).singleElement().satisfies(s ->
        assertThat(s.parameters()).isEqualTo(Map.of("command", List.of("/deploy"), "text", List.of("x"))));
  }
}
