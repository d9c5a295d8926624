package io.hookguard.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.Providers;
import io.hookguard.RejectionReason;
import io.hookguard.SourceAllowlist;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle in two halves, as a non-blocking adapter runs it: {@code screen} before the body
 * is read, the body collected in chunks within the limit, then the rest over the collected bytes.
 */
class ScreeningTest {
  private static final String SECRET = "screening-secret";
  private static final WebhookSigner STRIPE = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();

  private final List<DeliveryAudit> audits = new CopyOnWriteArrayList<>();
  private final DeliveryLifecycle lifecycle = DeliveryLifecycle.builder().listener(audits::add).build();
  private final WebhookEndpoint stripe = WebhookEndpoint.builder("stripe",
          WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build())
      .dedup(DedupEngine.builder(CaffeineDedupStore.create()).build()).maxBodyBytes(64).build();

  private static WebhookRequest event(String id) {
    return STRIPE.sign(WebhookRequest.builder().url("https://hooks.example.com/stripe")
        .header("Content-Type", "application/json").body("{\"id\":\"" + id + "\"}").build());
  }

  private static IncomingRequest incoming(WebhookRequest signed, String peer, BodySource body) {
    return new IncomingRequest("POST", "https", "hooks.example.com", "/stripe", null, signed.headers(), peer, body);
  }

  /** Pushes the body in chunks of {@code size} bytes, as a server would, and ends it. */
  private static BodyCollector pushed(byte[] body, long declared, int size) {
    BodyCollector collector = BodyCollector.of(64, declared);
    for (int from = 0; from < body.length; from += size) {
      if (!collector.offer(ByteBuffer.wrap(body, from, Math.min(size, body.length - from)))) {
        return collector;
      }
    }
    collector.complete();
    return collector;
  }

  private static Answer refusal(Reception reception, RejectionReason reason) {
    assertThat(reception).isInstanceOf(Answer.class);
    Answer answer = (Answer) reception;
    assertThat(answer.reason()).contains(reason);
    return answer;
  }

  @Test
  void aScreenedDeliveryWhoseBodyArrivesInChunksRunsExactlyAsReceiveWouldAndIsReceivedOnce() {
    WebhookRequest signed = event("evt_screen_1");
    BodyCollector body = pushed(signed.body(), signed.body().length, 5);
    Screening screening = lifecycle.screen(stripe, incoming(signed, "203.0.113.9", body));

    assertThat(screening).isInstanceOf(Screening.Passed.class);
    Screening.Passed passed = (Screening.Passed) screening;
    Reception reception = passed.receive();
    assertThat(reception).isInstanceOfSatisfying(RunningDelivery.class, running -> {
      assertThat(running.body()).isEqualTo(signed.body());
      assertThat(running.webhook().eventId()).contains("evt_screen_1");
      assertThat(running.finish(200)).isTrue();
    });
    assertThatThrownBy(passed::receive).isInstanceOf(IllegalStateException.class);
    assertThat(audits).singleElement().extracting(DeliveryAudit::outcome).isEqualTo(DeliveryAudit.Outcome.PROCESSED);

    Reception retry = ((Screening.Passed) lifecycle.screen(stripe,
        incoming(signed, "203.0.113.9", pushed(signed.body(), -1, 3)))).receive();
    assertThat(retry).isInstanceOfSatisfying(Answer.class, answer -> {
      assertThat(answer.isReplay()).isTrue();
      assertThat(answer.leftBodyUnread()).as("read to its end").isFalse();
    });
  }

  @Test
  void aSourceOutsideTheAllowlistAndACompressedBodyAreRefusedBeforeAnyByteIsRead() {
    AtomicInteger reads = new AtomicInteger();
    BodySource untouchable = (max, timeout) -> {
      reads.incrementAndGet();
      throw new AssertionError("read");
    };
    WebhookEndpoint allowlisted = WebhookEndpoint.builder("stripe", stripe.verifier())
        .sources(SourceAllowlist.builder().allow("192.0.2.0/24").build()).build();
    WebhookRequest signed = event("evt_screen_2");

    Screening.Answered screened = (Screening.Answered) lifecycle.screen(allowlisted,
        incoming(signed, "203.0.113.9", untouchable));
    assertThat(audits).as("screening tells no listener: it may run on an event loop").isEmpty();
    Answer source = refusal(screened.answer(), RejectionReason.SOURCE_NOT_ALLOWED);
    assertThat(audits).hasSize(1);
    assertThatThrownBy(screened::answer).as("one delivery, one audit record").isInstanceOf(IllegalStateException.class);
    assertThat(source.status()).isEqualTo(403);
    assertThat(source.leftBodyUnread()).as("the connection cannot carry another request").isTrue();
    assertThat(refusal(((Screening.Answered) lifecycle.screen(stripe, incoming(signed.toBuilder()
        .header("Content-Encoding", "gzip").build(), "203.0.113.9", untouchable))).answer(),
        RejectionReason.UNSUPPORTED_CONTENT_ENCODING).status()).isEqualTo(415);
    assertThat(reads).hasValue(0);
    assertThat(audits).hasSize(2).allSatisfy(audit -> assertThat(audit.outcome()).isEqualTo(DeliveryAudit.Outcome.REJECTED));
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedUnreadAndAChunkedBodyIsCutOffAtTheLimit() {
    BodyCollector declared = BodyCollector.of(64, 65);
    assertThat(declared.refusesDeclaredLength()).isTrue();
    assertThat(refusal(((Screening.Passed) lifecycle.screen(stripe, incoming(event("evt_screen_3"), "203.0.113.9",
        declared))).receive(), RejectionReason.BODY_TOO_LARGE).status()).isEqualTo(413);

    BodyCollector chunked = BodyCollector.of(64, -1);
    assertThat(chunked.refusesDeclaredLength()).isFalse();
    assertThat(chunked.offer(ByteBuffer.wrap(new byte[60]))).isTrue();
    assertThat(chunked.offer(ByteBuffer.wrap(new byte[5]))).as("past the limit: stop reading").isFalse();
    assertThat(chunked.offer(ByteBuffer.wrap(new byte[1]))).isFalse();
    assertThat(chunked.length()).as("nothing past the limit kept").isEqualTo(60);
    assertThat(refusal(((Screening.Passed) lifecycle.screen(stripe, incoming(event("evt_screen_4"), "203.0.113.9",
        chunked))).receive(), RejectionReason.BODY_TOO_LARGE).status()).isEqualTo(413);

    BodyCollector exactly = BodyCollector.of(4, -1);
    assertThat(exactly.offer(ByteBuffer.wrap("abcd".getBytes(UTF_8)))).isTrue();
    exactly.complete();
    assertThat(new String(assertRead(exactly), UTF_8)).isEqualTo("abcd");
  }

  private static byte[] assertRead(BodySource body) {
    try {
      return body.read(4, Duration.ofSeconds(1));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBodyPastItsDeadlineIs408AndOneThatBrokeOffOrEndedShortIs400() {
    WebhookRequest signed = event("evt_screen_5");
    BodyCollector late = BodyCollector.of(64, signed.body().length);
    late.offer(ByteBuffer.wrap(signed.body(), 0, 3));
    late.fail(new BodySource.BodyReadTimeoutException(Duration.ofSeconds(10)));
    assertThat(refusal(((Screening.Passed) lifecycle.screen(stripe, incoming(signed, "203.0.113.9", late))).receive(),
        RejectionReason.BODY_READ_TIMEOUT).status()).isEqualTo(408);

    BodyCollector broken = BodyCollector.of(64, -1);
    broken.fail(new IOException("connection reset"));
    BodyCollector unfinished = BodyCollector.of(64, -1);
    unfinished.offer(ByteBuffer.wrap(signed.body()));
    BodyCollector shorter = BodyCollector.of(64, signed.body().length + 1L);
    shorter.offer(ByteBuffer.wrap(signed.body()));
    shorter.complete();
    for (BodyCollector body : List.of(broken, unfinished, shorter)) {
      assertThat(refusal(((Screening.Passed) lifecycle.screen(stripe, incoming(signed, "203.0.113.9", body))).receive(),
          RejectionReason.UNREADABLE_BODY).status()).isEqualTo(400);
    }
    assertThat(audits).hasSize(4).allSatisfy(audit -> assertThat(audit.eventId()).isNull());
  }
}
