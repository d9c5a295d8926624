package io.hookguard.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every benchmark method once per setting, so the benchmarks keep compiling and keep
 * measuring what they claim: every verifier accepts the valid delivery and rejects the wrong
 * signature, and every dedup operation succeeds.
 */
class BenchmarksSmokeTest {

  @ParameterizedTest
  @CsvSource({"256,valid,true", "256,wrong-signature,false", "1048576,valid,true", "1048576,wrong-signature,false"})
  void stripeVerifiersAgree(int size, String delivery, boolean expected) {
    StripeVerification bench = new StripeVerification();
    bench.size = size;
    bench.delivery = delivery;
    bench.setUp();

    assertThat(bench.hookguard()).isEqualTo(expected);
    assertThat(bench.hookguardWithFields()).isEqualTo(expected);
    assertThat(bench.baselineMac()).isEqualTo(expected);
    assertThat(bench.stripeJava()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"256,valid,true", "256,wrong-signature,false", "65536,valid,true"})
  void standardWebhooksVerifiersAgree(int size, String delivery, boolean expected) throws Exception {
    StandardWebhooksVerification bench = new StandardWebhooksVerification();
    bench.size = size;
    bench.delivery = delivery;
    bench.setUp();

    assertThat(bench.hookguard()).isEqualTo(expected);
    assertThat(bench.hookguardWithFields()).isEqualTo(expected);
    assertThat(bench.baselineMac()).isEqualTo(expected);
    assertThat(bench.svix()).isEqualTo(expected);
    assertThat(bench.standardWebhooks()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"4096,valid,true", "4096,wrong-signature,false"})
  void githubAndSlackVerifiersAgree(int size, String delivery, boolean expected) {
    GitHubSlackVerification bench = new GitHubSlackVerification();
    bench.size = size;
    bench.delivery = delivery;
    bench.setUp();

    assertThat(bench.githubHookguard()).isEqualTo(expected);
    assertThat(bench.githubHookguardWithFields()).isEqualTo(expected);
    assertThat(bench.slackHookguardWithFields()).isEqualTo(expected);
    assertThat(bench.githubBaselineMac()).isEqualTo(expected);
    assertThat(bench.slackHookguard()).isEqualTo(expected);
    assertThat(bench.slackBaselineMac()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"caffeine", "redis", "redis-background"})
  void dedupOperationsSucceed(String store) {
    DedupThroughput bench = new DedupThroughput();
    bench.store = store;
    bench.setUp();
    try {
      for (int i = 0; i < 100; i++) {
        assertThat(bench.claimAndComplete()).isTrue();
        assertThat(bench.baselineBareClaim()).isTrue();
      }
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void theFilterCostStepsClaimNewKeysInFullStores() {
    FilterCosts bench = new FilterCosts();
    bench.size = 4096;
    bench.setUp();
    assertThat(bench.baselineHmac()).hasSize(32);
    assertThat(bench.bodyFingerprint()).hasSize(64);
    for (int i = 0; i < 100; i++) {
      assertThat(bench.caffeineClaimAndComplete()).isTrue();
      assertThat(bench.hashMapClaimAndComplete()).isTrue();
      assertThat(bench.dedupAdmitAndFinish()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 125_000})
  void everyHttpPathAnswers200(long handlerTokens) throws Exception {
    FilterThroughput bench = new FilterThroughput();
    bench.size = 4096;
    bench.handlerTokens = handlerTokens;
    bench.setUp();
    try {
      assertThat(bench.withFilter()).isEqualTo(200);
      assertThat(bench.withHandRolledFilter()).isEqualTo(200);
      assertThat(bench.withoutFilter()).isEqualTo(200);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void bothFiltersRefuseWrongSignaturesAndDoNotRerunDuplicates() throws Exception {
    FilterThroughput bench = new FilterThroughput();
    bench.size = 4096;
    bench.handlerTokens = 0;
    bench.setUp();
    try {
      String[] urls = bench.urls();
      for (String url : new String[] {urls[0], urls[1]}) {
        WebhookRequest event = bench.newEvent();
        String signature = event.headers().first("Stripe-Signature");
        byte[] tampered = event.body().clone();
        tampered[tampered.length - 3] ^= 1;
        long before = bench.servletRuns();
        assertThat(bench.send(url, tampered, signature)).as(url).isEqualTo(401);
        assertThat(bench.send(url, event.body(), signature.replace("v1=", "v1=0"))).as(url).isBetween(400, 401);
        assertThat(bench.servletRuns()).as(url).isEqualTo(before);

        assertThat(bench.send(url, event.body(), signature)).as(url).isEqualTo(200);
        assertThat(bench.send(url, event.body(), signature)).as(url).isEqualTo(200);
        assertThat(bench.servletRuns()).as(url + ": a duplicate is not run again").isEqualTo(before + 1);
      }
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void theWebFluxPathsAnswer200AndHookguardRefusesWrongSignaturesAndDuplicates() throws Exception {
    WebFluxThroughput bench = new WebFluxThroughput();
    bench.size = 4096;
    bench.setUp();
    try {
      assertThat(bench.withHookguard()).isEqualTo(200);
      assertThat(bench.withoutHookguard()).isEqualTo(200);
      String url = bench.urls()[0];
      WebhookRequest event = bench.newEvent();
      String signature = event.headers().first("Stripe-Signature");
      byte[] tampered = event.body().clone();
      tampered[tampered.length - 3] ^= 1;
      long before = bench.handlerRuns();
      assertThat(bench.send(url, tampered, signature)).isEqualTo(401);
      assertThat(bench.send(url, event.body(), signature)).isEqualTo(200);
      assertThat(bench.send(url, event.body(), signature)).isEqualTo(200);
      assertThat(bench.handlerRuns()).as("a duplicate is not run again").isEqualTo(before + 1);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void payloadsHaveTheirExactSize() {
    for (int size : new int[] {256, 4096, 65536, 1048576}) {
      assertThat(Payloads.bytes(Payloads.json(size, "evt_bench"))).hasSize(size);
    }
  }
}
