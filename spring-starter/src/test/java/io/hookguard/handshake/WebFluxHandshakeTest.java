package io.hookguard.handshake;

import org.springframework.boot.test.context.SpringBootTest;

/** The handshakes through the WebFlux adapter on Netty. */
@SpringBootTest(classes = HandshakeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.web-application-type=reactive")
class WebFluxHandshakeTest extends HandshakeContract {}
