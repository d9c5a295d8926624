package io.hookguard.examples;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link OrdersInboxTest} on Spring WebFlux (Netty), as {@code ReactiveReceiver} runs the
 * receiver: the orders endpoint in inbox mode is served there too.
 */
@TestPropertySource(properties = "spring.main.web-application-type=reactive")
class ReactiveOrdersInboxTest extends OrdersInboxTest {
}
