package io.hookguard.fluxslicetest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Hookguard in a Spring Boot 4 {@code @WebFluxTest} slice, loaded by the starter's
 * {@code AutoConfigureWebFlux.imports}; spring-boot3-tests has the Boot 3.5 twin.
 */
@WebFluxTest(controllers = FluxSliceApplication.FluxSliceController.class, properties = {
    "hookguard.endpoints.stripe.provider=stripe",
    "hookguard.endpoints.stripe.secrets=" + io.hookguard.test.TestKeys.SECRET})
class WebFluxSliceTest {
  @Autowired
  WebTestClient client;

  @Test
  void hookguardGuardsTheHandlersOfTheSlice() {
    FluxSliceAssertions.check(client);
  }
}
