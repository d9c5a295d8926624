package io.hookguard.examples;

import io.hookguard.WebhookRequest;
import io.hookguard.examples.sender.DemoSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sends signed requests over real HTTP. */
final class Http {
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  static HttpRequest request(WebhookRequest signed) {
    return DemoSender.request(signed);
  }

  static HttpResponse<String> send(WebhookRequest signed) {
    return send(request(signed));
  }

  static HttpResponse<String> send(HttpRequest given) {
    // Bounded: a server that never answers fails the test instead of hanging the build.
    HttpRequest request = given.timeout().isPresent() ? given
        : HttpRequest.newBuilder(given, (name, value) -> true).timeout(Duration.ofSeconds(60)).build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      // A server that never answered: what every thread was doing is the only clue left.
      System.err.println("no answer to " + request.method() + " " + request.uri() + " within its timeout; threads:");
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        System.err.println("\"" + thread.getName() + "\" " + thread.getState());
        for (StackTraceElement frame : stack) {
          System.err.println("    at " + frame);
        }
      });
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build());
  }
}
