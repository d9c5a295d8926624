package io.hookguard.examples.receiver;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The example receiver on Spring WebFlux and Netty instead of Spring MVC and Tomcat: the same
 * {@link ReceiverApplication}, controllers and configuration, protected by the same starter.
 * Run it with
 * {@code ./mvnw -q -pl examples -am test-compile exec:java -Dexec.mainClass=io.hookguard.examples.receiver.ReactiveReceiver}.
 */
public final class ReactiveReceiver {
  /**
   * The orders endpoint (inbox mode) is left out on WebFlux: the starter serves it there, but this
   * example's {@code /processed} endpoint reads the database on the event loop and its order
   * handler takes a second pooled connection, which stalled requests in a test run.
   */
  public static final String[] WITHOUT_INBOX = {
      "hookguard.endpoints.orders.inbox=false", "hookguard.endpoints.orders.path="};

  /** Reactor Netty's switch that avoids its lost read on kept-alive connections (reactor-netty issues 4188, 4361). */
  static final String KEEP_ALIVE_WORKAROUND = "reactor.netty.http.server.lastFlushWhenNoRead";

  private ReactiveReceiver() {}

  /**
   * Starts the receiver on WebFlux.
   *
   * @param args Spring Boot arguments, e.g. {@code --server.port=9090}
   */
  public static void main(String[] args) {
    // Before Reactor Netty starts: a kept-alive connection could otherwise stop being read (README, WebFlux).
    System.setProperty(KEEP_ALIVE_WORKAROUND, System.getProperty(KEEP_ALIVE_WORKAROUND, "true"));
    new SpringApplicationBuilder(ReceiverApplication.class).web(WebApplicationType.REACTIVE)
        .properties(WITHOUT_INBOX).run(args);
  }
}
