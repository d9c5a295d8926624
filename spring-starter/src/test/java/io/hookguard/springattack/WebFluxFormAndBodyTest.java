package io.hookguard.springattack;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link SpringFormAndBodyTest} against the same application on Spring WebFlux (Netty). Netty's
 * request line is raised to Tomcat's 8 KB head, so that the 1,100 injected query parameters reach
 * the application (Netty's default 4 KB answers 414 itself).
 */
@AttackBootTest
@TestPropertySource(properties = {"spring.main.web-application-type=reactive",
    "server.netty.max-initial-line-length=8KB"})
class WebFluxFormAndBodyTest extends SpringFormAndBodyTest {}
