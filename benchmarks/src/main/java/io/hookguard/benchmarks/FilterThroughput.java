package io.hookguard.benchmarks;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.servlet.WebhookFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Requests per second over loopback HTTP to one embedded Tomcat: the same servlet (it reads the
 * body and answers 200) behind the {@link WebhookFilter} (Stripe verification, dedup on
 * Caffeine), behind the {@link HandRolledStripeFilter} a user would otherwise write (the peer
 * baseline: a pre-initialised {@code Mac}, {@code MessageDigest.isEqual}, a
 * {@code ConcurrentHashMap}), and without either. Every request is a new event, signed by the
 * client on every path, so client work is the same. Concurrency is JMH's thread count ({@code -t}). The client is Apache
 * HttpClient's classic, blocking one: each request runs on the JMH thread that sends it, with no
 * hand-off to a selector thread, so that on a small machine the client adds as little scheduling
 * noise as it can.
 *
 * <p>The heap is fixed and pre-touched, as on a server that has been up a while: with a growing
 * heap, the filtered fork paid about 7 µs per request for the kernel zeroing pages while
 * G1 expanded the heap under the dedup cache's retained entries — a warm-up cost, not the filter's.
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FilterThroughput {
  private static final String SECRET = "whsec_benchmark_secret";

  /** Body size in bytes. */
  @Param({"4096"})
  public int size;

  /**
   * CPU work the application's handler does per request, in {@link Blackhole#consumeCPU} tokens:
   * 0 for an endpoint that only reads the body, more for one that does work of its own (parsing,
   * a database client). A fixed count, the same in every fork and run, rather than a time
   * calibrated per fork: a fork calibrating while JIT or a neighbour disturbed it ran a different
   * handler from the others. 125,000 tokens took 250 µs on the benchmark machine (2.0 ns a token,
   * the best of 200 timings).
   */
  @Param({"0", "125000"})
  public long handlerTokens;

  private final AtomicLong events = new AtomicLong();
  private Tomcat tomcat;
  private CloseableHttpClient client;
  private WebhookSigner signer;
  private String filtered;
  private String handRolled;
  private String plain;
  private AppServlet app;
  private String template;

  /** The application servlet: reads the whole body, burns its CPU, answers a small JSON. */
  static final class AppServlet extends HttpServlet {
    private final long workTokens;
    /** Requests the servlet ran, for the smoke test's duplicate check. */
    final AtomicLong runs = new AtomicLong();

    AppServlet(long workTokens) {
      this.workTokens = workTokens;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      int bytes = request.getInputStream().readAllBytes().length;
      runs.incrementAndGet();
      if (workTokens > 0) {
        Blackhole.consumeCPU(workTokens);
      }
      response.setContentType("application/json");
      response.getWriter().write("{\"bytes\":" + bytes + "}");
    }
  }

  /**
   * Starts Tomcat with the three paths.
   *
   * @throws Exception when Tomcat cannot start
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    tomcat = new Tomcat();
    String base = Files.createTempDirectory("hookguard-bench-tomcat").toString();
    tomcat.setBaseDir(base);
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    // Tomcat closes a keep-alive connection after 100 requests by default, and the JDK client
    // then fails a request it had already sent on it; a load test keeps its connections.
    tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
    Context context = tomcat.addContext("", base);
    app = new AppServlet(handlerTokens);
    Tomcat.addServlet(context, "app", app).addMapping("/*");
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint("/filtered/stripe", WebhookEndpoint.builder("stripe",
                WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build())
            .dedup(DedupEngine.builder(CaffeineDedupStore.create()).build()).build())
        .build();
    HandRolledStripeFilter peer = new HandRolledStripeFilter(SECRET);
    context.addServletContainerInitializer((classes, servletContext) -> {
      servletContext.addFilter("hookguard", filter)
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/filtered/*");
      servletContext.addFilter("handrolled", peer)
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/handrolled/*");
    }, null);
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();
    filtered = "http://127.0.0.1:" + port + "/filtered/stripe";
    handRolled = "http://127.0.0.1:" + port + "/handrolled/stripe";
    plain = "http://127.0.0.1:" + port + "/plain/stripe";
    client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(256).setMaxConnPerRoute(256).build())
        .disableAutomaticRetries()
        .build();
    signer = WebhookSigner.builder(Providers.STRIPE).secret(SECRET).build();
    template = Payloads.json(size, "evt_XXXXXXXXXXXX");
  }

  /**
   * Stops Tomcat.
   *
   * @throws Exception when Tomcat cannot stop
   */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
    tomcat.stop();
    tomcat.destroy();
  }

  private int post(String url) throws IOException {
    WebhookRequest signed = newEvent();
    int status = send(url, signed.body(), signed.headers().first("Stripe-Signature"));
    if (status != 200) {
      throw new IllegalStateException("status " + status + " from " + url);
    }
    return status;
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

  /** @return the URLs of the filtered, hand-rolled and plain paths */
  String[] urls() {
    return new String[] {filtered, handRolled, plain};
  }

  /** @return how many requests the application servlet ran */
  long servletRuns() {
    return app.runs.get();
  }

  /**
   * @return the status, through the filter
   * @throws Exception when the request fails
   */
  @Benchmark
  public int withFilter() throws Exception {
    return post(filtered);
  }

  /**
   * @return the status, through the hand-rolled peer filter
   * @throws Exception when the request fails
   */
  @Benchmark
  public int withHandRolledFilter() throws Exception {
    return post(handRolled);
  }

  /**
   * @return the status, straight to the servlet
   * @throws Exception when the request fails
   */
  @Benchmark
  public int withoutFilter() throws Exception {
    return post(plain);
  }
}
