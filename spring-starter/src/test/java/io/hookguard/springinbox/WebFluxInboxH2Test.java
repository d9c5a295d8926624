package io.hookguard.springinbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The inbox scenarios on Spring WebFlux (Netty): the endpoint served by Hookguard's web filter,
 * payloads read by the application's codecs, the Actuator and health over WebFlux; and no receipt
 * stored on an event loop (the JDBC store blocks).
 */
@SpringBootTest(classes = InboxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive",
        "spring.datasource.url=jdbc:h2:mem:springinboxflux;DB_CLOSE_DELAY=-1"})
class WebFluxInboxH2Test extends InboxScenarios {
  @AfterAll
  static void noReceiptWasStoredOnAnEventLoop() {
    assertThat(InboxTestApplication.RECEIPT_THREADS).isNotEmpty()
        .noneMatch(thread -> thread.endsWith("(non-blocking)") || thread.matches(".*-http-(epoll|nio|kqueue|io_uring)-\\d+"));
  }
}
