package io.hookguard.handshake;

import org.springframework.boot.test.context.SpringBootTest;

/** The handshakes through the Spring MVC adapter on the embedded servlet container. */
@SpringBootTest(classes = HandshakeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.web-application-type=servlet")
class MvcHandshakeTest extends HandshakeContract {}
