package io.hookguard.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.embedded.netty.NettyWebServer;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;

/** Guards that a reactive application in this module runs on Reactor Netty, not on Tomcat. */
@SpringBootTest(classes = ReactiveServerTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.web-application-type=reactive")
class ReactiveServerTest {
  @Autowired
  ReactiveWebServerApplicationContext context;

  @Test
  void theSharedWebFluxTestsRunOnReactorNettyHereAsOnBoot4() {
    assertThat(context.getWebServer()).isInstanceOf(NettyWebServer.class);
  }

  @SpringBootApplication
  static class App {}
}
