package io.hookguard;

import static java.util.Objects.requireNonNull;

import io.hookguard.internal.Checks;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The documents schemes fetch to verify deliveries (AWS SNS's and PayPal's signing certificates,
 * key sets), fetched through a {@link DocumentFetcher} and cached: a document is fetched once per
 * URL and {@linkplain Builder#timeToLive time to live}, never per delivery; concurrent deliveries
 * that miss the same URL wait for one fetch; a failed fetch is remembered for a short
 * {@linkplain Builder#failureTimeToLive while} (so that a sender retrying does not fetch on every
 * attempt) and then tried again; the number of cached documents, their size, the fetches in
 * flight and the rate of failing fetches of new URLs ({@link Builder#maxFetchesPer}) are bounded. Schemes only ask for URLs whose host they pin ({@code https}, an exact host
 * or a strict pattern such as {@code sns.<region>.amazonaws.com}).
 *
 * <p>What a delivery gets when its document cannot be had: {@code 503 key-unavailable} with
 * {@code Retry-After} when it cannot be fetched now (the sender retries), {@code 401
 * no-matching-signature} when the pinned host says there is no such document or it is not one the
 * scheme can use. Thread-safe; by default every verifier shares {@link #shared()}, and
 * {@link WebhookVerifier.Builder#remoteDocuments} gives one its own.
 */
public final class RemoteDocuments {
  private final DocumentFetcher fetcher;
  private final Duration timeToLive;
  private final Duration failureTimeToLive;
  private final int maxEntries;
  private final int maxBytes;
  private final Duration maxWait;
  private final Semaphore fetches;
  private final FetchBudget budget;
  private final Clock clock;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, Failure> failures = new ConcurrentHashMap<>();

  private RemoteDocuments(Builder builder) {
    this.fetcher = builder.fetcher;
    this.timeToLive = builder.timeToLive;
    this.failureTimeToLive = builder.failureTimeToLive;
    this.maxEntries = builder.maxEntries;
    this.maxBytes = builder.maxBytes;
    this.maxWait = builder.maxWait;
    this.fetches = new Semaphore(builder.maxConcurrentFetches);
    this.budget = new FetchBudget(builder.budgetFetches, builder.budgetInterval);
    this.clock = builder.clock;
  }

  /**
   * The documents every verifier uses unless given others: {@link DocumentFetcher#https()} and the
   * {@link Builder} defaults.
   *
   * @return the JVM-wide instance
   */
  public static RemoteDocuments shared() {
    return Shared.INSTANCE;
  }

  /**
   * Starts configuring documents of one's own: another fetcher, other bounds.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The documents a scheme fetches through: the verifier's own, or else the shared cache.
   *
   * @param documents the verifier's documents, or null
   * @return them, or {@link #shared()}
   */
  static RemoteDocuments orShared(@Nullable RemoteDocuments documents) {
    return documents != null ? documents : shared();
  }

  /** Made on first use only. */
  private static final class Shared {
    static final RemoteDocuments INSTANCE = builder().build();
  }

  /** Reads a fetched document into what a scheme uses (a certificate's key); throws for a document it cannot use. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(byte[] document) throws Exception;
  }

  /**
   * The document at {@code url}, parsed, from the cache or fetched now (blocking, within the
   * fetcher's timeout). Call it only with a URL the scheme pinned ({@link #pinned}).
   *
   * @throws Reject {@code key-unavailable} (with a retry hint) when it cannot be fetched now;
   *     {@code no-matching-signature} when there is no such document or the parser refuses it
   */
  @SuppressWarnings("unchecked")
  <T> T get(URI url, Parser<T> parser) {
    Key key = new Key(url, parser);
    long now = clock.millis();
    Entry cached = entries.get(key);
    if (cached != null && cached.fresh(now)) {
      return (T) cached.value();
    }
    Failure failed = failures.get(key);
    if (failed != null) {
      if (now < failed.until) {
        throw failed.reject(now);
      }
      failures.remove(key, failed);
    }
    Entry mine = new Entry();
    boolean[] known = {false};
    Entry winner = entries.compute(key, (k, old) -> {
      if (old == null || old.stale(now)) {
        // An expired document is a URL the sender's host served before: refreshing it is no
        // made-up URL and takes nothing from the fetch budget.
        known[0] = old != null && !old.future.isCompletedExceptionally();
        return mine;
      }
      return old;
    });
    if (winner != mine) {
      return (T) await(winner);
    }
    return (T) load(key, mine, now, known[0]);
  }

  /** Fetches and parses for every delivery waiting on {@code mine}. */
  private Object load(Key key, Entry mine, long now, boolean known) {
    if (!fetches.tryAcquire()) {
      // Many distinct URLs at once is no sender's pattern: refuse rather than queue outbound calls.
      throw abandon(key, mine, unavailable("too many signing documents are being fetched at once",
          Duration.ofSeconds(1)));
    }
    try {
      if (!known) {
        long waitMillis = budget.take(now);
        if (waitMillis > 0) {
          // The URL comes from a delivery not yet verified: made-up URLs on a pinned host, one
          // after another, must not become a steady stream of outbound fetches.
          throw abandon(key, mine, unavailable("more signing documents not fetched before were asked for than "
              + "the fetch budget allows", Duration.ofSeconds((waitMillis + 999) / 1000)));
        }
      }
      Object value;
      try {
        byte[] document = fetcher.fetch(key.url, maxBytes);
        if (document.length > maxBytes) {
          throw new FileNotFoundException("larger than " + maxBytes + " bytes");
        }
        try {
          value = requireNonNull(key.parser.parse(document), "parsed document");
        } catch (Exception e) {
          throw new FileNotFoundException("not a document the scheme can use");
        }
      } catch (FileNotFoundException e) {
        throw fail(key, mine, now, new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
            "the signing certificate or key named by the delivery does not exist or cannot be used"));
      } catch (IOException | RuntimeException e) {
        throw fail(key, mine, now, unavailable("the signing certificate or key cannot be fetched now",
            failureTimeToLive));
      } catch (Error e) {
        // Nothing may stay waiting on an entry that will never complete.
        abandon(key, mine, unavailable("the signing certificate or key cannot be fetched now", failureTimeToLive));
        throw e;
      }
      if (!known) {
        // The sender's host served a usable document: only what fails spends the budget.
        budget.refund();
      }
      mine.expiresAt = now + timeToLive.toMillis();
      mine.future.complete(value);
      evictBeyondBound();
      return value;
    } finally {
      fetches.release();
    }
  }

  /** Gives up on a load that fetched nothing: its waiters get the refusal, nothing is remembered. */
  private Reject abandon(Key key, Entry mine, Reject reject) {
    entries.remove(key, mine);
    mine.future.completeExceptionally(reject);
    return reject;
  }

  /**
   * Fetches {@code url} once, uncached, within the bound of fetches in flight: a one-shot call
   * such as SNS's subscription confirmation, to a URL the scheme pinned.
   *
   * @return whether the server answered with a document (200)
   */
  boolean fetchOnce(URI url) {
    if (!fetches.tryAcquire()) {
      return false;
    }
    try {
      fetcher.fetch(url, maxBytes);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      fetches.release();
    }
  }

  private Reject fail(Key key, Entry mine, long now, Reject reject) {
    entries.remove(key, mine);
    failures.put(key, new Failure(now + failureTimeToLive.toMillis(), reject));
    if (failures.size() > maxEntries) {
      failures.entrySet().removeIf(e -> e.getValue().until <= now);
      removeOldest(failures, Failure::until);
    }
    mine.future.completeExceptionally(reject);
    return reject;
  }

  private Object await(Entry winner) {
    try {
      return winner.future.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Reject reject ? reject
          : unavailable("the signing certificate or key cannot be fetched now", failureTimeToLive);
    } catch (TimeoutException e) {
      throw unavailable("the signing certificate or key is still being fetched", failureTimeToLive);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while the signing certificate or key was fetched", failureTimeToLive);
    }
  }

  /** A cache of at most {@code maxEntries} documents: past it, the one that expires first goes. */
  private void evictBeyondBound() {
    while (entries.size() > maxEntries) {
      if (!removeOldest(entries, e -> e.future.isDone() ? e.expiresAt : Long.MAX_VALUE)) {
        return;
      }
    }
  }

  private static <V> boolean removeOldest(Map<Key, V> map, java.util.function.ToLongFunction<V> expiry) {
    Map.Entry<Key, V> oldest = null;
    for (Map.Entry<Key, V> e : map.entrySet()) {
      if (oldest == null || expiry.applyAsLong(e.getValue()) < expiry.applyAsLong(oldest.getValue())) {
        oldest = e;
      }
    }
    return oldest != null && map.remove(oldest.getKey(), oldest.getValue());
  }

  private static Reject unavailable(String detail, Duration retryAfter) {
    return new Reject(RejectionReason.KEY_UNAVAILABLE, detail + "; retry later", retryAfter);
  }

  /**
   * At most {@code capacity} fetches in a burst, then one per {@code interval / capacity}: the
   * generic cell rate algorithm in integer nanoseconds on the clock's scale, so that a retry at
   * the {@code Retry-After} given finds its fetch free.
   */
  private static final class FetchBudget {
    private final long emission;
    private final long tolerance;
    /** When the next fetch would be free were every earlier one spaced evenly. */
    private long theoretical;

    FetchBudget(int capacity, Duration interval) {
      this.emission = interval.toNanos() / capacity;
      this.tolerance = emission * (capacity - 1);
    }

    /** Takes one fetch: 0 when taken, else the milliseconds until one is free. */
    synchronized long take(long nowMillis) {
      long now = nowMillis * 1_000_000L;
      // A clock stepped back (NTP, a restored VM) must not hold the budget for the step.
      theoretical = Math.min(theoretical, now + tolerance + emission);
      long arrival = Math.max(theoretical, now);
      if (arrival - now > tolerance) {
        return (arrival - now - tolerance + 999_999) / 1_000_000;
      }
      theoretical = arrival + emission;
      return 0;
    }

    /** Gives back the fetch last taken. */
    synchronized void refund() {
      theoretical -= emission;
    }
  }

  /** How many documents (and remembered failures) are held now; for tests. */
  int size() {
    return entries.size();
  }

  /**
   * Parses a URL a delivery names and checks it against a scheme's pins: {@code https}, no user
   * info, no port other than 443, no query or fragment, a host that {@code host} matches whole
   * as written (senders write their hosts in lower case; another spelling is refused rather than
   * treated as the same host) and a path that {@code path} matches whole.
   *
   * @param malformed the reason for text that is no URL at all
   * @param what the URL's name in the messages, e.g. {@code SigningCertURL}
   * @throws Reject {@code malformed} for no URL, {@code no-matching-signature} for a URL off the pins
   */
  static URI pinned(String text, Pattern host, Pattern path, RejectionReason malformed, String what) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw new Reject(malformed, what + " is not a URL");
    }
    String hostName = url.getHost();
    if (!"https".equals(url.getScheme()) || url.getRawUserInfo() != null
        || (url.getPort() != -1 && url.getPort() != 443) || url.getRawQuery() != null
        || url.getRawFragment() != null || hostName == null || url.getRawPath() == null
        || !host.matcher(hostName).matches()
        || !path.matcher(url.getRawPath()).matches()) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
          what + " is not an https URL on a host the scheme trusts");
    }
    return url;
  }

  @Override
  public String toString() {
    return "RemoteDocuments[" + entries.size() + "/" + maxEntries + " cached, ttl " + timeToLive + "]";
  }

  /** Documents are per URL and per parser: the same URL read two ways is two entries. */
  private record Key(URI url, Parser<?> parser) {}

  private static final class Entry {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    volatile long expiresAt;

    boolean fresh(long now) {
      return future.isDone() && !future.isCompletedExceptionally() && now < expiresAt;
    }

    boolean stale(long now) {
      return future.isDone() && (future.isCompletedExceptionally() || now >= expiresAt);
    }

    Object value() {
      return future.join();
    }
  }

  private record Failure(long until, Reject reject) {
    Reject reject(long now) {
      return reject.reason == RejectionReason.KEY_UNAVAILABLE
          ? unavailable(reject.getMessage().replace("; retry later", ""), Duration.ofMillis(Math.max(1, until - now)))
          : reject;
    }
  }

  /** Configures {@link RemoteDocuments}; every setting is checked when it is set. */
  public static final class Builder {
    private DocumentFetcher fetcher = DocumentFetcher.https();
    private Duration timeToLive = Duration.ofHours(6);
    private Duration failureTimeToLive = Duration.ofSeconds(30);
    private int maxEntries = 64;
    private int maxBytes = 64 * 1024;
    private int maxConcurrentFetches = 4;
    private int budgetFetches = 10;
    private Duration budgetInterval = Duration.ofMinutes(1);
    private Duration maxWait = Duration.ofSeconds(15);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * How documents are fetched; {@link DocumentFetcher#https()} by default.
     *
     * @param fetcher the fetcher
     * @return this builder
     */
    public Builder fetcher(DocumentFetcher fetcher) {
      this.fetcher = requireNonNull(fetcher, "fetcher");
      return this;
    }

    /**
     * How long a fetched document is used before it is fetched again; 6 hours by default.
     *
     * @param timeToLive a positive duration
     * @return this builder
     */
    public Builder timeToLive(Duration timeToLive) {
      this.timeToLive = Checks.positive(timeToLive, "timeToLive");
      return this;
    }

    /**
     * How long a failed fetch is remembered (deliveries naming that URL are refused without
     * fetching meanwhile, 503 with this as {@code Retry-After} when the failure was transient);
     * 30 seconds by default.
     *
     * @param failureTimeToLive a positive duration
     * @return this builder
     */
    public Builder failureTimeToLive(Duration failureTimeToLive) {
      this.failureTimeToLive = Checks.positive(failureTimeToLive, "failureTimeToLive");
      return this;
    }

    /**
     * How many documents are cached (and, apart, how many failures remembered); past it the one
     * that expires first is dropped. 64 by default.
     *
     * @param maxEntries at least 1
     * @return this builder
     */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = Checks.positive(maxEntries, "maxEntries");
      return this;
    }

    /**
     * The largest document accepted; 64 KiB by default (a certificate is 2 KiB).
     *
     * @param maxBytes at least 1
     * @return this builder
     */
    public Builder maxBytes(int maxBytes) {
      this.maxBytes = Checks.positive(maxBytes, "maxBytes");
      return this;
    }

    /**
     * How many fetches may run at once; a delivery that would start one more is answered 503
     * {@code key-unavailable} at once. 4 by default.
     *
     * @param maxConcurrentFetches at least 1
     * @return this builder
     */
    public Builder maxConcurrentFetches(int maxConcurrentFetches) {
      this.maxConcurrentFetches = Checks.positive(maxConcurrentFetches, "maxConcurrentFetches");
      return this;
    }

    /**
     * The fetch budget for URLs not fetched before: at most {@code fetches} in a burst, then one
     * per {@code interval / fetches}. A delivery whose URL would need a fetch past it is answered
     * 503 {@code key-unavailable}, with {@code Retry-After} until the next one is free, and nothing
     * is fetched. A fetch that brings a usable document gives its share back, and a document
     * fetched before is refreshed outside the budget, so what the budget paces is failures: a
     * stream of deliveries naming made-up URLs on a pinned host (any path is a URL). A sender's
     * new certificate that arrives while such a stream runs may be refused until a fetch is free.
     * One budget per {@code RemoteDocuments} (by default {@link #shared()}, for every verifier);
     * subscription confirmations ({@code fetchOnce}) are outside it. 10 a minute by default.
     *
     * @param fetches at least 1
     * @param interval a positive duration
     * @return this builder
     */
    public Builder maxFetchesPer(int fetches, Duration interval) {
      Checks.positive(fetches, "fetches");
      if (Checks.positive(interval, "interval").compareTo(Duration.ofMillis(1)) < 0
          || interval.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("the budget's interval is between 1 ms and a day: " + interval);
      }
      if (interval.toNanos() / fetches == 0) {
        throw new IllegalArgumentException("more than one fetch a nanosecond: " + fetches + " per " + interval);
      }
      this.budgetFetches = fetches;
      this.budgetInterval = interval;
      return this;
    }

    /**
     * How long a delivery waits for another delivery's fetch of the same URL; 15 seconds by default.
     *
     * @param maxWait a positive duration
     * @return this builder
     */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = Checks.positive(maxWait, "maxWait");
      return this;
    }

    /**
     * The clock entries expire by; the system UTC clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes the documents' cache, empty.
     *
     * @return a new instance
     */
    public RemoteDocuments build() {
      return new RemoteDocuments(this);
    }
  }
}
