package io.hookguard.springattack;

import io.hookguard.servlet.RawHttp;
import io.hookguard.servlet.RefusalPromise;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.delivery.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the attack tests against {@link AttackWebhookApplication} share: signers, senders and the
 * assertion "refused, typed, no leak".
 */
final class Attack {
  private Attack() {}

  static final WebhookSigner SLACK =
      WebhookSigner.builder(Providers.SLACK).secret(AttackWebhookApplication.SLACK_SECRET).build();
  static final WebhookSigner GITHUB =
      WebhookSigner.builder(Providers.GITHUB).secret(AttackWebhookApplication.GITHUB_SECRET).build();
  static final WebhookSigner STRIPE =
      WebhookSigner.builder(Providers.STRIPE).secret(AttackWebhookApplication.STRIPE_SECRET).build();
  static final WebhookSigner STANDARD =
      WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(AttackWebhookApplication.STANDARD_SECRET).build();
  static final WebhookSigner TWILIO =
      WebhookSigner.builder(Providers.TWILIO).secret(AttackWebhookApplication.TWILIO_SECRET).build();

  static final List<String> SECRETS = List.of(AttackWebhookApplication.SLACK_SECRET,
      AttackWebhookApplication.GITHUB_SECRET, AttackWebhookApplication.STRIPE_SECRET,
      AttackWebhookApplication.STANDARD_SECRET, AttackWebhookApplication.TWILIO_SECRET,
      AttackWebhookApplication.SHOPIFY_SECRET);

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static String probe() {
    return "p-" + UUID.randomUUID();
  }

  static String url(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static String stripeEvent(String id) {
    return "{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"amount\":4200}}";
  }

  static WebhookRequest signedStripe(int port, String path, String id) {
    return STRIPE.sign(WebhookRequest.builder().url(url(port, path)).header("Content-Type", "application/json")
        .body(stripeEvent(id)).build());
  }

  /** A form body of this many distinct parameters. */
  static String flood(int parameters) {
    StringBuilder form = new StringBuilder(parameters * 14);
    for (int i = 1; i <= parameters; i++) {
      if (i > 1) {
        form.append('&');
      }
      form.append('a').append(i).append('=').append(i);
    }
    return form.toString();
  }

  static HttpResponse<String> send(WebhookRequest signed) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url())).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The raw HTTP/1.1 bytes of a signed core request, sent to a target exactly as given. */
  static byte[] raw(WebhookRequest signed, String method, String target, String... moreHeaders) {
    List<String> lines = new ArrayList<>(headerLines(signed));
    lines.addAll(List.of(moreHeaders));
    return RawHttp.request(method, target, signed.body(), lines.toArray(String[]::new));
  }

  /** The signed request's headers as {@code Name: value} lines. */
  static List<String> headerLines(WebhookRequest signed) {
    List<String> lines = new ArrayList<>();
    for (String name : signed.headers().names()) {
      for (String value : signed.headers().all(name)) {
        lines.add(name + ": " + value);
      }
    }
    return lines;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** @see RefusalPromise#broken */
  static Optional<String> brokenPromise(int status, Optional<String> retryAfter, String body) {
    return RefusalPromise.broken(status, retryAfter, body, SECRETS);
  }

  static void assertRefusedCleanly(RawHttp.Answer answer) {
    assertThat(answer.none()).as("an answer arrived: %s", answer).isFalse();
    assertThat(brokenPromise(answer.status(), answer.header("Retry-After"), answer.body())).as("%s", answer).isEmpty();
  }

  static void assertRefusedCleanly(HttpResponse<String> response) {
    assertThat(brokenPromise(response.statusCode(), response.headers().firstValue("Retry-After"), response.body()))
        .as("%d %s", response.statusCode(), response.body()).isEmpty();
  }

  static void assertProblem(RawHttp.Answer answer, int status, String slug) {
    assertThat(answer.status()).as("%s", answer).isEqualTo(status);
    assertThat(answer.header("Content-Type")).as("%s", answer)
        .hasValueSatisfying(type -> assertThat(type).startsWith(Answer.PROBLEM_MEDIA_TYPE));
    // No JSON library: the tests run on Boot 4 (Jackson 3) and Boot 3.5 (Jackson 2).
    assertThat(answer.body()).as("%s", answer).contains("\"type\":\"" + Answer.TYPE_PREFIX + slug + "\"")
        .contains("\"status\":" + status);
    assertRefusedCleanly(answer);
  }

  static void assertProblem(HttpResponse<String> response, int status, String slug) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).as(response.body())
        .hasValueSatisfying(type -> assertThat(type).startsWith(Answer.PROBLEM_MEDIA_TYPE));
    assertThat(response.body()).contains("\"type\":\"" + Answer.TYPE_PREFIX + slug + "\"")
        .contains("\"status\":" + status);
    assertRefusedCleanly(response);
  }
}
