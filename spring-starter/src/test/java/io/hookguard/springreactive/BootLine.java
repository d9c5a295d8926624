package io.hookguard.springreactive;

import org.springframework.boot.SpringBootVersion;

/**
 * Which Spring Boot line runs the shared tests. On Boot 3.5 WebFlux runs on Reactor Netty 1.2,
 * where three things differ, all failing closed (no handler runs) and all listed in the README as
 * known limits of the WebFlux adapter on Boot 3.5: a refusal answered while the request body is
 * chunked or unread (413 for a chunked body, 403 before reading) does not reach the client, which
 * waits until its own timeout; a malformed chunked body closes the connection without an answer;
 * and under {@code server.forward-headers-strategy=framework} a trusted proxy's forwarded headers
 * are not seen (its deliveries are refused as from the proxy itself).
 */
public final class BootLine {
  /** Whether this is the Boot 3.5 line (Reactor Netty 1.2). */
  public static final boolean IS_35 = SpringBootVersion.getVersion().startsWith("3.");

  private BootLine() {}

  /** @return whether this is the Boot 3.5 line; for {@code @DisabledIf} */
  public static boolean is35() {
    return IS_35;
  }
}
