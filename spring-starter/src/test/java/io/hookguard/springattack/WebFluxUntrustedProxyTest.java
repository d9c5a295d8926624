package io.hookguard.springattack;

import org.springframework.test.context.TestPropertySource;

/** {@link SpringUntrustedProxyTest} against the same application on Spring WebFlux (Netty). */
@AttackBootTest
@TestPropertySource(properties = {"spring.main.web-application-type=reactive", "hookguard.proxies.trusted=10.0.0.0/8"})
class WebFluxUntrustedProxyTest extends SpringUntrustedProxyTest {}
