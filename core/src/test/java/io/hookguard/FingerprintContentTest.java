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
    assertThat(text(without("s", "{\"s\":{\"t\":1,\"n\":[1,{\"x\":2}]},\"e\":{}}"))).as("a whole object")
        .isEqualTo("{\"s\":|,\"e\":{}}");
    assertThat(text(without("e.t", "{\"t\":0,\"e\":{\"id\":\"x\",\"t\":5},\"z\":true}"))).as("a nested path")
        .isEqualTo("{\"t\":0,\"e\":{\"id\":\"x\",\"t\":|},\"z\":true}");
    assertThat(text(without("t", "{\"t\":1,\"t\":2}"))).as("the first occurrence, as read() takes").isEqualTo("{\"t\":|,\"t\":2}");
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
    assertThat(text(Providers.MAILGUN.fingerprintContent(first))).isEqualTo("{\"signature\":|," + event + "}");
  }
}
