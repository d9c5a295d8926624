package io.hookguard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.examples.receiver.ReceiverApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.DispatcherHandler;

/**
 * The example receiver's documented contract on Spring WebFlux (Netty), as
 * {@code ReactiveReceiver} runs it: every test of {@link ReceiverContractTest}, unchanged.
 */
@SpringBootTest(classes = ReceiverApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=reactive",
        // as ReactiveReceiver.WITHOUT_INBOX (see there)
        "hookguard.endpoints.orders.inbox=false", "hookguard.endpoints.orders.path="})
class ReactiveReceiverContractTest extends ReceiverContractTest {
  @Autowired
  ApplicationContext context;

  @Test
  void theReceiverRunsOnWebFlux() {
    assertThat(context.getBeanNamesForType(DispatcherHandler.class)).isNotEmpty();
    assertThat(context.getBeanNamesForType(io.hookguard.spring.HookguardWebFlux.class)).isNotEmpty();
  }
}
