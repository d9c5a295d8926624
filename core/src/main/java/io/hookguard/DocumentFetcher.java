package io.hookguard;

import static java.util.Objects.requireNonNull;

import io.hookguard.internal.Checks;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Fetches a document a scheme needs to verify deliveries — a signing certificate (AWS SNS,
 * PayPal), a key set — from an HTTPS URL. {@link RemoteDocuments} calls it only for a URL whose
 * host the scheme pins, only on a cache miss, and caches what it returns; supply your own (through
 * {@link RemoteDocuments.Builder#fetcher}) to go through a proxy or, in tests, to serve documents
 * you made.
 *
 * <p>An implementation must not follow redirects (a pinned host could send the fetch anywhere),
 * must give up after a bounded time, and must not read more than {@code maxBytes}.
 */
@FunctionalInterface
public interface DocumentFetcher {

  /**
   * Fetches the document at {@code url}.
   *
   * @param url an {@code https} URL on a host the scheme pins
   * @param maxBytes the largest document accepted
   * @return the document's bytes, at most {@code maxBytes}
   * @throws FileNotFoundException when the server answers that there is no such document (a 4xx
   *     status, a redirect) or it is larger than {@code maxBytes}: a definite answer, which the
   *     sender's delivery is refused for (401)
   * @throws IOException when it cannot be fetched now (connection refused, timeout, a 5xx or 429
   *     status): the delivery is answered 503 {@code key-unavailable} with {@code Retry-After}
   */
  byte[] fetch(URI url, int maxBytes) throws IOException;

  /**
   * A fetcher over the JDK's {@link HttpClient}: HTTPS only, no redirects, 5 s to connect, 10 s
   * for the whole exchange.
   *
   * @return the fetcher; its client is made on the first fetch
   */
  static DocumentFetcher https() {
    return new HttpsDocumentFetcher(null, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /**
   * A fetcher over the given client (a proxy, a trust store of its own); redirects are refused
   * whatever the client's redirect policy, and a URL that is not {@code https} is never fetched.
   *
   * @param client the client
   * @param timeout how long one fetch may take, from sending the request to the body's last byte
   * @return the fetcher
   * @throws IllegalArgumentException when the timeout is not positive
   */
  static DocumentFetcher https(HttpClient client, Duration timeout) {
    return new HttpsDocumentFetcher(requireNonNull(client, "client"), Duration.ofSeconds(5),
        Checks.positive(timeout, "timeout"));
  }
}

/** {@link DocumentFetcher#https()}: the JDK's client, a capped body, a deadline for the whole exchange. */
final class HttpsDocumentFetcher implements DocumentFetcher {
  private final Duration connectTimeout;
  private final Duration timeout;
  private volatile @Nullable HttpClient client;

  HttpsDocumentFetcher(@Nullable HttpClient client, Duration connectTimeout, Duration timeout) {
    this.client = client;
    this.connectTimeout = connectTimeout;
    this.timeout = timeout;
  }

  /** Made on first use: a client starts a selector thread, which an application without fetching schemes never needs. */
  private HttpClient client() {
    HttpClient current = client;
    if (current == null) {
      synchronized (this) {
        current = client;
        if (current == null) {
          current = HttpClient.newBuilder()
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
          client = current;
        }
      }
    }
    return current;
  }

  @Override
  public byte[] fetch(URI url, int maxBytes) throws IOException {
    if (!"https".equals(url.getScheme())) {
      throw new FileNotFoundException("only https URLs are fetched");
    }
    HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(timeout).build();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        client().sendAsync(request, info -> capped(info, maxBytes));
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FileNotFoundException notFound) {
        throw notFound;
      }
      throw new IOException("the fetch failed: " + cause.getClass().getSimpleName(), cause);
    }
    if (response.previousResponse().isPresent() || !response.uri().equals(url)) {
      throw new FileNotFoundException("the server redirected; redirects are not followed");
    }
    return response.body();
  }

  /** What a status says: 200 is the document, 5xx and 429 "not now", anything else "no such document". */
  private static HttpResponse.BodySubscriber<byte[]> capped(HttpResponse.ResponseInfo info, int maxBytes) {
    int status = info.statusCode();
    if (status != 200) {
      IOException failure = status >= 500 || status == 429
          ? new IOException("the server answered " + status)
          : new FileNotFoundException("the server answered " + status);
      return new Failing(failure);
    }
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > maxBytes) {
      return new Failing(new FileNotFoundException("the document is larger than " + maxBytes + " bytes"));
    }
    return new Capped(maxBytes);
  }

  /** A body subscriber that fails the exchange without reading the body. */
  private static final class Failing implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final IOException failure;

    Failing(IOException failure) {
      this.failure = failure;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
      result.completeExceptionally(failure);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      result.completeExceptionally(failure);
    }
  }

  /** Collects the body, and stops (failing the exchange) at the first byte past the cap. */
  private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final int maxBytes;
    private byte[] bytes = new byte[1024];
    private int length;
    private Flow.@Nullable Subscription subscription;

    Capped(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int remaining = buffer.remaining();
        if (length + remaining > maxBytes) {
          requireNonNull(subscription).cancel();
          result.completeExceptionally(
              new FileNotFoundException("the document is larger than " + maxBytes + " bytes"));
          return;
        }
        if (length + remaining > bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(2 * bytes.length, length + remaining)));
        }
        buffer.get(bytes, length, remaining);
        length += remaining;
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(java.util.Arrays.copyOf(bytes, length));
    }
  }
}
