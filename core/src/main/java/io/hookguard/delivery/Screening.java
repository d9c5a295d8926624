package io.hookguard.delivery;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What {@link DeliveryLifecycle#screen} made of a request before its body was read: an
 * {@link Answer} to send as it is (source not allowed, compressed body), or {@link Passed}, the
 * rest of the lifecycle, to run once the adapter has the body.
 */
public sealed interface Screening permits Answer, Screening.Passed {

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
