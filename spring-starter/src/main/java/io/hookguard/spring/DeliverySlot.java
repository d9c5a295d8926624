package io.hookguard.spring;

import io.hookguard.delivery.RunningDelivery;
import org.jspecify.annotations.Nullable;

/**
 * Where one WebFlux exchange's running delivery lives between the adapter that started it and the
 * web filter that sees the exchange end. It travels in the Reactor context of the exchange, not
 * in its attributes: the application cannot reach or replace it. Only a handler that returned
 * normally and whose answer no exception handler replaced may complete the event; every other
 * end (an error, an exception handler's answer, a cancelled exchange) releases it — but never
 * while the handler method still runs: a client that goes away mid-handler cancels the exchange,
 * and the release waits until the method has returned, so that the sender's retry cannot run the
 * handler a second time alongside the first.
 */
final class DeliverySlot {
  /** The status recorded for a delivery whose client went away before an answer (nginx's convention). */
  static final int CLIENT_CLOSED = 499;

  private @Nullable RunningDelivery delivery;
  private boolean ended;
  private boolean inHandler;
  private boolean releaseWhenLeft;
  private int releaseStatus;
  private volatile boolean returned;
  private volatile boolean failed;

  /**
   * Holds the exchange's running delivery. When the exchange ended already (the client went away
   * while the delivery was claimed), releases it at once instead. Blocks on the store in that
   * case: call it off the event loop.
   *
   * @param running the delivery
   * @return whether the exchange goes on with it
   * @throws IllegalStateException when the exchange runs a second delivery (two Hookguard checks on one request)
   */
  boolean start(RunningDelivery running) {
    boolean endedAlready;
    synchronized (this) {
      if (delivery != null) {
        endedAlready = false;
      } else {
        endedAlready = ended;
        delivery = running;
      }
    }
    if (delivery != running) {
      running.fail(500);
      throw new IllegalStateException("one request, one delivery: " + running + " after " + delivery);
    }
    if (endedAlready) {
      running.fail(CLIENT_CLOSED);
      return false;
    }
    return true;
  }

  /** The handler returned (its answer, not an exception handler's). */
  void returned() {
    returned = true;
  }

  /** An exception handler answers instead of the handler, or the exchange failed. */
  void failed() {
    failed = true;
  }

  /**
   * The exchange ended. When no delivery has started yet (its verification and claim may still
   * be running on the scheduler: the client went away meanwhile), a delivery started later is
   * released at once by {@link #start} instead of holding its claim until the lease ends.
   *
   * @return whether no delivery had started
   */
  synchronized boolean endedBeforeStart() {
    if (delivery != null) {
      return false;
    }
    ended = true;
    return true;
  }

  /** @return whether a delivery runs that neither {@link #answered} nor {@link #abandoned} finished */
  synchronized boolean running() {
    return delivery != null && !ended;
  }

  /** The handler method is being invoked on this thread. */
  synchronized void entered() {
    inHandler = true;
  }

  /**
   * The handler method returned (or threw). Releases the event now if the exchange ended while it
   * ran. Blocks on the store in that case: call it off the event loop.
   */
  void left() {
    RunningDelivery release = null;
    int status;
    synchronized (this) {
      inHandler = false;
      status = releaseStatus;
      if (releaseWhenLeft) {
        release = end();
      }
    }
    if (release != null) {
      release.fail(status);
    }
  }

  /**
   * The answer is about to be sent: completes the event if the handler's own answer succeeded,
   * releases it otherwise. Blocks on the store: call it off the event loop. Does nothing once
   * finished.
   *
   * @param status the status being answered
   */
  void answered(int status) {
    RunningDelivery running;
    synchronized (this) {
      if (inHandler) {
        // The exchange ended while the handler runs: no answer of the handler's. Wait for it.
        failed = true;
        releaseLater(status);
        return;
      }
      running = end();
    }
    if (running == null) {
      return;
    }
    if (returned && !failed) {
      running.finish(status);
    } else {
      running.fail(status);
    }
  }

  /**
   * The exchange ended without the handler's answer (an error, a cancelled exchange): releases
   * the event, once the handler method has returned if it still runs. Blocks on the store: call
   * it off the event loop. Does nothing once finished.
   *
   * @param status the status to record
   */
  void abandoned(int status) {
    failed = true;
    RunningDelivery running;
    synchronized (this) {
      if (inHandler) {
        releaseLater(status);
        return;
      }
      running = end();
    }
    if (running != null) {
      running.fail(status);
    }
  }

  private void releaseLater(int status) {
    if (!releaseWhenLeft) {
      releaseWhenLeft = true;
      releaseStatus = status;
    }
  }

  /** Marks the exchange ended; the delivery to finish, or null when there is none or it was finished. */
  private synchronized @Nullable RunningDelivery end() {
    if (ended) {
      return null;
    }
    ended = true;
    return delivery;
  }
}
