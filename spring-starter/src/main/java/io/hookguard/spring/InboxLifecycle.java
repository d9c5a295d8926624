package io.hookguard.spring;

import io.hookguard.inbox.Inbox;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the inbox's workers with the application context and stops them gracefully with it:
 * started before the web server takes requests and stopped after it stopped taking them (a
 * lower phase), so that deliveries received during a graceful shutdown are stored and running
 * handlers get {@code hookguard.inbox.shutdown-timeout} to finish before their leases are given
 * back.
 */
final class InboxLifecycle implements SmartLifecycle {
  /** Below the web server's start/stop (DEFAULT_PHASE - 2048) and graceful shutdown (- 1024). */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Inbox inbox;
  private volatile boolean running;

  InboxLifecycle(Inbox inbox) {
    this.inbox = inbox;
  }

  @Override
  public void start() {
    inbox.start();
    running = true;
  }

  @Override
  public void stop() {
    try {
      inbox.close();
    } finally {
      running = false;
    }
  }

  /**
   * Not paused with the context (Spring 7 pauses inactive cached test contexts by stopping their
   * lifecycle beans): a closed inbox cannot start again, and its leases are what a pause would
   * give back. No {@code @Override}: Spring 6.2 (Boot 3.5) has no such method and never pauses.
   *
   * @return false
   */
  public boolean isPauseable() {
    return false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
