package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a scheme fingerprints: the body, less the time of sending a sender re-stamps on every retry. */
class FingerprintContentTest {

  private static byte[] without(String path, String json) {
    return new JsonFields(List.of(path)).without(json.getBytes(UTF_8));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8).replace('\0', '|');
  }

  @Test
  void aValueIsCutByteForByteAndMarkedWhereItWas() {
    assertThat(text(without("t", "{\"a\":1,\"t\":1733047200123,\"b\":\"x\"}"))).isEqualTo("{\"a\":1,\"t\":|,\"b\":\"x\"}");
    assertThat(text(without("t", "{\"t\" : \"2026-12-01T10:00:00Z\" }"))).isEqualTo("{\"t\" : | }");
    assertThat(text(without("t", "{\"t\":\"a\\\"b\\u00e9\"}"))).as("escapes inside the string").isEqualTo("{\"t\":|}");
    assertThat(text(without("e.t", "{\"t\":0,\"e\":{\"id\":\"x\",\"t\":5},\"z\":true}"))).as("a nested path")
        .isEqualTo("{\"t\":0,\"e\":{\"id\":\"x\",\"t\":|},\"z\":true}");
    assertThat(text(without("t", "{\"t\":1,\"t\":2}"))).as("the first occurrence, as read() takes").isEqualTo("{\"t\":|,\"t\":2}");
    // The value read() takes and the scheme verified: the first non-null scalar; never an object.
    assertThat(text(without("t", "{\"t\":null,\"t\":1}"))).isEqualTo("{\"t\":null,\"t\":|}");
    assertThat(text(without("t", "{\"t\":{\"x\":1},\"t\":1}"))).isEqualTo("{\"t\":{\"x\":1},\"t\":|}");
    assertThat(text(without("t", "{\"t\":[1],\"t\":\"2\"}"))).isEqualTo("{\"t\":[1],\"t\":|}");
    assertThat(text(without("t", "{\"a\":[{\"t\":1}],\"t\":\"é\"}"))).as("arrays are not entered")
        .isEqualTo("{\"a\":[{\"t\":1}],\"t\":|}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1}", "[{\"t\":1}]", "\"t\"", "{\"t\":", "not json", ""})
  void aBodyWithoutThePathOrNotAJsonObjectIsKeptWhole(String json) {
    byte[] body = json.getBytes(UTF_8);
    assertThat(new JsonFields(List.of("t")).without(body)).isSameAs(body);
  }

  @Test
  void whatIsCutIsWhatReadTakes() {
    JsonFields fields = new JsonFields(List.of("s.a", "s.b"));
    for (String json : List.of("{\"s\":{\"a\":null},\"s\":{\"a\":\"1\",\"b\":2}}", "{\"s\":{\"b\":[3]},\"x\":{\"a\":0},\"s\":{\"b\":4,\"a\":5}}")) {
      byte[] body = json.getBytes(UTF_8);
      String[] read = fields.read(body);
      String cut = text(fields.without(body));
      // Each value read is gone from the cut body exactly once, at the place it was read.
      assertThat(cut.chars().filter(c -> c == '|').count()).isEqualTo(2);
      for (String value : read) {
        assertThat(json.indexOf(value)).isGreaterThanOrEqualTo(0);
      }
    }
    assertThat(text(fields.without("{\"s\":{\"a\":null},\"s\":{\"a\":\"1\",\"b\":2}}".getBytes(UTF_8))))
        .isEqualTo("{\"s\":{\"a\":null},\"s\":{\"a\":|,\"b\":|}}");
  }

  @Test
  void bodiesThatDifferOutsideTheCutValueStillDiffer() {
    // Moving bytes across the cut must not make two bodies one: the mark keeps the cut's place.
    assertThat(without("t", "{\"t\":1,\"a\":\"xy\"}")).isNotEqualTo(without("t", "{\"t\":1,\"a\":\"x\"}"));
    assertThat(without("t", "{\"a\":\"\",\"t\":\"1\"}")).isNotEqualTo(without("t", "{\"a\":\"1\",\"t\":\"\"}"));
  }

  private static WebhookRequest linear(long sentAtMillis, String state) {
    return WebhookRequest.builder().body("{\"action\":\"update\",\"data\":{\"state\":\"" + state
        + "\"},\"webhookTimestamp\":" + sentAtMillis + "}").build();
  }

  @Test
  void linearFingerprintsTheBodyWithoutItsTimeOfSending() {
    assertThat(Providers.LINEAR.fingerprintContent(linear(1733047200000L, "done")))
        .isEqualTo(Providers.LINEAR.fingerprintContent(linear(1733047260000L, "done")))
        .isNotEqualTo(Providers.LINEAR.fingerprintContent(linear(1733047200000L, "todo")));
  }

  @Test
  void aSchemeBuiltWithABodyTimestampLeavesItOutAndOthersFingerprintTheBodyItself() {
    WebhookScheme own = WebhookScheme.builder("own").signatureHeader("X-Own-Signature")
        .timestampJsonField("meta.sentAt", TimestampFormat.UNIX_SECONDS).defaultTolerance(Duration.ofMinutes(5))
        .build();
    WebhookRequest first = WebhookRequest.builder().body("{\"id\":\"e1\",\"meta\":{\"sentAt\":100}}").build();
    WebhookRequest retry = WebhookRequest.builder().body("{\"id\":\"e1\",\"meta\":{\"sentAt\":160}}").build();
    assertThat(own.fingerprintContent(first)).isEqualTo(own.fingerprintContent(retry));

    WebhookRequest stripe = WebhookRequest.builder().body("{\"id\":\"evt_1\",\"created\":100}").build();
    assertThat(Providers.STRIPE.fingerprintContent(stripe)).isSameAs(stripe.body());
    assertThat(Providers.GITHUB.fingerprintContent(stripe)).isSameAs(stripe.body());
  }

  @Test
  void mailgunFingerprintsTheEventWithoutTheSignatureOfTheAttempt() {
    String event = "\"event-data\":{\"id\":\"ev1\",\"event\":\"delivered\"}";
    WebhookRequest first = WebhookRequest.builder().body("{\"signature\":{\"timestamp\":\"100\",\"token\":\"aaa\","
        + "\"signature\":\"0f\"}," + event + "}").build();
    WebhookRequest retry = WebhookRequest.builder().body("{\"signature\":{\"timestamp\":\"160\",\"token\":\"bbbb\","
        + "\"signature\":\"1e\"}," + event + "}").build();
    assertThat(Providers.MAILGUN.fingerprintContent(first)).isEqualTo(Providers.MAILGUN.fingerprintContent(retry));
    assertThat(text(Providers.MAILGUN.fingerprintContent(first)))
        .isEqualTo("{\"signature\":{\"timestamp\":|,\"token\":|,\"signature\":|}," + event + "}");
    assertThat(new String(Providers.MAILGUN.replayContent(first), UTF_8)).as("what Mailgun signed").isEqualTo("100aaa");
  }

  private static WebhookRequest push(int attempt, String data) {
    return WebhookRequest.builder().body("{\"message\":{\"data\":\"" + data + "\",\"messageId\":\"17\"},"
        + "\"subscription\":\"projects/p/subscriptions/s\",\"deliveryAttempt\":" + attempt + "}").build();
  }

  @Test
  void googleIdTokensFingerprintAPubSubPushWithoutItsDeliveryAttempt() {
    // With a dead-letter policy Pub/Sub counts the attempts in the body: a retry is another body.
    WebhookScheme google = Providers.googleIdToken("https://hooks.example.com/push");
    assertThat(google.fingerprintContent(push(1, "e30=")))
        .isEqualTo(google.fingerprintContent(push(2, "e30=")))
        .isNotEqualTo(google.fingerprintContent(push(1, "e31=")));
    WebhookRequest plain = WebhookRequest.builder().body("{\"message\":{\"messageId\":\"17\"}}").build();
    assertThat(google.fingerprintContent(plain)).isSameAs(plain.body());
  }
}
