package io.hookguard.springattack;

import io.hookguard.servlet.RawHttp;
import static io.hookguard.springattack.Attack.utf8;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;

/**
 * A sweep of unsigned and tampered requests against a real Boot app over real HTTP: path
 * variants of the handlers' paths × methods × framing, then header and framing faults, tampered
 * signatures and forms. Spring routes by its own mapping; whatever it maps to a {@code @Webhook}
 * handler must be verified first. For every request: no handler ran, the answer is a 4xx (or a
 * 503 with Retry-After; Spring's own 404 and 405 count), and it carries no stack trace. Failures
 * are listed one line per request.
 */
@AttackBootTest
class SpringAdversarialRequestsTest {
  @Value("${local.server.port}")
  int port;

  /** One request of the catalogue; {@code mayGoUnanswered} for senders that cut their own request short. */
  record Probe(String name, String id, byte[] bytes, boolean halfClose, boolean mayGoUnanswered) {}

  private static final List<String> PATHS = List.of(
      "/webhooks/stripe", "/webhooks/github", "/webhooks/shopify", "/webhooks/slack/commands", "/webhooks/standard",
      "/webhooks/twilio", "/webhooks/github-by-id", "/webhooks/github-allowed", "/webhooks/stripe-slow",
      "/webhooks/stripe/", "//webhooks//stripe", "/webhooks//stripe", "/webhooks/stripe;a=b",
      "/webhooks/stripe;jsessionid=x", "/webhooks;a=b/stripe", "/webhooks/%73tripe", "/webhooks/x/%2e%2e/stripe",
      "/webhooks/./stripe", "/webhooks/STRIPE", "/webhooks/Stripe", "/WEBHOOKS/stripe", "/webhooks/stripe%20",
      "/webhooks/stripe%09", "/webhooks/stripe%2F", "/webhooks%2Fstripe", "/webhooks/stripe.json",
      "/webhooks/github.json", "/webhooks/slack/commands/", "/webhooks/slack//commands", "/webhooks/slack/Commands",
      "/webhooks/slack;x=y/commands", "/webhooks/github?x=1", "/webhooks/stripe%3Bx", "/webhooks/%2573tripe",
      "/webhooks/stripe/..;/stripe", "/webhooks/stripe/.", "/webhooks/nope", "/webhooks/");

  private static final List<String> METHODS = List.of("POST", "PUT", "GET", "DELETE", "PATCH", "HEAD");

  /**
   * Requests Tomcat itself answers 501 before any filter runs, as RFC 9112 asks for a transfer
   * coding it does not implement: outside what Hookguard can answer, and still never a handler.
   * The stack-trace check still applies to them.
   */
  private static final Set<String> CONTAINER_501 = Set.of("TE gzip, chunked", "TE identity");

  private static final String JSON_BODY = Attack.stripeEvent("evt_spring_adversarial");

  private List<Probe> catalogue() {
    List<Probe> probes = new ArrayList<>();
    methodProbes(probes, METHODS);
    headerAndFramingProbes(probes);
    tamperedProbes(probes);
    formProbes(probes);
    return probes;
  }

  /** Every path of {@link #PATHS} with each method, framed three ways. */
  private static void methodProbes(List<Probe> probes, List<String> methods) {
    for (String path : PATHS) {
      for (String method : methods) {
        String id = Attack.probe();
        probes.add(new Probe(method + " " + path + " [content-length]", id, RawHttp.request(method, path,
            utf8(JSON_BODY), "Content-Type: application/json", probeLine(id)), false, false));
        id = Attack.probe();
        probes.add(new Probe(method + " " + path + " [chunked]", id, RawHttp.concat(RawHttp.head(method, path,
            "Content-Type: application/json", "Transfer-Encoding: chunked", probeLine(id)),
            utf8(Integer.toHexString(JSON_BODY.length()) + "\r\n" + JSON_BODY + "\r\n0\r\n\r\n")), false, false));
        id = Attack.probe();
        probes.add(new Probe(method + " " + path + " [no body]", id, RawHttp.head(method, path, probeLine(id)),
            false, false));
      }
    }
  }

  private static String probeLine(String id) {
    return AttackWebhookApplication.PROBE_HEADER + ": " + id;
  }

  private static void add(List<Probe> probes, String name, String rawHead, String body) {
    add(probes, name, rawHead, body, false);
  }

  /** A request from a head template whose {@code PROBE} is replaced by the probe header line. */
  private static void add(List<Probe> probes, String name, String rawHead, String body, boolean halfClose) {
    String id = Attack.probe();
    String head = rawHead.replace("PROBE", probeLine(id));
    probes.add(new Probe(name, id, (head + body).getBytes(ISO_8859_1), halfClose, halfClose));
  }

  private static void headerAndFramingProbes(List<Probe> probes) {
    String s = "POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nPROBE\r\n";
    String json = "Content-Type: application/json\r\n";
    int n = JSON_BODY.length();
    String chunked = Integer.toHexString(n) + "\r\n" + JSON_BODY + "\r\n0\r\n\r\n";
    add(probes, "CL and TE together", s + json + "Content-Length: " + n + "\r\nTransfer-Encoding: chunked\r\n\r\n",
        chunked);
    add(probes, "two different Content-Lengths", s + json + "Content-Length: " + n + "\r\nContent-Length: 5\r\n\r\n",
        JSON_BODY);
    add(probes, "negative Content-Length", s + json + "Content-Length: -1\r\n\r\n", JSON_BODY);
    add(probes, "non-numeric Content-Length", s + json + "Content-Length: 12abc\r\n\r\n", JSON_BODY);
    add(probes, "huge Content-Length", s + json + "Content-Length: 99999999999999999999\r\n\r\n", JSON_BODY);
    add(probes, "TE gzip, chunked", s + json + "Transfer-Encoding: gzip, chunked\r\n\r\n", chunked);
    add(probes, "TE identity", s + json + "Transfer-Encoding: identity\r\nContent-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "TE chunked twice", s + json + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        chunked);
    add(probes, "malformed chunk size zz", s + json + "Transfer-Encoding: chunked\r\n\r\n", "zz\r\n0123\r\n0\r\n\r\n");
    add(probes, "chunk size overflow", s + json + "Transfer-Encoding: chunked\r\n\r\n",
        "ffffffffffffffffffff\r\n0123\r\n0\r\n\r\n");
    add(probes, "chunk without CRLF", s + json + "Transfer-Encoding: chunked\r\n\r\n", "4\r\n0123XX0\r\n\r\n");
    add(probes, "short body, half-closed", s + json + "Content-Length: 1000\r\n\r\n", "0123456789", true);
    add(probes, "chunked body cut off, half-closed", s + json + "Transfer-Encoding: chunked\r\n\r\n", "40\r\n0123", true);
    add(probes, "obs-fold header", s + json + "Stripe-Signature: t=1,\r\n v1=00\r\nContent-Length: " + n + "\r\n\r\n",
        JSON_BODY);
    add(probes, "header name with a space", s + json + "Stripe Signature: t=1,v1=00\r\nContent-Length: " + n
        + "\r\n\r\n", JSON_BODY);
    add(probes, "NUL in a header value", s + json + "Stripe-Signature: t=1\u0000,v1=00\r\nContent-Length: " + n
        + "\r\n\r\n", JSON_BODY);
    add(probes, "10 KB signature header", s + json + "Stripe-Signature: t=1,v1=" + "a".repeat(10 * 1024)
        + "\r\nContent-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "60 KB junk header", s + json + "X-Junk: " + "j".repeat(60 * 1024) + "\r\nContent-Length: " + n
        + "\r\n\r\n", JSON_BODY);
    add(probes, "two forged signature headers", s + json + "Stripe-Signature: t=1,v1=00\r\nStripe-Signature: t="
        + Instant.now().getEpochSecond() + ",v1=" + "0".repeat(64) + "\r\nContent-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "two forged GitHub signature headers", s.replace("/webhooks/stripe", "/webhooks/github") + json
        + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nX-Hub-Signature-256: sha256=" + "1".repeat(64)
        + "\r\nX-GitHub-Delivery: gh-forged\r\nContent-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "gzip Content-Encoding", s + json + "Content-Encoding: gzip\r\nContent-Length: " + n + "\r\n\r\n",
        JSON_BODY);
    add(probes, "garbage charset", s + "Content-Type: application/json; charset=\u00ff!!\r\nContent-Length: " + n
        + "\r\n\r\n", JSON_BODY);
    add(probes, "unknown charset", s + "Content-Type: application/json; charset=no-such-charset\r\nContent-Length: "
        + n + "\r\n\r\n", JSON_BODY);
    add(probes, "Expect 100-continue", s + json + "Expect: 100-continue\r\nContent-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "absolute-form target", s.replace("/webhooks/stripe", "http://127.0.0.1/webhooks/STRIPE") + json
        + "Content-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "absolute-form target, exact path", s.replace("/webhooks/stripe", "http://127.0.0.1/webhooks/stripe")
        + json + "Content-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "HTTP/1.0", s.replace("HTTP/1.1", "HTTP/1.0") + json + "Content-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "no Host header", "POST /webhooks/stripe HTTP/1.1\r\nConnection: close\r\nPROBE\r\n" + json
        + "Content-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "lower-case method", s.replace("POST", "post") + json + "Content-Length: " + n + "\r\n\r\n", JSON_BODY);
    add(probes, "bare LF line ends", s.replace("\r\n", "\n") + json.replace("\r\n", "\n") + "Content-Length: " + n
        + "\n\n", JSON_BODY);
    add(probes, "X-HTTP-Method-Override on GET", "GET /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\nPROBE\r\nX-HTTP-Method-Override: POST\r\n\r\n", "");
    add(probes, "_method=POST form on PUT", "PUT /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "PROBE\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n\r\n", "_method=POST");
  }

  private void send(List<Probe> probes, String name, WebhookRequest request, String method, String rawTarget) {
    String id = Attack.probe();
    probes.add(new Probe(name, id, Attack.raw(request, method, rawTarget, probeLine(id)), false, false));
  }

  private String url(String path) {
    return Attack.url(port, path);
  }

  private void tamperedProbes(List<Probe> probes) {
    WebhookRequest stripe = Attack.signedStripe(port, "/webhooks/stripe", "evt_spring_tampered");
    String stripeBody = new String(stripe.body(), ISO_8859_1);
    send(probes, "Stripe, body changed", stripe.toBuilder().body(stripeBody.replace("4200", "4201")).build(), "POST",
        "/webhooks/stripe");
    send(probes, "Stripe, stale", Attack.STRIPE.sign(stripe, Instant.now().minus(Duration.ofHours(1))), "POST",
        "/webhooks/stripe");
    send(probes, "Stripe, future", Attack.STRIPE.sign(stripe, Instant.now().plus(Duration.ofHours(1))), "POST",
        "/webhooks/stripe");
    send(probes, "Stripe, wrong secret", WebhookSigner.builder(Providers.STRIPE).secret("whsec_wrong").build()
        .sign(stripe), "POST", "/webhooks/stripe");
    send(probes, "Stripe-signed to the GitHub endpoint", stripe, "POST", "/webhooks/github");
    send(probes, "Stripe-signed to the Slack endpoint", stripe, "POST", "/webhooks/slack/commands");
    send(probes, "Stripe-signed to the Twilio endpoint", stripe, "POST", "/webhooks/twilio");
    for (String variant : List.of("/webhooks/stripe/", "/webhooks/stripe;a=b", "//webhooks//stripe",
        "/webhooks/%73tripe", "/webhooks/stripe;jsessionid=x")) {
      send(probes, "Stripe, body changed, to " + variant, stripe.toBuilder()
          .body(stripeBody.replace("4200", "1")).build(), "POST", variant);
    }
    WebhookRequest github = Attack.GITHUB.sign(WebhookRequest.builder().url(url("/webhooks/github"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "gh-spring-tampered").body("{\"a\":1}").build());
    send(probes, "GitHub, body changed", github.toBuilder().body("{\"a\":2}").build(), "POST", "/webhooks/github");
    send(probes, "GitHub, body changed, by-id endpoint", github.toBuilder().body("{\"a\":2}").build(), "POST",
        "/webhooks/github-by-id");
    send(probes, "GitHub, upper-case hex", github.toBuilder().setHeader("X-Hub-Signature-256",
        github.headers().first("X-Hub-Signature-256").toUpperCase(Locale.ROOT)).body("{\"a\":2}").build(),
        "POST", "/webhooks/github");
    send(probes, "GitHub, 10 KB signature", github.toBuilder().setHeader("X-Hub-Signature-256",
        "sha256=" + "a".repeat(10 * 1024)).build(), "POST", "/webhooks/github");
    send(probes, "GitHub, signed, from a source not allowed", github, "POST", "/webhooks/github-allowed");
    send(probes, "GitHub, signed, client-sent Forwarded for an allowed source", github.toBuilder()
        .header("Forwarded", "for=192.30.252.10").build(), "POST", "/webhooks/github-allowed");
    WebhookRequest standard = Attack.STANDARD.sign(WebhookRequest.builder().url(url("/webhooks/standard"))
        .header("Content-Type", "application/json").body("{\"type\":\"t\"}").build());
    send(probes, "Standard Webhooks, id changed", standard.toBuilder().setHeader("webhook-id", "msg_other").build(),
        "POST", "/webhooks/standard");
    send(probes, "Standard Webhooks, signature moved to svix-signature with another id", standard.toBuilder()
        .header("svix-signature", standard.headers().first("webhook-signature")).header("svix-id", "msg_x")
        .header("svix-timestamp", standard.headers().first("webhook-timestamp"))
        .setHeader("webhook-signature", "v1,AAAA").build(), "POST", "/webhooks/standard");
    WebhookRequest twilio = Attack.TWILIO.sign(WebhookRequest.builder().url(url("/webhooks/twilio"))
        .header("Content-Type", "application/x-www-form-urlencoded").body("CallSid=CA1&Body=hi").build());
    send(probes, "Twilio, query added", twilio, "POST", "/webhooks/twilio?extra=1");
    send(probes, "Twilio, body param added", twilio.toBuilder().body("CallSid=CA1&Body=hi&x=1").build(), "POST",
        "/webhooks/twilio");
    send(probes, "Twilio, client-sent Forwarded host", Attack.TWILIO.sign(twilio.toBuilder()
        .url("https://hooks.example.com/webhooks/twilio").build()).toBuilder()
        .header("Forwarded", "for=54.172.60.1;proto=https;host=hooks.example.com").build(), "POST",
        "/webhooks/twilio");
  }

  private void formProbes(List<Probe> probes) {
    String form = "command=/deploy&text=x";
    String path = "/webhooks/slack/commands";
    WebhookRequest slack = Attack.SLACK.sign(WebhookRequest.builder().url(url(path))
        .header("Content-Type", "application/x-www-form-urlencoded").body(form).build());
    send(probes, "Slack, body changed", slack.toBuilder().body("command=/rm-rf&text=x").build(), "POST", path);
    send(probes, "Slack, body changed, query injected", slack.toBuilder().body("command=/deploy&text=y").build(),
        "POST", path + "?command=/rm-rf");
    WebhookRequest unsigned = WebhookRequest.builder().url(slack.url())
        .header("Content-Type", "application/x-www-form-urlencoded").body(form).build();
    send(probes, "Slack, unsigned", unsigned, "POST", path);
    send(probes, "Slack, unsigned, all parameters in the query", unsigned.toBuilder().body("").build(), "POST",
        path + "?command=/rm-rf&text=x");
    send(probes, "Slack, unsigned, query on a variant", unsigned.toBuilder().body("").build(), "POST",
        path + "/?command=/rm-rf");
    send(probes, "Slack, unsigned, broken escape", unsigned.toBuilder().body("command=%2&text=%E2%9").build(), "POST",
        path + "?q=%zz");
    send(probes, "Slack, unsigned multipart", unsigned.toBuilder()
        .setHeader("Content-Type", "multipart/form-data; boundary=b")
        .body("--b\r\nContent-Disposition: form-data; name=\"command\"\r\n\r\n/rm-rf\r\n--b--\r\n").build(), "POST",
        path);
    send(probes, "Slack, unsigned, garbage charset", unsigned.toBuilder()
        .setHeader("Content-Type", "application/x-www-form-urlencoded; charset=\u00ff\u00fe").build(), "POST", path);
    WebhookSigner forger = WebhookSigner.builder(Providers.SLACK).secret("nope").build();
    send(probes, "Slack, forged flood of 100,000 parameters", forger.sign(WebhookRequest.builder().url(slack.url())
        .header("Content-Type", "application/x-www-form-urlencoded").body(Attack.flood(100_000)).build()),
        "POST", path);
    // Under the 8 KB head limit, so that Hookguard, not Tomcat, answers it.
    send(probes, "Slack, forged, with 1,500 query parameters", forger.sign(WebhookRequest.builder()
        .url(slack.url()).header("Content-Type", "application/x-www-form-urlencoded").body(form).build()),
        "POST", path + "?x=1" + "&x=1".repeat(1_499));
    send(probes, "Slack, 1 MB single parameter, forged", forger.sign(WebhookRequest.builder().url(slack.url())
        .header("Content-Type", "application/x-www-form-urlencoded").body("text=" + "%41".repeat(300_000)).build()),
        "POST", path);
    send(probes, "Slack, signed flood of 100,000 parameters", Attack.SLACK.sign(WebhookRequest.builder()
        .url(slack.url()).header("Content-Type", "application/x-www-form-urlencoded").body(Attack.flood(100_000))
        .build()), "POST", path);
  }

  private static Optional<String> check(Probe probe, RawHttp.Answer answer) {
    if (AttackWebhookApplication.runsWithProbe(probe.id()) > 0) {
      return Optional.of("ran a handler (answer " + answer + ")");
    }
    if (answer.none()) {
      return probe.mayGoUnanswered() ? Optional.empty() : Optional.of("no answer: " + answer);
    }
    int status = answer.status() == 501 && CONTAINER_501.contains(probe.name()) ? 400 : answer.status();
    return Attack.brokenPromise(status, answer.header("Retry-After"), answer.body())
        .map(broken -> broken + ": " + answer);
  }

  @Test
  void noUnsignedOrTamperedRequestRunsAHandlerOrGetsA5xxOrAStackTrace() throws Exception {
    sweep(catalogue());
  }

  /**
   * OPTIONS to the handlers' paths and their variants. Spring MVC answers OPTIONS for a mapped
   * path itself, through its own handler and not the {@code @Webhook} one: 200 with {@code Allow}
   * and no body. That is HTTP's answer to "which methods", not a delivery: no handler runs, nothing
   * is read or claimed. (The servlet filter, which sees every method to its paths, refuses them.)
   */
  @Test
  void anOptionsRequestToAWebhookPathIsAnsweredBySpringAndRunsNoHandler() throws Exception {
    List<Probe> probes = new ArrayList<>();
    methodProbes(probes, List.of("OPTIONS"));
    int before = AttackWebhookApplication.runs();
    for (Probe probe : probes) {
      RawHttp.Answer answer = RawHttp.exchange(port, probe.bytes(), probe.halfClose(), java.time.Duration.ofSeconds(10));
      if (answer.none() && probe.mayGoUnanswered()) {
        continue;
      }
      if (answer.status() == 200) {
        assertThat(answer.header("Allow")).as("%s", answer).isPresent();
        assertThat(answer.body()).as("%s", answer).isEmpty();
      } else {
        Attack.assertRefusedCleanly(answer);
      }
    }
    assertThat(AttackWebhookApplication.runs() - before).as("handler runs").isZero();
  }

  /**
   * A signed delivery sent to a spelling of its handler's path: Spring may or may not map it to
   * the handler, but if it does, the handler runs once, on the verified delivery.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/webhooks/stripe;a=b", "/webhooks/stripe;jsessionid=x", "/webhooks;a=b/stripe",
      "/webhooks/%73tripe", "//webhooks//stripe", "/webhooks//stripe", "/webhooks/./stripe",
      "/webhooks/x/%2e%2e/stripe", "/webhooks/stripe/", "/webhooks/stripe.json", "/webhooks/STRIPE"})
  void aSignedDeliveryToAPathVariantRunsTheHandlerOnlyVerifiedAndOnce(String variant) {
    String probe = Attack.probe();
    String id = "evt_variant_" + probe;
    WebhookRequest signed = Attack.signedStripe(port, "/webhooks/stripe", id);

    RawHttp.Answer answer = RawHttp.exchange(port, Attack.raw(signed, "POST", variant, probeLine(probe)));

    int runs = AttackWebhookApplication.runsWithProbe(probe);
    System.out.println("SpringAdversarialRequestsTest: signed to " + variant + " -> " + answer.status()
        + ", handler runs " + runs);
    if (runs == 0) {
      assertThat(answer.status()).as("not mapped to the handler: Spring's 4xx, %s", answer).isBetween(400, 499);
      Attack.assertRefusedCleanly(answer);
    } else {
      assertThat(runs).as("%s", answer).isEqualTo(1);
      assertThat(answer.status()).as("%s", answer).isEqualTo(200);
      assertThat(answer.body()).as("the handler saw the verified event").contains("\"eventId\":\"" + id + "\"");
    }
  }

  private void sweep(List<Probe> probes) throws Exception {
    int before = AttackWebhookApplication.runs();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<RawHttp.Answer>> answers = new ArrayList<>();
    try {
      for (Probe probe : probes) {
        answers.add(pool.submit(() -> RawHttp.exchange(port, probe.bytes(), probe.halfClose(), Duration.ofSeconds(10))));
      }
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < probes.size(); i++) {
        Probe probe = probes.get(i);
        RawHttp.Answer answer = answers.get(i).get();
        check(probe, answer).ifPresent(failure -> failures.add(probe.name() + " -> " + failure));
      }
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      System.out.println("SpringAdversarialRequestsTest: " + probes.size() + " requests in " + millis + " ms, "
          + failures.size() + " broke the promise");
      failures.forEach(failure -> System.out.println("  " + failure));
      assertThat(failures).as("%d of %d requests broke the promise:%n%s", failures.size(), probes.size(),
          String.join(System.lineSeparator(), failures)).isEmpty();
      assertThat(AttackWebhookApplication.runs() - before).as("handler runs during the sweep").isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}
