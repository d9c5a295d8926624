package io.hookguard.servlet;

import io.hookguard.delivery.Answer;

import static io.hookguard.servlet.AttackTarget.assertProblem;
import static io.hookguard.servlet.AttackTarget.assertRefusedCleanly;
import static io.hookguard.servlet.AttackTarget.utf8;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Bodies that end early or are framed wrongly: typed 4xx, never the application. */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class BodyFaultTest {
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

  /**
   * An answer to a body that cannot be read: 400, or none at all if the connection was reset.
   * Where Tomcat detects the fault itself (a short or badly framed body) it commits its own 400
   * before the filter can answer, so the answer is Tomcat's status page rather than a problem;
   * Jetty leaves the fault to the reader, so there it is always the filter's
   * {@code unreadable-body} problem. Either way a 400 without a stack trace, and the application
   * never runs.
   */
  private static void assertUnreadableOrNoAnswer(RawHttp.Answer answer, String probe) {
    if (!answer.none()) {
      assertUnreadable(answer);
    }
    assertThat(target.app.seen(probe)).as("%s", answer).isEmpty();
  }

  private static void assertUnreadable(RawHttp.Answer answer) {
    if (target.container == Container.JETTY) {
      assertProblem(answer, 400, "unreadable-body");
    } else if (answer.header("Content-Type").filter(type -> type.startsWith(Answer.PROBLEM_MEDIA_TYPE)).isPresent()) {
      assertProblem(answer, 400, "unreadable-body");
    } else {
      assertThat(answer.status()).as("%s", answer).isEqualTo(400);
      assertRefusedCleanly(answer);
    }
  }

  @Test
  void anUnsignedBodyShorterThanItsContentLengthThenClosedIsUnreadable() {
    String probe = AttackTarget.probe();
    byte[] request = RawHttp.concat(RawHttp.head("POST", AttackTarget.STRIPE_PATH,
        "Content-Type: application/json", "Content-Length: 1000", SeenServlet.PROBE_HEADER + ": " + probe),
        utf8("0123456789"));

    RawHttp.Answer answer = RawHttp.exchange(target.port(), request, true, Duration.ofSeconds(10));

    assertUnreadableOrNoAnswer(answer, probe);
  }

  /** The signature covers the ten bytes sent, but the sender said a thousand would come. */
  @Test
  void aSignedBodyShorterThanItsContentLengthThenClosedIsUnreadableNotVerified() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = AttackTarget.GITHUB.sign(WebhookRequest.builder().url(target.url(AttackTarget.GITHUB_PATH))
        .header("Content-Type", "application/json").header("X-GitHub-Delivery", "gh-short-" + probe)
        .header(SeenServlet.PROBE_HEADER, probe).body("{\"a\":\"bc\"}").build());
    assertThat(signed.body()).hasSize(10);
    byte[] full = AttackTarget.raw(signed, "POST", AttackTarget.GITHUB_PATH);
    String text = new String(full, ISO_8859_1).replace("Content-Length: 10\r\n", "Content-Length: 1000\r\n");

    RawHttp.Answer answer = RawHttp.exchange(target.port(), text.getBytes(ISO_8859_1), true, Duration.ofSeconds(10));

    assertUnreadableOrNoAnswer(answer, probe);
  }

  @Test
  void aSignedChunkedBodyCutOffMidChunkIsUnreadable() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_cut_" + probe);
    String body = new String(signed.body(), ISO_8859_1);
    String chunked = Integer.toHexString(body.length()) + "\r\n" + body.substring(0, body.length() / 2);
    byte[] request = RawHttp.concat(signedHead(signed, "Transfer-Encoding: chunked",
        SeenServlet.PROBE_HEADER + ": " + probe), chunked.getBytes(ISO_8859_1));

    RawHttp.Answer answer = RawHttp.exchange(target.port(), request, true, Duration.ofSeconds(10));

    assertUnreadableOrNoAnswer(answer, probe);
  }

  private static byte[] signedHead(WebhookRequest signed, String... more) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (String name : signed.headers().names()) {
      for (String value : signed.headers().all(name)) {
        lines.add(name + ": " + value);
      }
    }
    lines.addAll(java.util.List.of(more));
    return RawHttp.head("POST", AttackTarget.STRIPE_PATH, lines.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zz\r\n0123\r\n0\r\n\r\n", "-1\r\nabc\r\n0\r\n\r\n", "fffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
      "4\r\n0123XX0\r\n\r\n", "4;ext=\"unterminated\r\n0123\r\n0\r\n\r\n", "0x4\r\n0123\r\n0\r\n\r\n",
      "4\r\n0123\r\n0\r\nTrailer: x\r\n\r\n", "\r\n\r\n", "4\n0123\n0\n\n"})
  void aMalformedChunkedBodyIsA4xxWithoutAStackTrace(String chunks) {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_chunks_" + probe);
    byte[] request = RawHttp.concat(signedHead(signed, "Transfer-Encoding: chunked",
        SeenServlet.PROBE_HEADER + ": " + probe), chunks.getBytes(ISO_8859_1));

    RawHttp.Answer answer = RawHttp.exchange(target.port(), request, true, Duration.ofSeconds(10));

    assertRefusedCleanly(answer);
    assertThat(target.app.seen(probe)).as("%s", answer).isEmpty();
  }

  @Test
  void aBadChunkSizeIsAnUnreadableBodyProblem() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_zz_" + probe);
    byte[] request = RawHttp.concat(signedHead(signed, "Transfer-Encoding: chunked",
        SeenServlet.PROBE_HEADER + ": " + probe), "zz\r\n0123\r\n0\r\n\r\n".getBytes(ISO_8859_1));

    RawHttp.Answer answer = RawHttp.exchange(target.port(), request, false, Duration.ofSeconds(10));

    assertUnreadable(answer);
    assertThat(target.app.seen(probe)).isEmpty();
  }
}
