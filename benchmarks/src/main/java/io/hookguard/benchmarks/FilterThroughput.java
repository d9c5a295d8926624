package io.hookguard.benchmarks;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.servlet.WebhookEndpoint;
import io.hookguard.servlet.WebhookFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Requests per second over loopback HTTP to one embedded Tomcat: the same servlet (it reads the
 * body and answers 200) behind the {@link WebhookFilter} (Stripe verification, dedup on
 * Caffeine) and without it. Every request is a new event, signed by the client in both cases, so
 * client work is the same. Concurrency is JMH's thread count ({@code -t}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FilterThroughput {
  private static final String SECRET = "whsec_benchmark_secret";

  /** Body size in bytes. */
  @Param({"4096"})
  public int size;

  private final AtomicLong events = new AtomicLong();
  private Tomcat tomcat;
  private HttpClient client;
  private WebhookSigner signer;
  private String filtered;
  private String plain;
  private String template;

  /** The application servlet: reads the whole body, answers a small JSON. */
  static final class AppServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      int bytes = request.getInputStream().readAllBytes().length;
      response.setContentType("application/json");
      response.getWriter().write("{\"bytes\":" + bytes + "}");
    }
  }

  /**
   * Starts Tomcat with both paths.
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
    Tomcat.addServlet(context, "app", new AppServlet()).addMapping("/*");
    WebhookFilter filter = WebhookFilter.builder()
        .endpoint(WebhookEndpoint.builder("/filtered/stripe",
                WebhookVerifier.builder(Providers.STRIPE).secret(SECRET).build())
            .dedup(DedupEngine.builder(CaffeineDedupStore.create()).build()).build())
        .build();
    context.addServletContainerInitializer((classes, servletContext) -> servletContext.addFilter("hookguard", filter)
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*"), null);
    tomcat.start();
    int port = tomcat.getConnector().getLocalPort();
    filtered = "http://127.0.0.1:" + port + "/filtered/stripe";
    plain = "http://127.0.0.1:" + port + "/plain/stripe";
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
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
    tomcat.stop();
    tomcat.destroy();
  }

  private int post(String url) throws IOException, InterruptedException {
    String id = String.format("%012d", events.incrementAndGet());
    WebhookRequest signed = signer.sign(WebhookRequest.builder()
        .body(template.replace("XXXXXXXXXXXX", id)).build());
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .header("Stripe-Signature", signed.headers().first("Stripe-Signature"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body())).build();
    int status;
    try {
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      // The JDK client now and then fails a request on a pooled connection the server has just
      // closed ("header parser received no bytes"); senders retry, and so does this load loop.
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
    if (status != 200) {
      throw new IllegalStateException("status " + status + " from " + url);
    }
    return status;
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
   * @return the status, straight to the servlet
   * @throws Exception when the request fails
   */
  @Benchmark
  public int withoutFilter() throws Exception {
    return post(plain);
  }
}
