package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Event id and type read from the body on first use, once, whichever thread asks first. */
class LazyEventFieldsTest {
  private static final String SECRET = "whsec_lazy";

  private static VerifiedWebhook verified(String body) {
    WebhookRequest signed = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build()
        .sign(WebhookRequest.builder().body(body).build());
    return WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build().verify(signed).orElseThrow();
  }

  @Test
  void fieldsAreTheSameWhicheverThreadReadsThemFirst() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 200; round++) {
        VerifiedWebhook delivery = verified("{\"id\":\"evt_" + round + "\",\"type\":\"invoice.paid\"}");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> reads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          reads.add(pool.submit(() -> {
            start.await();
            return delivery.eventId().orElseThrow() + "/" + delivery.eventType().orElseThrow();
          }));
        }
        start.countDown();
        for (Future<String> read : reads) {
          assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("evt_" + round + "/invoice.paid");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void lazyAndEagerResultsAreEqualAndPrintTheirFields() {
    VerifiedWebhook lazy = verified("{\"id\":\"evt_eq\",\"type\":\"invoice.paid\"}");
    VerifiedWebhook eager = new VerifiedWebhook("stripe", "evt_eq", lazy.timestamp().orElseThrow(), "invoice.paid");

    assertThat(lazy).isEqualTo(eager).hasSameHashCodeAs(eager);
    assertThat(eager).isEqualTo(lazy);
    assertThat(lazy.toString()).contains("evt_eq").contains("invoice.paid");
  }

  @Test
  void aBodyThatIsNotJsonStillVerifiesAndHasNoBodyFields() {
    VerifiedWebhook delivery = verified("not json at all {");

    assertThat(delivery.eventId()).isEmpty();
    assertThat(delivery.eventType()).isEmpty();
  }
}
