package io.hookguard.examples.receiver;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The example receiver on Spring WebFlux and Netty instead of Spring MVC and Tomcat: the same
 * {@link ReceiverApplication}, controllers and configuration (the orders inbox included),
 * protected by the same starter.
 * Run it with
 * {@code ./mvnw -q -pl examples -am test-compile exec:java -Dexec.mainClass=io.hookguard.examples.receiver.ReactiveReceiver}.
 */
public final class ReactiveReceiver {
  private ReactiveReceiver() {}

  /**
   * Starts the receiver on WebFlux.
   *
   * @param args Spring Boot arguments, e.g. {@code --server.port=9090}
   */
  public static void main(String[] args) {
    new SpringApplicationBuilder(ReceiverApplication.class).web(WebApplicationType.REACTIVE).run(args);
  }
}
