package io.hookguard.fluxslicetest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.reactive.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Hookguard in a Spring Boot 3.5 {@code @WebFluxTest} slice, loaded by the starter's
 * {@code org.springframework.boot.test.autoconfigure.web.reactive.AutoConfigureWebFlux.imports}:
 * the Boot 3.5 twin of the starter's {@code WebFluxSliceTest}, whose annotation is Boot 4's.
 */
@WebFluxTest(controllers = FluxSliceApplication.FluxSliceController.class, properties = {
    "hookguard.endpoints.stripe.provider=stripe",
    "hookguard.endpoints.stripe.secrets=" + io.hookguard.test.TestKeys.SECRET})
class WebFluxSliceBoot3Test {
  @Autowired
  WebTestClient client;

  @Test
  void hookguardGuardsTheHandlersOfTheSlice() {
    FluxSliceAssertions.check(client);
  }
}
