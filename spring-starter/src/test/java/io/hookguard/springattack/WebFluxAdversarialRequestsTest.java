package io.hookguard.springattack;

import org.springframework.test.context.TestPropertySource;

/** {@link SpringAdversarialRequestsTest} against the same application on Spring WebFlux (Netty). */
@AttackBootTest
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class WebFluxAdversarialRequestsTest extends SpringAdversarialRequestsTest {}
