package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hookguard.inbox.TestClock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The fetched-documents cache: once per URL and lifetime, bounded, failures remembered briefly, typed refusals. */
class RemoteDocumentsTest {
  private static final URI A = URI.create("https://keys.example.com/a.pem");
  private static final URI B = URI.create("https://keys.example.com/b.pem");
  private static final RemoteDocuments.Parser<String> TEXT = bytes -> new String(bytes, UTF_8);

  private final TestClock clock = new TestClock();
  private final Map<URI, AtomicInteger> fetched = new ConcurrentHashMap<>();

  /** Serves "doc:<path>" and counts fetches per URL. */
  private DocumentFetcher serving() {
    return (url, maxBytes) -> {
      fetched.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
      return ("doc:" + url.getPath()).getBytes(UTF_8);
    };
  }

  private int fetches(URI url) {
    AtomicInteger count = fetched.get(url);
    return count == null ? 0 : count.get();
  }

  private static void awaitQuietly(CountDownLatch latch) throws IOException {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new java.io.InterruptedIOException();
    }
  }

  private RemoteDocuments.Builder documents(DocumentFetcher fetcher) {
    return RemoteDocuments.builder().fetcher(fetcher).clock(clock)
        .timeToLive(Duration.ofHours(1)).failureTimeToLive(Duration.ofSeconds(30));
  }

  @Test
  void aDocumentIsFetchedOnceAndServedFromTheCacheUntilItsTimeToLiveEnds() {
    RemoteDocuments documents = documents(serving()).build();

    for (int i = 0; i < 100; i++) {
      assertThat(documents.get(A, TEXT)).isEqualTo("doc:/a.pem");
    }
    assertThat(fetches(A)).isEqualTo(1);

    clock.advance(Duration.ofMinutes(59));
    documents.get(A, TEXT);
    assertThat(fetches(A)).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    documents.get(A, TEXT);
    assertThat(fetches(A)).isEqualTo(2);
  }

  @Test
  void concurrentMissesOfTheSameUrlWaitForOneFetch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    RemoteDocuments documents = documents((url, maxBytes) -> {
      calls.incrementAndGet();
      awaitQuietly(release);
      return "doc".getBytes(UTF_8);
    }).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> documents.get(A, TEXT)));
      }
      Thread.sleep(200); // let every task reach the cache
      release.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("doc");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void aTransientFailureIsKeyUnavailableWithRetryAfterAndIsRememberedOnlyBriefly() {
    AtomicInteger calls = new AtomicInteger();
    boolean[] up = {false};
    RemoteDocuments documents = documents((url, maxBytes) -> {
      calls.incrementAndGet();
      if (!up[0]) {
        throw new IOException("connection refused");
      }
      return "doc".getBytes(UTF_8);
    }).build();

    Reject first = catchThrowableOfType(() -> documents.get(A, TEXT), Reject.class);
    assertThat(first.reason).isEqualTo(RejectionReason.KEY_UNAVAILABLE);
    assertThat(first.retryAfter).isEqualTo(Duration.ofSeconds(30));
    assertThat(first.toRejection("x").retryAfter()).contains(Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(20));
    up[0] = true;
    Reject remembered = catchThrowableOfType(() -> documents.get(A, TEXT), Reject.class);
    assertThat(remembered.reason).isEqualTo(RejectionReason.KEY_UNAVAILABLE);
    assertThat(remembered.retryAfter).isEqualTo(Duration.ofSeconds(10));
    assertThat(calls).hasValue(1);

    clock.advance(Duration.ofSeconds(10));
    assertThat(documents.get(A, TEXT)).isEqualTo("doc");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aFetcherThatThrowsAnythingIsKeyUnavailableNotAnException() {
    RemoteDocuments documents = documents((url, maxBytes) -> {
      throw new IllegalStateException("bug in a user's fetcher");
    }).build();

    assertThat(catchThrowableOfType(() -> documents.get(A, TEXT), Reject.class).reason)
        .isEqualTo(RejectionReason.KEY_UNAVAILABLE);
  }

  @Test
  void noSuchDocumentOrAnUnusableOneIsABadSignatureNotARetry() {
    RemoteDocuments missing = documents((url, maxBytes) -> {
      throw new FileNotFoundException("404");
    }).build();
    Reject notFound = catchThrowableOfType(() -> missing.get(A, TEXT), Reject.class);
    assertThat(notFound.reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(notFound.retryAfter).isNull();

    RemoteDocuments garbage = documents(serving()).build();
    Reject unusable = catchThrowableOfType(() -> garbage.get(A, bytes -> {
      throw new java.security.cert.CertificateException("not a certificate");
    }), Reject.class);
    assertThat(unusable.reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    // Remembered too: a sender naming it again is refused without another fetch.
    garbage.get(B, TEXT);
    assertThat(catchThrowableOfType(() -> garbage.get(A, bytes -> {
      throw new IllegalArgumentException();
    }), Reject.class).reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void aDocumentLargerThanTheCapIsRefusedEvenFromAFetcherThatIgnoresIt() {
    RemoteDocuments documents = documents((url, maxBytes) -> new byte[maxBytes + 1]).maxBytes(100).build();

    assertThat(catchThrowableOfType(() -> documents.get(A, TEXT), Reject.class).reason)
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void theCacheHoldsAtMostItsBoundOfDocuments() {
    RemoteDocuments documents = documents(serving()).maxEntries(3).build();

    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(1));
      documents.get(URI.create("https://keys.example.com/" + i + ".pem"), TEXT);
    }
    assertThat(documents.size()).isEqualTo(3);
    // The newest stayed; the oldest went.
    documents.get(URI.create("https://keys.example.com/9.pem"), TEXT);
    assertThat(fetches(URI.create("https://keys.example.com/9.pem"))).isEqualTo(1);
    documents.get(URI.create("https://keys.example.com/0.pem"), TEXT);
    assertThat(fetches(URI.create("https://keys.example.com/0.pem"))).isEqualTo(2);
  }

  @Test
  void pastTheBoundOfFetchesInFlightADeliveryIsKeyUnavailableAtOnce() throws Exception {
    CountDownLatch inFetch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RemoteDocuments documents = documents((url, maxBytes) -> {
      inFetch.countDown();
      awaitQuietly(release);
      return "doc".getBytes(UTF_8);
    }).maxConcurrentFetches(1).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> slow = pool.submit(() -> documents.get(A, TEXT));
      assertThat(inFetch.await(10, TimeUnit.SECONDS)).isTrue();

      Reject busy = catchThrowableOfType(() -> documents.get(B, TEXT), Reject.class);
      assertThat(busy.reason).isEqualTo(RejectionReason.KEY_UNAVAILABLE);
      assertThat(busy.retryAfter).isEqualTo(Duration.ofSeconds(1));

      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("doc");
      // Not remembered as a failure: the next delivery fetches.
      assertThat(documents.get(B, TEXT)).isEqualTo("doc");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Serves "doc:<path>", except paths under /made-up/, which the host does not have. */
  private DocumentFetcher servingRealPathsOnly() {
    DocumentFetcher serving = serving();
    return (url, maxBytes) -> {
      if (url.getPath().startsWith("/made-up/")) {
        fetched.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
        throw new FileNotFoundException(url.getPath());
      }
      return serving.fetch(url, maxBytes);
    };
  }

  private static URI madeUp(int n) {
    return URI.create("https://keys.example.com/made-up/" + n + ".pem");
  }

  @Test
  void madeUpUrlsPastTheFetchBudgetAreKeyUnavailableWithoutAFetchUntilAFetchIsFree() {
    // A delivery names its certificate's URL before it is verified: an attacker naming a fresh
    // URL on the pinned host each time must not turn the receiver into a steady stream of fetches.
    RemoteDocuments documents = documents(servingRealPathsOnly()).maxFetchesPer(2, Duration.ofMinutes(1)).build();
    assertThat(documents.get(A, TEXT)).isEqualTo("doc:/a.pem");

    for (int i = 0; i < 2; i++) {
      int n = i;
      assertThat(catchThrowableOfType(() -> documents.get(madeUp(n), TEXT), Reject.class).reason)
          .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    Reject over = catchThrowableOfType(() -> documents.get(madeUp(2), TEXT), Reject.class);

    assertThat(over.reason).isEqualTo(RejectionReason.KEY_UNAVAILABLE);
    assertThat(over.retryAfter).isEqualTo(Duration.ofSeconds(30));
    assertThat(fetches(madeUp(2))).isZero();
    assertThat(documents.get(A, TEXT)).as("cached documents are still served").isEqualTo("doc:/a.pem");
    assertThat(catchThrowableOfType(() -> documents.get(B, TEXT), Reject.class).reason)
        .as("a real new URL waits too while the budget is spent").isEqualTo(RejectionReason.KEY_UNAVAILABLE);

    clock.advance(Duration.ofSeconds(29));
    assertThat(catchThrowableOfType(() -> documents.get(madeUp(3), TEXT), Reject.class).retryAfter)
        .isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(documents.get(B, TEXT)).as("a fetch is free again").isEqualTo("doc:/b.pem");
    assertThat(catchThrowableOfType(() -> documents.get(madeUp(4), TEXT), Reject.class).reason)
        .as("B's usable document gave its share back").isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    assertThat(fetches(madeUp(3))).isZero();
  }

  @Test
  void fetchesThatBringUsableDocumentsAndRefreshesSpendNoBudget() {
    RemoteDocuments documents = documents(servingRealPathsOnly()).maxFetchesPer(2, Duration.ofMinutes(1)).build();
    for (int i = 0; i < 20; i++) {
      assertThat(documents.get(URI.create("https://keys.example.com/" + i + ".pem"), TEXT)).isEqualTo("doc:/" + i + ".pem");
    }
    documents.get(A, TEXT);
    for (int i = 0; i < 3; i++) {
      int n = i;
      catchThrowableOfType(() -> documents.get(madeUp(n), TEXT), Reject.class);
    }
    assertThat(fetches(madeUp(2))).as("the budget is spent").isZero();

    clock.advance(Duration.ofHours(1)); // A's time to live: a refresh of a URL served before
    assertThat(documents.get(A, TEXT)).isEqualTo("doc:/a.pem");
    assertThat(fetches(A)).isEqualTo(2);
  }

  @Test
  void aClockSteppedBackDoesNotHoldTheBudgetForTheStep() {
    RemoteDocuments documents = documents(servingRealPathsOnly()).maxFetchesPer(1, Duration.ofMinutes(1)).build();
    catchThrowableOfType(() -> documents.get(madeUp(0), TEXT), Reject.class);
    clock.advance(Duration.ofMinutes(-10));

    assertThat(catchThrowableOfType(() -> documents.get(madeUp(1), TEXT), Reject.class).retryAfter)
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void theDefaultBudgetLetsTenMadeUpUrlsThroughAMinute() {
    RemoteDocuments documents = documents(servingRealPathsOnly()).build();
    for (int i = 0; i < 10; i++) {
      int n = i;
      assertThat(catchThrowableOfType(() -> documents.get(madeUp(n), TEXT), Reject.class).reason)
          .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }
    assertThat(catchThrowableOfType(() -> documents.get(madeUp(10), TEXT), Reject.class).reason)
        .isEqualTo(RejectionReason.KEY_UNAVAILABLE);
    clock.advance(Duration.ofSeconds(6));
    assertThat(catchThrowableOfType(() -> documents.get(madeUp(10), TEXT), Reject.class).reason)
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void aFetcherThatThrowsAnErrorLeavesNoDeliveryWaitingOnTheUrl() {
    boolean[] broken = {true};
    RemoteDocuments documents = documents((url, maxBytes) -> {
      if (broken[0]) {
        throw new StackOverflowError("a broken fetcher");
      }
      return "doc".getBytes(UTF_8);
    }).maxWait(Duration.ofMillis(200)).build();

    assertThatThrownBy(() -> documents.get(A, TEXT)).isInstanceOf(StackOverflowError.class);
    broken[0] = false;
    assertThat(documents.get(A, TEXT)).isEqualTo("doc");
  }

  @Test
  void theSameUrlReadByTwoParsersIsTwoEntries() {
    RemoteDocuments documents = documents(serving()).build();

    assertThat(documents.get(A, TEXT)).isEqualTo("doc:/a.pem");
    RemoteDocuments.Parser<Integer> length = bytes -> bytes.length;
    assertThat(documents.get(A, length)).isEqualTo(10);
  }

  @Test
  void pinnedUrlsAreHttpsOnTheSchemesHostsWithNothingElse() {
    Pattern host = Pattern.compile("sns\\.[a-z0-9-]+\\.amazonaws\\.com");
    Pattern path = Pattern.compile("/[A-Za-z0-9._-]+\\.pem");

    assertThat(RemoteDocuments.pinned("https://sns.us-east-1.amazonaws.com/Cert-1.pem", host, path,
        RejectionReason.UNREADABLE_BODY, "url")).isEqualTo(URI.create("https://sns.us-east-1.amazonaws.com/Cert-1.pem"));
    assertThat(RemoteDocuments.pinned("https://sns.us-east-1.amazonaws.com:443/Cert-1.pem", host, path,
        RejectionReason.UNREADABLE_BODY, "url")).isNotNull();
    for (String off : List.of(
        "http://sns.us-east-1.amazonaws.com/Cert-1.pem",
        "https://SNS.us-east-1.amazonaws.com/Cert-1.pem",
        "https://sns.us-east-1.amazonaws.com.evil.example/Cert-1.pem",
        "https://evil.example/sns.us-east-1.amazonaws.com/Cert-1.pem",
        "https://sns.us-east-1.amazonaws.com@evil.example/Cert-1.pem",
        "https://user@sns.us-east-1.amazonaws.com/Cert-1.pem",
        "https://sns.us-east-1.amazonaws.com:8443/Cert-1.pem",
        "https://sns.us-east-1.amazonaws.com/Cert-1.pem?x=1",
        "https://sns.us-east-1.amazonaws.com/Cert-1.pem#x",
        "https://sns.us-east-1.amazonaws.com/Cert-1.txt",
        "https://sns.us-east-1.amazonaws.com/a/../Cert-1.pem",
        "https://sns.us-east-1.amazonaws.com/%2e%2e/Cert-1.pem",
        "https:///Cert-1.pem",
        "file:///etc/passwd.pem")) {
      assertThatThrownBy(() -> RemoteDocuments.pinned(off, host, path, RejectionReason.UNREADABLE_BODY, "url"))
          .as(off).isInstanceOfSatisfying(Reject.class,
              r -> assertThat(r.reason).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE));
    }
    assertThatThrownBy(() -> RemoteDocuments.pinned("https://sns.us-east-1.amazonaws.com/ a.pem", host, path,
        RejectionReason.UNREADABLE_BODY, "url"))
        .isInstanceOfSatisfying(Reject.class, r -> assertThat(r.reason).isEqualTo(RejectionReason.UNREADABLE_BODY));
  }

  @Test
  void theBuilderRefusesBoundsThatCannotWork() {
    assertThatThrownBy(() -> RemoteDocuments.builder().maxEntries(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().maxBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().timeToLive(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().failureTimeToLive(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().maxFetchesPer(0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().maxFetchesPer(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().maxFetchesPer(1, Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().maxFetchesPer(1, Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDocuments.builder().maxConcurrentFetches(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aVerifierOfASchemeThatFetchesNothingRefusesRemoteDocuments() {
    assertThatThrownBy(() -> WebhookVerifier.builder(Providers.STRIPE).secret("whsec_x")
        .remoteDocuments(RemoteDocuments.builder().build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("fetches no certificates");
  }
}
