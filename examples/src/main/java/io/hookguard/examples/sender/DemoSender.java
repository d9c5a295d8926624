package io.hookguard.examples.sender;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Plays a webhook sender against the example receiver, signing with Hookguard's own signer and
 * the receiver's demo Stripe secret: a valid delivery, its retry, a tampered copy, a stale one
 * and a burst of concurrent copies of one event; then prints what the receiver answered and how
 * often its handler ran. Run the receiver first, then:
 * {@code ./mvnw -q -pl examples exec:java -Dexec.mainClass=io.hookguard.examples.sender.DemoSender}
 * (an argument overrides the receiver's URL, {@code http://127.0.0.1:8080} by default, where the receiver listens).
 */
public final class DemoSender {
  /** The receiver's demo Stripe secret; a demo value, never a real one. */
  static final String DEMO_STRIPE_SECRET = "whsec_demo_stripe_secret";

  private DemoSender() {}

  /**
   * Sends the demo deliveries.
   *
   * @param args optionally the receiver's base URL
   * @throws Exception when the receiver cannot be reached
   */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "http://127.0.0.1:8080", System.out);
  }

  /**
   * Sends the demo deliveries and prints one line per step.
   *
   * @param baseUrl the receiver's base URL
   * @param out where to print
   * @return each step's answer: the status, or the statuses of the burst
   * @throws IOException when the receiver cannot be reached
   * @throws InterruptedException when interrupted
   */
  public static Map<String, String> run(String baseUrl, PrintStream out) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    WebhookSigner stripe = WebhookSigner.builder(Providers.STRIPE).secret(DEMO_STRIPE_SECRET).build();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> answers = new java.util.LinkedHashMap<>();

    WebhookRequest valid = stripe.sign(event(baseUrl, "evt_demo_" + run));
    answers.put("valid delivery", describe(send(client, valid)));
    answers.put("the sender's retry", describe(send(client, stripe.sign(valid))));
    String tamperedBody = new String(valid.body(), StandardCharsets.UTF_8).replace("2000", "9000");
    answers.put("tampered amount", describe(send(client, valid.toBuilder().body(tamperedBody).build())));
    answers.put("sent an hour ago", describe(send(client,
        stripe.sign(event(baseUrl, "evt_stale_" + run), Instant.now().minus(Duration.ofHours(1))))));

    WebhookRequest burst = stripe.sign(event(baseUrl, "evt_burst_" + run));
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inFlight.add(client.sendAsync(request(burst), HttpResponse.BodyHandlers.ofString()));
    }
    Map<Integer, Integer> statuses = new TreeMap<>();
    inFlight.forEach(f -> statuses.merge(f.join().statusCode(), 1, Integer::sum));
    answers.put("20 concurrent copies", statuses.toString());

    HttpResponse<String> processed = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/processed")).build(),
        HttpResponse.BodyHandlers.ofString());
    answers.put("handler runs (/processed)", processed.body());
    answers.forEach((step, answer) -> out.printf("%-27s -> %s%n", step, answer));
    return answers;
  }

  private static WebhookRequest event(String baseUrl, String id) {
    return WebhookRequest.builder().url(baseUrl + "/webhooks/stripe").header("Content-Type", "application/json")
        .body("{\"id\":\"" + id + "\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"amount_paid\":2000}}}")
        .build();
  }

  /**
   * The HTTP request that delivers a signed webhook request: its URL, method, headers and body.
   *
   * @param signed the signed request
   * @return the HTTP request, with a 30 s timeout
   */
  public static HttpRequest request(WebhookRequest signed) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(signed.url())).timeout(Duration.ofSeconds(30))
        .method(signed.method(), HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    signed.headers().names().forEach(name -> signed.headers().all(name).forEach(v -> request.header(name, v)));
    return request.build();
  }

  private static HttpResponse<String> send(HttpClient client, WebhookRequest signed)
      throws IOException, InterruptedException {
    return client.send(request(signed), HttpResponse.BodyHandlers.ofString());
  }

  private static String describe(HttpResponse<String> response) {
    String replay = response.headers().firstValue("Hookguard-Replay").map(v -> " (replay acknowledged)").orElse("");
    String body = response.body();
    String type = "";
    int at = body.indexOf("urn:hookguard:problem:");
    if (at >= 0) {
      type = " " + body.substring(at + "urn:hookguard:problem:".length(), body.indexOf('"', at));
    }
    return response.statusCode() + type + replay;
  }
}
