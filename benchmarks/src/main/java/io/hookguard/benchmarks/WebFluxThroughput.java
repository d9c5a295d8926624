package io.hookguard.benchmarks;

import io.hookguard.Providers;
import io.hookguard.VerifiedWebhook;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.spring.Webhook;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Requests per second over loopback HTTP to one Spring Boot WebFlux application on Netty: the
 * same annotated handler (it binds the body as bytes and answers 200) with {@code @Webhook}
 * (Stripe verification, dedup on Caffeine, the lifecycle and the handler on the bounded elastic
 * scheduler) and without. Every request is a new event, signed by the client on both paths, so
 * client work is the same. Concurrency is JMH's thread count ({@code -t}); the client is Apache
 * HttpClient's classic one, as in {@link FilterThroughput}. The heap is fixed and pre-touched.
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WebFluxThroughput {
  private static final String SECRET = "whsec_benchmark_secret";

  /** Body size in bytes. */
  @Param({"4096"})
  public int size;

  private final AtomicLong events = new AtomicLong();
  private ConfigurableApplicationContext app;
  private CloseableHttpClient client;
  private WebhookSigner signer;
  private String template;
  private String protectedUrl;
  private String plainUrl;

  /** The application: one handler with Hookguard, the same without. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Handlers.class)
  static class App {}

  /** Both read the whole body through the application's codecs and answer a small JSON. */
  @RestController
  static class Handlers {
    static final AtomicLong RUNS = new AtomicLong();

    @PostMapping("/webhooks/stripe")
    @Webhook("stripe")
    String stripe(@RequestBody byte[] body, VerifiedWebhook delivery) {
      RUNS.incrementAndGet();
      return "{\"bytes\":" + body.length + "}";
    }

    @PostMapping("/plain/stripe")
    String plain(@RequestBody byte[] body) {
      RUNS.incrementAndGet();
      return "{\"bytes\":" + body.length + "}";
    }
  }

  /** Starts the application on a free loopback port. */
  @Setup(Level.Trial)
  public void setUp() {
    app = new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
            "logging.level.root=WARN", "hookguard.audit.log=false",
            "hookguard.endpoints.stripe.provider=stripe", "hookguard.endpoints.stripe.secrets=" + SECRET)
        .run();
    String port = app.getEnvironment().getProperty("local.server.port");
    protectedUrl = "http://127.0.0.1:" + port + "/webhooks/stripe";
    plainUrl = "http://127.0.0.1:" + port + "/plain/stripe";
    client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(256).setMaxConnPerRoute(256).build())
        .disableAutomaticRetries()
        .build();
    signer = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();
    template = Payloads.json(size, "evt_XXXXXXXXXXXX");
  }

  /**
   * Stops the application.
   *
   * @throws IOException when the client cannot close
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    client.close();
    app.close();
  }

  /** @return the URLs of the protected and plain handlers */
  String[] urls() {
    return new String[] {protectedUrl, plainUrl};
  }

  /** @return how many requests the handlers ran */
  long handlerRuns() {
    return Handlers.RUNS.get();
  }

  /** A new event, signed. */
  WebhookRequest newEvent() {
    String id = String.format("%012d", events.incrementAndGet());
    return signer.sign(WebhookRequest.builder().body(template.replace("XXXXXXXXXXXX", id)).build());
  }

  /** Sends a delivery as given; the status. */
  int send(String url, byte[] body, String signature) throws IOException {
    HttpPost request = new HttpPost(url);
    request.setHeader("Stripe-Signature", signature);
    request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    return client.execute(request, response -> {
      EntityUtils.consume(response.getEntity());
      return response.getCode();
    });
  }

  private int post(String url) throws IOException {
    WebhookRequest signed = newEvent();
    int status = send(url, signed.body(), signed.headers().first("Stripe-Signature"));
    if (status != 200) {
      throw new IllegalStateException("status " + status + " from " + url);
    }
    return status;
  }

  /**
   * @return the status, through Hookguard's WebFlux adapter
   * @throws Exception when the request fails
   */
  @Benchmark
  public int withHookguard() throws Exception {
    return post(protectedUrl);
  }

  /**
   * @return the status, straight to the handler
   * @throws Exception when the request fails
   */
  @Benchmark
  public int withoutHookguard() throws Exception {
    return post(plainUrl);
  }
}
