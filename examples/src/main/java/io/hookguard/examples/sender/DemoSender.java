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
import org.jspecify.annotations.Nullable;

/**
 * Plays a webhook sender against the example receiver, signing with Hookguard's own signer and
 * the receiver's demo secrets: to Stripe's endpoint a valid delivery, its retry, a tampered copy,
 * a stale one and a burst of concurrent copies of one event; to the orders endpoint (inbox mode)
 * an order answered in milliseconds while its handler takes 200 ms, one that fails twice and is
 * retried, and one that fails every attempt, becomes a dead letter and is replayed. Then it
 * prints what the receiver answered and how often each handler ran. Run the receiver first, then:
 * {@code ./mvnw -q -pl examples exec:java -Dexec.mainClass=io.hookguard.examples.sender.DemoSender}
 * (an argument overrides the receiver's URL, {@code http://127.0.0.1:8080} by default, where the receiver listens).
 */
public final class DemoSender {
  /** The receiver's demo Stripe secret; a demo value, never a real one. */
  static final String DEMO_STRIPE_SECRET = "whsec_demo_stripe_secret";

  /** The receiver's demo orders secret (Standard Webhooks); a demo value, never a real one. */
  static final String DEMO_ORDERS_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /** How long the demo waits for the inbox's background work (retries take up to ~8 s). */
  private static final Duration INBOX_WAIT = Duration.ofSeconds(30);

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

    orders(client, baseUrl, run, answers);

    answers.put("handler runs (/processed)", get(client, baseUrl + "/processed"));
    answers.forEach((step, answer) -> out.printf("%-28s -> %s%n", step, answer));
    return answers;
  }

  /** The orders endpoint in inbox mode: fast answers, retries, a dead letter and its replay. */
  private static void orders(HttpClient client, String baseUrl, String run, Map<String, String> answers)
      throws IOException, InterruptedException {
    WebhookSigner orders = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(DEMO_ORDERS_SECRET).build();
    String fast = "msg_order_" + run;
    long start = System.nanoTime();
    HttpResponse<String> stored = send(client, orders.sign(order(baseUrl, fast, 0)));
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    answers.put("order (200 ms handler)", describe(stored) + " in " + millis + " ms");
    long answered = System.nanoTime();
    boolean ran = waitFor(() -> runs(client, baseUrl, fast) == 1);
    answers.put("  handled in the background", ran ? "ran once, done "
        + Duration.ofNanos(System.nanoTime() - answered).toMillis() / 100 * 100 + "+ ms after the answer" : "not yet");

    String flaky = "msg_flaky_" + run;
    String flakyAnswer = describe(send(client, orders.sign(order(baseUrl, flaky, 2))));
    answers.put("order failing twice", flakyAnswer + ", "
        + (waitFor(() -> runs(client, baseUrl, flaky) == 1) ? "retried, then ran once" : "not yet processed"));

    String doomed = "msg_doomed_" + run;
    String doomedAnswer = describe(send(client, orders.sign(order(baseUrl, doomed, 4))));
    @Nullable String[] letter = new String[1];
    waitFor(() -> (letter[0] = deadLetter(fetch(client, baseUrl + "/inbox/dead-letters"), doomed)) != null);
    answers.put("order failing 4 times", doomedAnswer + ", " + (letter[0] == null ? "not a dead letter yet"
        : "dead letter after " + field(letter[0], "attempts") + " attempts"));
    if (letter[0] != null) {
      HttpResponse<String> replay = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/inbox/dead-letters/"
          + field(letter[0], "id") + "/replay")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      answers.put("  replayed", replay.statusCode() + ", "
          + (waitFor(() -> runs(client, baseUrl, doomed) == 1) ? "then ran once" : "not yet processed"));
    }
  }

  private static WebhookRequest order(String baseUrl, String id, int failTimes) {
    return WebhookRequest.builder().url(baseUrl + "/webhooks/orders").header("Content-Type", "application/json")
        .header("webhook-id", id)
        .body("{\"type\":\"order.created\",\"order\":\"" + id + "\",\"total\":2000"
            + (failTimes > 0 ? ",\"fail_times\":" + failTimes : "") + "}")
        .build();
  }

  /**
   * Finds a dead letter in the receiver's {@code GET /inbox/dead-letters} answer.
   *
   * @param list the answer, a JSON array of flat objects
   * @param eventId the event id
   * @return the JSON object of the dead letter with this event id, or null
   */
  public static @Nullable String deadLetter(String list, String eventId) {
    java.util.regex.Matcher object = java.util.regex.Pattern.compile("\\{[^{}]*\"eventId\":\""
        + java.util.regex.Pattern.quote(eventId) + "\"[^{}]*}").matcher(list);
    return object.find() ? object.group() : null;
  }

  /**
   * Reads a number field of a flat JSON object.
   *
   * @param object the object
   * @param name the field's name
   * @return its digits, or {@code ?} when there is no such number field
   */
  public static String field(String object, String name) {
    java.util.regex.Matcher value = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(name)
        + "\":(\\d+)").matcher(object);
    return value.find() ? value.group(1) : "?";
  }

  private static int runs(HttpClient client, String baseUrl, String eventId) {
    String value = field(fetch(client, baseUrl + "/processed"), eventId);
    return value.equals("?") ? 0 : Integer.parseInt(value);
  }

  /** A GET's body, or "" when the receiver does not answer (the caller waits and asks again). */
  private static String fetch(HttpClient client, String url) {
    try {
      return get(client, url);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static String get(HttpClient client, String url) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + INBOX_WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
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
