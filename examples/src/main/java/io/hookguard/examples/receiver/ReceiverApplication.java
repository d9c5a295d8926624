package io.hookguard.examples.receiver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The example receiver: a Spring Boot app taking Stripe, GitHub, Slack, Standard Webhooks (and
 * Svix) and Shopify deliveries on port 8080, verified and deduplicated by the Hookguard starter
 * with the embedded Caffeine store (the {@code redis} profile shares dedup through Redis), and
 * orders ({@code POST /webhooks/orders}, Standard Webhooks) in inbox mode: stored in an H2 file
 * under {@code ./data} and answered at once, then handled in the background by
 * {@link OrderHandler} with retries and dead letters (the {@code postgres} profile keeps the
 * inbox in PostgreSQL, shared by every instance).
 * Run it with {@code ./mvnw -q -pl examples -am compile exec:java}.
 */
@SpringBootApplication
public class ReceiverApplication {

  /** Created by Spring. */
  public ReceiverApplication() {}

  /**
   * Starts the receiver.
   *
   * @param args Spring Boot arguments, e.g. {@code --server.port=9090} or
   *     {@code --spring.profiles.active=redis}
   */
  public static void main(String[] args) {
    SpringApplication.run(ReceiverApplication.class, args);
  }
}
