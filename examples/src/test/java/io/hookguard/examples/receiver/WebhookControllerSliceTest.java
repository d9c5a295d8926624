package io.hookguard.examples.receiver;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.hookguard.Providers;
import io.hookguard.test.TestWebhook;
import io.hookguard.test.WebhookMockMvc;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The receiver's controller in a {@code @WebMvcTest} slice, tested the way the README's "Testing
 * your handlers" shows: Hookguard loads in the slice with the application's own configuration,
 * and the kit signs each delivery with the demo secret of application.yml.
 */
// The slice has no DataSource, so no inbox: the orders endpoint (inbox mode) is left out of it.
@WebMvcTest(controllers = WebhookController.class,
    properties = {"hookguard.endpoints.orders.inbox=false", "hookguard.endpoints.orders.path="})
@Import(ProcessedEvents.class)
class WebhookControllerSliceTest {
  private static final TestWebhook STRIPE = TestWebhook.of(Providers.STRIPE, "whsec_demo_stripe_secret");

  @Autowired
  MockMvc mvc;

  @Test
  void aSignedDeliveryRunsTheHandlerAndItsRetryIsAcknowledged() throws Exception {
    TestWebhook invoice = STRIPE.eventType("invoice.paid");

    mvc.perform(post("/webhooks/stripe").with(WebhookMockMvc.signed(invoice))).andExpect(status().isOk());
    mvc.perform(post("/webhooks/stripe").with(WebhookMockMvc.signed(invoice)))
        .andExpect(status().isOk()).andExpect(header().string("Hookguard-Replay", "true"));
  }

  @Test
  void unsignedTamperedAndStaleDeliveriesNeverReachTheHandler() throws Exception {
    mvc.perform(post("/webhooks/stripe").contentType(MediaType.APPLICATION_JSON).content("{\"id\":\"evt_1\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("urn:hookguard:problem:missing-header"));
    mvc.perform(post("/webhooks/stripe").with(WebhookMockMvc.signed(STRIPE.tamperedBody())))
        .andExpect(status().isUnauthorized());
    mvc.perform(post("/webhooks/stripe").with(WebhookMockMvc.signed(STRIPE.timestampShiftedBy(Duration.ofMinutes(-10)))))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.type").value("urn:hookguard:problem:timestamp-too-old"));
    mvc.perform(post("/webhooks/github").with(WebhookMockMvc.signed(
            TestWebhook.of(Providers.GITHUB, "demo-github-secret").signedWithWrongKey())))
        .andExpect(status().isUnauthorized());
  }
}
