package io.hookguard.benchmarks;

import io.hookguard.dedup.Admission;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupStore;
import io.hookguard.internal.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the steps of {@link FilterThroughput}'s filtered path cost on their own, per new 4 KiB
 * event, beside the HMAC both filters compute: the unit in which the filter's budget against the
 * {@link HandRolledStripeFilter} is counted. The hand-rolled filter's dedup is a
 * {@code ConcurrentHashMap} {@code putIfAbsent} and {@code replace}; Hookguard's is the body's
 * SHA-256 fingerprint plus a claim and a completion on {@link CaffeineDedupStore} at its default
 * size bound, full (so that every new key evicts one, as in a long run), which is what
 * {@link #dedupAdmitAndFinish} measures whole. For the map to hold the same number of keys, it
 * drops the key written 100,000 events earlier; the peer in {@code FilterThroughput} never drops
 * one and grows instead.
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterCosts {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final Duration RETENTION = Duration.ofHours(72);
  private static final int KEYS = 100_000;

  /** Body size in bytes. */
  @Param({"4096"})
  public int size;

  private byte[] body;
  private byte[] signedPrefix;
  private ThreadLocal<Mac> mac;
  private final AtomicLong events = new AtomicLong();
  private DedupStore store;
  private DedupEngine engine;
  private ConcurrentMap<String, Boolean> map;

  /** Builds the body and the stores, each filled to its size. */
  @Setup(Level.Trial)
  public void setUp() {
    body = Payloads.bytes(Payloads.json(size, "evt_000000000000"));
    signedPrefix = "1700000000.".getBytes(StandardCharsets.US_ASCII);
    mac = Payloads.hmacSha256("whsec_benchmark_secret".getBytes(StandardCharsets.UTF_8));
    store = CaffeineDedupStore.create();
    engine = DedupEngine.builder(CaffeineDedupStore.create()).build();
    map = new ConcurrentHashMap<>();
    String fingerprint = Sha256.hex(body);
    for (long event = 0; event < KEYS; event++) {
      String key = key(event);
      store.complete(key, ((ClaimResult.Acquired) store.claim(key, fingerprint, LEASE)).token(), RETENTION);
      map.put(key, Boolean.TRUE);
      ((Admission.Run) admit(event)).claim().finish(true);
    }
    events.set(KEYS);
  }

  private static String key(long event) {
    return "hookguard:stripe:stripe:evt_" + event;
  }

  private Admission admit(long event) {
    try {
      return engine.admit("stripe", "stripe", "evt_" + event, body);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the HMAC-SHA256 over {@code t.body}: what both filters verify with */
  @Benchmark
  public byte[] baselineHmac() {
    Mac m = mac.get();
    m.update(signedPrefix);
    return m.doFinal(body);
  }

  /** @return the body's SHA-256 fingerprint, as the dedup engine computes it */
  @Benchmark
  public String bodyFingerprint() {
    return Sha256.hex(body);
  }

  /** @return whether a new key was claimed and completed in the full Caffeine store */
  @Benchmark
  public boolean caffeineClaimAndComplete() {
    String key = key(events.getAndIncrement());
    ClaimResult claim = store.claim(key, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", LEASE);
    return store.complete(key, ((ClaimResult.Acquired) claim).token(), RETENTION);
  }

  /** @return whether a new key was claimed and completed in the map, as the hand-rolled filter does */
  @Benchmark
  public boolean hashMapClaimAndComplete() {
    long event = events.getAndIncrement();
    String key = key(event);
    boolean claimed = map.putIfAbsent(key, Boolean.FALSE) == null && map.replace(key, Boolean.FALSE, Boolean.TRUE);
    map.remove(key(event - KEYS));
    return claimed;
  }

  /** @return whether the engine admitted a new event (fingerprint, key, claim) and recorded its completion */
  @Benchmark
  public boolean dedupAdmitAndFinish() {
    return ((Admission.Run) admit(events.getAndIncrement())).claim().finish(true);
  }
}
