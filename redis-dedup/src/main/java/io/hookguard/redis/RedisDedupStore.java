package io.hookguard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupStore;
import io.hookguard.dedup.DedupStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;

/**
 * The shared {@link DedupStore} on Redis, through any Jedis {@link UnifiedJedis} client: a
 * standalone {@code RedisClient} (or {@code JedisPooled}), a Sentinel client or a
 * {@code RedisClusterClient}. One key per event, so it works on Redis Cluster without hash tags.
 *
 * <p>A claim is one {@code SET key value NX PX lease}; only when it loses does a small read-only
 * script report what holds the key. Complete, release and extend are small scripts that check
 * the claim token and change the key in the same atomic step, sent with {@code EVALSHA} and
 * re-sent with {@code EVAL} when the server answers {@code NOSCRIPT} (restart, failover,
 * {@code SCRIPT FLUSH}). Every script answers an integer.
 *
 * <p>Values: {@code p:<token>:<fingerprint>} while in progress (expiring with the lease),
 * {@code c:<fingerprint>} once completed (expiring with the retention).
 *
 * <p>Redis must not evict these keys: run it with {@code maxmemory-policy noeviction} or give
 * Hookguard a dedicated instance, or an evicted record lets a retry run again. Replication is
 * asynchronous, so a failover can lose recent claims and completions: the guarantee there is
 * at-least-once. Every Redis or client error becomes a {@link DedupStoreException}; the store
 * never retries on its own, the engine's outage policy decides.
 *
 * <p>By default {@link #complete} waits for its script's answer: a delivery costs two round trips.
 * {@link Builder#completeInBackground(boolean)} trades that wait for a short window, described
 * there, in which a finished event still reads as in progress.
 */
public final class RedisDedupStore implements DedupStore, AutoCloseable {
  private static final String IN_PROGRESS = "p:";
  private static final String COMPLETED = "c:";

  /** Answers -1 absent, -2 completed, -3 another fingerprint, else the lease left in ms. */
  private static final Script INSPECT = new Script("""
      local v = redis.call('GET', KEYS[1])
      if not v then return -1 end
      local fp
      if string.sub(v, 1, 2) == 'c:' then
        fp = string.sub(v, 3)
        if fp == ARGV[1] then return -2 else return -3 end
      end
      fp = string.match(v, '^p:[^:]*:(.*)$')
      if fp ~= ARGV[1] then return -3 end
      local ms = redis.call('PTTL', KEYS[1])
      if ms < 0 then return 0 end
      return ms
      """);

  /** ARGV[1] is {@code p:<token>:}, ARGV[2] the retention in ms; answers 1 when completed. */
  private static final Script COMPLETE = new Script("""
      local v = redis.call('GET', KEYS[1])
      if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
        redis.call('SET', KEYS[1], 'c:' .. string.sub(v, #ARGV[1] + 1), 'PX', ARGV[2])
        return 1
      end
      return 0
      """);

  /** ARGV[1] is {@code p:<token>:}; answers 1 when released. */
  private static final Script RELEASE = new Script("""
      local v = redis.call('GET', KEYS[1])
      if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  /** ARGV[1] is {@code p:<token>:}, ARGV[2] the new lease in ms; answers 1 when extended. */
  private static final Script EXTEND = new Script("""
      local v = redis.call('GET', KEYS[1])
      if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """);

  /** A lost claim is re-read at most this often when the key expires between SET and inspect. */
  private static final int CLAIM_ATTEMPTS = 3;

  /** Completions queued beyond this are written by the caller: backpressure, never a drop. */
  static final int BACKGROUND_QUEUE_CAPACITY = 65_536;

  private final UnifiedJedis redis;
  private final @Nullable BackgroundCompletions background;

  private RedisDedupStore(Builder builder) {
    this.redis = builder.redis;
    this.background = builder.completeInBackground
        ? new BackgroundCompletions(redis, COMPLETE.sha1, this::writeCompletion, builder.queueCapacity)
        : null;
  }

  /**
   * A store over a client the caller owns (and closes), completing synchronously. Give the
   * client bounded timeouts, e.g. {@link #recommendedClientConfig()}, so that a hung server makes
   * deliveries fail fast with "unavailable, retry later" instead of holding request threads.
   *
   * @param redis a standalone, Sentinel or Cluster client
   * @return the store
   */
  public static RedisDedupStore create(UnifiedJedis redis) {
    return builder(redis).build();
  }

  /**
   * Starts a store over a client the caller owns (and closes after closing the store).
   *
   * @param redis a standalone, Sentinel or Cluster client
   * @return the builder
   */
  public static Builder builder(UnifiedJedis redis) {
    return new Builder(redis);
  }

  /** Settings of a {@link RedisDedupStore}. */
  public static final class Builder {
    private final UnifiedJedis redis;
    private boolean completeInBackground;
    private int queueCapacity = BACKGROUND_QUEUE_CAPACITY;

    private Builder(UnifiedJedis redis) {
      this.redis = requireNonNull(redis, "redis");
    }

    /**
     * Whether {@link #complete} queues the completion for a background thread instead of waiting
     * for Redis: a delivery's request then waits for one round trip (its claim) instead of two,
     * and completions from many requests share one pipelined round trip.
     *
     * <p>What it costs: until the completion is written, usually within a round trip, the event
     * still reads as in progress under its lease, so a duplicate arriving in that window is told
     * "in progress, retry later" rather than "already done"; it never runs twice. A completion
     * that cannot be written (Redis down, or the lease ran out first) is counted in
     * {@link #unrecordedCompletions()} instead of answered, and leaves the key to expire with its
     * lease, after which a redelivery runs again: at-least-once, as on a failover. Completions
     * still queued when the process dies are lost the same way: {@link #close()} the store on
     * shutdown, before the client. When the queue is full, or after {@code close()},
     * {@code complete} writes synchronously.
     *
     * @param background whether to complete in the background; off by default
     * @return this builder
     */
    public Builder completeInBackground(boolean background) {
      this.completeInBackground = background;
      return this;
    }

    /** For tests: a small queue reaches its full-queue fallback. */
    Builder queueCapacity(int capacity) {
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * Makes the store; with background completion, starts its writer thread.
     *
     * @return the store
     */
    public RedisDedupStore build() {
      return new RedisDedupStore(this);
    }
  }

  /**
   * Client settings for a dedup store: 1 second to connect, 1 second per reply. Jedis's own
   * default is 2 seconds each; a webhook request should not wait that long on a sick server.
   *
   * @return a builder to add credentials, TLS or a client name to
   */
  public static DefaultJedisClientConfig.Builder recommendedClientConfig() {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(1_000)
        .socketTimeoutMillis(1_000)
        .clientName("hookguard");
  }

  @Override
  public ClaimResult claim(String key, String fingerprint, Duration lease) {
    requireNonNull(key, "key");
    requireNonNull(fingerprint, "fingerprint");
    long leaseMillis = millis(lease);
    String token = DedupStore.newClaimToken();
    String value = IN_PROGRESS + token + ":" + fingerprint;
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      if ("OK".equals(call(() -> redis.set(key, value, SetParams.setParams().nx().px(leaseMillis))))) {
        return new ClaimResult.Acquired(token);
      }
      long state = INSPECT.run(this, key, fingerprint);
      if (state == -2) {
        return new ClaimResult.Completed();
      }
      if (state == -3) {
        return new ClaimResult.FingerprintMismatch();
      }
      if (state >= 0) {
        return new ClaimResult.InProgress(Duration.ofMillis(state));
      }
      // -1: the holder's record expired or was released between the two calls; claim again.
    }
    throw new DedupStoreException("key kept changing while it was claimed");
  }

  /**
   * {@inheritDoc}
   *
   * <p>With {@linkplain Builder#completeInBackground background completion}, answers {@code true}
   * once the completion is queued; one that later finds the claim lost, or cannot be written, is
   * counted in {@link #unrecordedCompletions()}.
   */
  @Override
  public boolean complete(String key, String token, Duration retention) {
    requireNonNull(key, "key");
    String retentionMillis = Long.toString(millis(retention));
    if (!owned(token)) {
      return false;
    }
    BackgroundCompletions.Pending pending = new BackgroundCompletions.Pending(key, heldPrefix(token), retentionMillis);
    return (background != null && background.offer(pending)) || writeCompletion(pending);
  }

  private boolean writeCompletion(BackgroundCompletions.Pending pending) {
    return COMPLETE.run(this, pending.key(), pending.heldPrefix(), pending.retentionMillis()) == 1;
  }

  /**
   * Completions queued in the background and then not recorded, because Redis failed or the claim
   * was lost first; always 0 for a store that completes synchronously.
   *
   * @return the count since the store was built
   */
  public long unrecordedCompletions() {
    return background == null ? 0 : background.unrecorded();
  }

  /**
   * With background completion, writes every queued completion and stops the writer thread;
   * completions after this are written synchronously. Does not close the client. Nothing to do
   * for a store that completes synchronously.
   */
  @Override
  public void close() {
    if (background != null) {
      background.close();
    }
  }

  @Override
  public boolean release(String key, String token) {
    return owned(token) && RELEASE.run(this, key, heldPrefix(token)) == 1;
  }

  @Override
  public boolean extend(String key, String token, Duration lease) {
    String leaseMillis = Long.toString(millis(lease));
    return owned(token) && EXTEND.run(this, key, heldPrefix(token), leaseMillis) == 1;
  }

  /**
   * Checks that Redis answers, for health checks.
   *
   * @throws DedupStoreException when it does not
   */
  public void ping() {
    call(redis::ping);
  }

  /** Tokens this store hands out never contain ':'; another one cannot be a claim of ours. */
  private static boolean owned(String token) {
    return requireNonNull(token, "token").indexOf(':') < 0 && !token.isEmpty();
  }

  private static String heldPrefix(String token) {
    return IN_PROGRESS + token + ":";
  }

  private static long millis(Duration ttl) {
    if (requireNonNull(ttl, "ttl").isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease and retention must be positive: " + ttl);
    }
    // Redis counts in milliseconds; round a sub-millisecond duration up rather than to "no TTL".
    return Math.max(1, ttl.toMillis());
  }

  private <T> T call(RedisCall<T> call) {
    try {
      return call.run();
    } catch (JedisException e) {
      throw new DedupStoreException("Redis dedup store unavailable: " + e.getClass().getSimpleName(), e);
    }
  }

  @FunctionalInterface
  private interface RedisCall<T> {
    T run();
  }

  @Override
  public String toString() {
    return "RedisDedupStore[" + redis.getClass().getSimpleName()
        + (background == null ? "" : ", completing in background") + "]";
  }

  /** A Lua script sent by its SHA-1, and in full when the server does not know it. */
  private static final class Script {
    private final String source;
    private final String sha1;

    Script(String source) {
      this.source = source;
      this.sha1 = sha1Hex(source);
    }

    long run(RedisDedupStore store, String key, String... args) {
      List<String> keys = List.of(key);
      List<String> argv = List.of(args);
      Object reply = store.call(() -> {
        try {
          return store.redis.evalsha(sha1, keys, argv);
        } catch (JedisNoScriptException e) {
          return store.redis.eval(source, keys, argv);
        }
      });
      if (reply instanceof Long value) {
        return value;
      }
      throw new DedupStoreException("unexpected reply from a dedup script: "
          + (reply == null ? "nil" : reply.getClass().getSimpleName()));
    }

    private static String sha1Hex(String source) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-1", e);
      }
    }
  }
}
