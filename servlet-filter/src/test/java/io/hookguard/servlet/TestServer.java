package io.hookguard.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real servlet container on a free loopback port with the filter under test in front of its
 * servlets, and an HTTP/1.1 client to call it: {@link TomcatServer} or {@link JettyServer}, started
 * through {@link Container}.
 */
public interface TestServer extends AutoCloseable {

  /**
   * How the test server is set up beyond its filter and servlets.
   *
   * @param filterPattern the URL pattern the filter is mapped to, {@code /*} by default
   * @param maxThreads the container's worker threads, or 0 for its default
   */
  record Options(String filterPattern, int maxThreads) {
    /** The filter on every path, the container's default thread pool. */
    public static final Options DEFAULTS = new Options("/*", 0);

    /**
     * @param pattern the filter's URL pattern
     * @return these options with that pattern
     */
    public Options filterPattern(String pattern) {
      return new Options(pattern, maxThreads);
    }

    /**
     * @param threads the container's worker threads
     * @return these options with that many threads
     */
    public Options maxThreads(int threads) {
      return new Options(filterPattern, threads);
    }
  }

  /** @return the port the container listens on */
  int port();

  /** @return the container's name and version, for messages */
  String container();

  /**
   * The URL of a path on this server.
   *
   * @param path the path, starting with '/'
   * @return the absolute URL
   */
  default String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** @return the client, for concurrent sends */
  HttpClient client();

  /**
   * Sends a request.
   *
   * @param request the request
   * @return the response with its body as a string
   */
  default HttpResponse<String> send(HttpRequest request) {
    try {
      return client().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return a fresh HTTP/1.1 client for one server */
  static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * A POST of a signed core request: its URL (or this server's path), headers and body.
   *
   * @param signed the signed request
   * @return the HTTP request
   */
  static HttpRequest.Builder post(io.hookguard.WebhookRequest signed) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(signed.url()))
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    for (String name : signed.headers().names()) {
      for (String value : signed.headers().all(name)) {
        builder.header(name, value);
      }
    }
    return builder;
  }

  @Override
  void close();
}
