package io.hookguard.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Completions written by one thread in pipelined batches: whatever queued while the previous
 * batch was on the wire goes out in the next one, so the writer never waits for a timer and a
 * burst costs one round trip. A full queue or a closed writer hands the completion back to the
 * caller to write itself: backpressure, never a drop.
 */
final class BackgroundCompletions implements AutoCloseable {
  /** One completion to write: the script's key and arguments. */
  record Pending(String key, String heldPrefix, String retentionMillis) {}

  /** Writes one completion the synchronous way (EVALSHA, then EVAL on NOSCRIPT). */
  @FunctionalInterface
  interface SingleWriter {
    boolean write(Pending pending);
  }

  private static final int MAX_BATCH = 512;

  private final UnifiedJedis redis;
  private final String scriptSha1;
  private final SingleWriter single;
  private final BlockingQueue<Pending> queue;
  private final LongAdder unrecorded = new LongAdder();
  private final Thread writer;
  private volatile boolean closed;

  BackgroundCompletions(UnifiedJedis redis, String scriptSha1, SingleWriter single, int capacity) {
    this.redis = redis;
    this.scriptSha1 = scriptSha1;
    this.single = single;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::drain, "hookguard-redis-completions");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues a completion.
   *
   * @return false when the caller must write it itself (queue full, or closing)
   */
  boolean offer(Pending pending) {
    if (closed || !queue.offer(pending)) {
      return false;
    }
    // Closed between the check and the offer: the final drain may already be past; take it back
    // unless someone else took it.
    return !closed || !queue.remove(pending);
  }

  /** Completions that were queued and then not recorded: Redis failed, or the claim was lost. */
  long unrecorded() {
    return unrecorded.sum();
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      Pending first;
      try {
        // close() is seen within this long; it does not interrupt, since an interrupted wait for a
        // pooled connection would fail the batch in hand.
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // Nothing here interrupts the writer; a stray interrupt must not strand the queue.
        continue;
      }
      if (first == null) {
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      write(batch);
      batch.clear();
    }
  }

  private void write(List<Pending> batch) {
    List<Response<Object>> replies = new ArrayList<>(batch.size());
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (Pending pending : batch) {
        replies.add(pipeline.evalsha(scriptSha1, List.of(pending.key()),
            List.of(pending.heldPrefix(), pending.retentionMillis())));
      }
      pipeline.sync();
    } catch (RuntimeException e) {
      // The connection failed mid-batch: which writes landed is unknown, and none is retried by
      // design (the lease still guards each key), so all count as unrecorded.
      unrecorded.add(batch.size());
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Object reply;
      try {
        reply = replies.get(i).get();
      } catch (RuntimeException e) {
        // NOSCRIPT after a restart or failover: the synchronous path loads the script again.
        record(writeSingle(batch.get(i)));
        continue;
      }
      record(reply instanceof Long value && value == 1);
    }
  }

  private boolean writeSingle(Pending pending) {
    try {
      return single.write(pending);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void record(boolean recorded) {
    if (!recorded) {
      unrecorded.increment();
    }
  }

  /** Writes everything queued, then stops the writer. Later completions are written by callers. */
  @Override
  public void close() {
    closed = true;
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
