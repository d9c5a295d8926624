package io.hookguard.springreactive;

import org.springframework.boot.SpringBootVersion;

/**
 * Which Spring Boot line runs the shared tests. The WebFlux tests run on Reactor Netty on both
 * lines (spring-boot3-tests puts Netty ahead of Tomcat, which Boot 3.5 would otherwise prefer for a
 * reactive application) and behave the same, but for one input: Boot 3.5's Netty 4.1 accepts a
 * chunk size line with an unterminated quoted extension ({@code 4;ext="unterminated}), so the body
 * is read, fails verification (401, no handler runs), and the answer is then lost because the test
 * client half-closed its side and Netty closes a half-closed channel; Boot 4's Netty 4.2 refuses
 * that line itself (400) before anything runs.
 */
public final class BootLine {
  /** Whether this is the Boot 3.5 line (Reactor Netty 1.2, Netty 4.1). */
  public static final boolean IS_35 = SpringBootVersion.getVersion().startsWith("3.");

  private BootLine() {}
}
