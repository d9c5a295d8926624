package io.hookguard.spring;

import io.hookguard.dedup.DedupStoreException;
import io.hookguard.jdbc.JdbcDedupStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes a {@link JdbcDedupStore}'s expired keys every {@code hookguard.dedup.jdbc.purge-interval}
 * (first one interval after start), in statements of at most {@code purge-batch} keys each, until
 * a batch comes back short: the table stays as large as the keys still within their retention,
 * and no delete holds many rows at once. A failed purge is counted and tried again next time.
 */
final class JdbcDedupPurge implements SmartLifecycle {
  private final JdbcDedupStore store;
  private final Duration interval;
  private final int batch;
  private final AtomicLong purged = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private @Nullable ScheduledExecutorService scheduler;
  private volatile boolean running;

  JdbcDedupPurge(JdbcDedupStore store, Duration interval, int batch) {
    if (interval.isNegative() || interval.isZero()) {
      throw new HookguardConfigurationException("hookguard.dedup.jdbc.purge-interval",
          "must be positive: " + interval, "Use a duration such as 10m.");
    }
    if (batch < 1) {
      throw new HookguardConfigurationException("hookguard.dedup.jdbc.purge-batch", "must be positive: " + batch,
          "Use a count such as 1000.");
    }
    this.store = store;
    this.interval = interval;
    this.batch = batch;
  }

  /** One purge: batches until one is short (or the purge is stopped). */
  int purgeNow() {
    int total = 0;
    int deleted;
    do {
      deleted = store.purgeExpired(batch);
      total += deleted;
    } while (deleted == batch && running);
    purged.addAndGet(total);
    return total;
  }

  private void purgeQuietly() {
    try {
      purgeNow();
    } catch (DedupStoreException e) {
      failures.incrementAndGet(); // the database is down: next time
    }
  }

  /** @return keys deleted since start */
  long purged() {
    return purged.get();
  }

  /** @return purges that failed since start */
  long failures() {
    return failures.get();
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "hookguard-dedup-purge");
      thread.setDaemon(true);
      return thread;
    });
    running = true;
    executor.scheduleWithFixedDelay(this::purgeQuietly, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
    scheduler = executor;
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Not paused with the context: a purge is harmless while the context is inactive. No
   * {@code @Override}: Spring 6.2 (Boot 3.5) has no such method.
   *
   * @return false
   */
  public boolean isPauseable() {
    return false;
  }
}
