package io.hookguard.slicetest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Hookguard in a Spring Boot 3.5 {@code @WebMvcTest} slice, loaded by the starter's
 * {@code org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureWebMvc.imports}:
 * the Boot 3.5 twin of the starter's {@code WebMvcSliceTest}, whose annotation is Boot 4's.
 */
@WebMvcTest(controllers = SliceApplication.SliceController.class, properties = {
    "hookguard.endpoints.github.provider=github",
    "hookguard.endpoints.github.secrets=" + io.hookguard.test.TestKeys.SECRET,
    "hookguard.endpoints.stripe.provider=stripe",
    "hookguard.endpoints.stripe.secrets=" + io.hookguard.test.TestKeys.SECRET})
class WebMvcSliceBoot3Test {
  @Autowired
  MockMvc mvc;

  @Test
  void hookguardGuardsTheHandlersOfTheSlice() throws Exception {
    SliceAssertions.check(mvc);
  }
}
