package io.hookguard.springattack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link SpringAdversarialRequestsTest} against the same application on Spring WebFlux (Netty).
 * The sweep runs on Boot 4 only: on Boot 3.5's Reactor Netty a few refused requests (chunked or
 * unread bodies to an allowlisted endpoint) get no answer before the client's timeout
 * ({@link io.hookguard.springreactive.BootLine}); no handler runs there either.
 */
@AttackBootTest
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class WebFluxAdversarialRequestsTest extends SpringAdversarialRequestsTest {

  @Override
  @Test
  @DisabledIf("io.hookguard.springreactive.BootLine#is35")
  void noUnsignedOrTamperedRequestRunsAHandlerOrGetsA5xxOrAStackTrace() throws Exception {
    super.noUnsignedOrTamperedRequestRunsAHandlerOrGetsA5xxOrAStackTrace();
  }
}
