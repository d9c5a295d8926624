package io.hookguard.slicetest;

import io.hookguard.Providers;
import io.hookguard.test.TestWebhook;
import io.hookguard.test.WebhookRestTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Hookguard in a Spring Boot 4 {@code @WebMvcTest} slice, loaded by the starter's
 * {@code AutoConfigureWebMvc.imports}; spring-boot3-tests has the Boot 3.5 twin.
 */
@WebMvcTest(controllers = SliceApplication.SliceController.class, properties = {
    "hookguard.endpoints.github.provider=github",
    "hookguard.endpoints.github.secrets=" + io.hookguard.test.TestKeys.SECRET,
    "hookguard.endpoints.stripe.provider=stripe",
    "hookguard.endpoints.stripe.secrets=" + io.hookguard.test.TestKeys.SECRET})
class WebMvcSliceTest {
  @Autowired
  MockMvc mvc;

  @Test
  void hookguardGuardsTheHandlersOfTheSlice() throws Exception {
    SliceAssertions.check(mvc);
  }

  @Test
  void restTestClientDeliveriesOverTheSlicesMockMvc() {
    RestTestClient client = RestTestClient.bindTo(mvc).build();
    TestWebhook invoice = TestWebhook.of(Providers.STRIPE).eventType("invoice.paid");

    WebhookRestTestClient.post(client, "/webhooks/stripe", invoice).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.event").isEqualTo(invoice.expectedEventId().orElseThrow());
    WebhookRestTestClient.post(client, "/webhooks/stripe", invoice.signedWithWrongKey()).exchange()
        .expectStatus().isUnauthorized();
  }
}
