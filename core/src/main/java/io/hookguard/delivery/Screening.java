package io.hookguard.delivery;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What {@link DeliveryLifecycle#screen} made of a request before its body was read: an answer
 * decided already ({@link Answered}: source not allowed, compressed body), or {@link Passed}, the
 * rest of the lifecycle, to run once the adapter has the body. Screening itself has no side
 * effects and never blocks, so a non-blocking server screens on its event loop; either result's
 * one method runs the audit listeners (the application's code, which may block) and is called
 * where blocking is allowed.
 */
public sealed interface Screening permits Screening.Answered, Screening.Passed {

  /**
   * A request answered before its body is read. Thread-safe.
   */
  final class Answered implements Screening {
    private final Supplier<Answer> announced;
    private final AtomicBoolean taken = new AtomicBoolean();

    Answered(Supplier<Answer> announced) {
      this.announced = announced;
    }

    /**
     * Emits the delivery's audit record to the lifecycle's listeners, which may block, and
     * returns the answer to send: call it off a non-blocking server's event loop.
     *
     * @return the answer
     * @throws IllegalStateException when called a second time (one delivery, one audit record)
     */
    public Answer answer() {
      if (!taken.compareAndSet(false, true)) {
        throw new IllegalStateException("the answer was taken already");
      }
      return announced.get();
    }
  }

  /**
   * A request that passed the checks needing no body. Thread-safe: the adapter may read the body
   * on one thread and call {@link #receive()} on another.
   */
  final class Passed implements Screening {
    private final Supplier<Reception> rest;
    private final AtomicBoolean received = new AtomicBoolean();

    Passed(Supplier<Reception> rest) {
      this.rest = rest;
    }

    /**
     * Reads the request's body (bounded by the endpoint's limits) and runs the rest of the
     * lifecycle: verification, form parameters, event type, dedup claim. It may block on the
     * dedup store, so a non-blocking server calls it off its event loop.
     *
     * @return the answer to send, or the delivery to run
     * @throws IllegalStateException when called a second time
     */
    public Reception receive() {
      if (!received.compareAndSet(false, true)) {
        throw new IllegalStateException("the delivery was received already");
      }
      return rest.get();
    }
  }
}
