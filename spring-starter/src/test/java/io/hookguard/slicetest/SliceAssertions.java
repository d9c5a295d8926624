package io.hookguard.slicetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.hookguard.Providers;
import io.hookguard.test.TestWebhook;
import io.hookguard.test.WebhookMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * What a {@code @WebMvcTest} slice must show on either Boot line (the Boot 4 and the Boot 3.5
 * slice annotations live in different packages, so each line has its own test class): Hookguard
 * is loaded, refuses what is not signed before the handler runs, and passes what is.
 */
public final class SliceAssertions {
  private SliceAssertions() {}

  /**
   * Runs the slice's checks.
   *
   * @param mvc the slice's MockMvc
   * @throws Exception from MockMvc
   */
  public static void check(MockMvc mvc) throws Exception {
    int before = SliceApplication.RUNS.get();
    MvcResult unsigned = mvc.perform(post("/webhooks/github").contentType(MediaType.APPLICATION_JSON)
        .header("X-GitHub-Delivery", "d-unsigned").content("{\"zen\":\"hi\"}")).andReturn();
    assertThat(unsigned.getResponse().getStatus()).as("an unsigned delivery in the slice").isEqualTo(400);
    assertThat(unsigned.getResponse().getContentAsString()).contains("urn:hookguard:problem:missing-header");
    assertThat(SliceApplication.RUNS.get()).as("the handler did not run").isEqualTo(before);

    TestWebhook push = TestWebhook.of(Providers.GITHUB).eventType("push");
    MvcResult signed = mvc.perform(post("/webhooks/github").with(WebhookMockMvc.signed(push))).andReturn();
    assertThat(signed.getResponse().getStatus()).isEqualTo(200);
    assertThat(signed.getResponse().getContentAsString()).contains(push.expectedEventId().orElseThrow()).contains("push");
    MvcResult retry = mvc.perform(post("/webhooks/github").with(WebhookMockMvc.signed(push))).andReturn();
    assertThat(retry.getResponse().getHeader("Hookguard-Replay")).as("the sender's retry").isEqualTo("true");

    MvcResult tampered = mvc.perform(post("/webhooks/stripe")
        .with(WebhookMockMvc.signed(TestWebhook.of(Providers.STRIPE).tamperedBody()))).andReturn();
    assertThat(tampered.getResponse().getStatus()).isEqualTo(401);
    MvcResult stale = mvc.perform(post("/webhooks/stripe")
        .with(WebhookMockMvc.signed(TestWebhook.of(Providers.STRIPE).timestampShiftedBy(java.time.Duration.ofMinutes(-10)))))
        .andReturn();
    assertThat(stale.getResponse().getContentAsString()).contains("timestamp-too-old");
    TestWebhook invoice = TestWebhook.of(Providers.STRIPE).eventType("invoice.paid");
    MvcResult stripe = mvc.perform(post("/webhooks/stripe").with(WebhookMockMvc.signed(invoice))).andReturn();
    assertThat(stripe.getResponse().getContentAsString()).contains(invoice.expectedEventId().orElseThrow())
        .contains("invoice.paid");
    assertThat(SliceApplication.RUNS.get()).as("the two signed deliveries ran, once each").isEqualTo(before + 2);
  }
}
