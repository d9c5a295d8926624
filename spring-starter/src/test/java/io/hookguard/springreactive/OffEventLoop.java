package io.hookguard.springreactive;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Schedulers;

/**
 * Records every dedup store call, handler run and audit listener call made on a non-blocking
 * thread (a Netty event loop, a Reactor parallel worker): the proof that the WebFlux adapter keeps
 * what may block — the store (Jedis waits on a socket), the application's handlers and listeners
 * — off the event loop. The stores of the reactive test applications go through it: the Caffeine
 * one wrapped as a {@link DedupStore}, the Redis one through the client's connection provider.
 */
final class OffEventLoop {
  static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
  static final AtomicInteger CHECKED = new AtomicInteger();

  private OffEventLoop() {}

  /** Whether the current thread must never block. */
  static boolean onEventLoop() {
    Thread thread = Thread.currentThread();
    // Reactor Netty names its loops reactor-http-epoll-N, Boot 4 webflux-http-epoll-N (nio, kqueue alike).
    return Schedulers.isInNonBlockingThread() || thread.getName().matches(".*-http-(epoll|nio|kqueue|io_uring)-\\d+");
  }

  static void check(String call) {
    CHECKED.incrementAndGet();
    if (onEventLoop()) {
      VIOLATIONS.add(call + " on " + Thread.currentThread().getName());
    }
  }

  /** Holds the claim of one event until opened: a slow store, as seen by a client that leaves. */
  record ClaimGate(String eventId, java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch open) {}

  static volatile @org.jspecify.annotations.Nullable ClaimGate claimGate;

  /** A store whose every call is checked. */
  static DedupStore guard(DedupStore store) {
    return new DedupStore() {
      @Override
      public ClaimResult claim(String key, String fingerprint, java.time.Duration lease) {
        check("claim");
        ClaimGate gate = claimGate;
        if (gate != null && key.contains(gate.eventId())) {
          gate.entered().countDown();
          try {
            gate.open().await(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return store.claim(key, fingerprint, lease);
      }

      @Override
      public boolean complete(String key, String token, java.time.Duration retention) {
        check("complete");
        return store.complete(key, token, retention);
      }

      @Override
      public boolean release(String key, String token) {
        check("release");
        return store.release(key, token);
      }

      @Override
      public boolean extend(String key, String token, java.time.Duration lease) {
        check("extend");
        return store.extend(key, token, lease);
      }
    };
  }
}
