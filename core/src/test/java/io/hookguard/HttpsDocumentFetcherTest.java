package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DocumentFetcher#https}: over a real TLS server on loopback (a certificate made in the
 * test), what a pinned host can do to a fetch — redirect it, answer 404 or 503, send too much,
 * stall — ends as a definite "no such document", a transient failure or the document.
 */
class HttpsDocumentFetcherTest {
  private static final char[] PASSWORD = "test".toCharArray();
  private static HttpsServer server;
  private static ExecutorService executor;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    KeyPair keys = TestCertificates.rsa();
    X509Certificate certificate = TestCertificates.selfSigned(keys, "localhost", "localhost");
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(TestCertificates.keyStore(keys, certificate, PASSWORD), PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keyManagers.getKeyManagers(), null, null);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(TestCertificates.trustStore(certificate));
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, trust.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/cert.pem", exchange -> answer(exchange, 200, "-----BEGIN CERTIFICATE-----"));
    server.createContext("/missing.pem", exchange -> answer(exchange, 404, "no"));
    server.createContext("/down.pem", exchange -> answer(exchange, 503, "later"));
    server.createContext("/redirect.pem", exchange -> {
      exchange.getResponseHeaders().add("Location", "https://localhost:" + port() + "/cert.pem");
      answer(exchange, 302, "");
    });
    server.createContext("/big.pem", exchange -> answer(exchange, 200, "x".repeat(10_000)));
    server.createContext("/big-chunked.pem", exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse early
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 100; i++) {
          out.write("x".repeat(1000).getBytes(UTF_8));
        }
      } catch (IOException e) {
        // the client stopped reading, as it should
      }
    });
    server.createContext("/stall.pem", exchange -> {
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(exchange, 200, "late");
    });
    server.start();
    // Following redirects, so that the fetcher's own refusal is what is tested.
    client = HttpClient.newBuilder().sslContext(clientContext).followRedirects(HttpClient.Redirect.ALWAYS).build();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static URI url(String path) {
    return URI.create("https://localhost:" + port() + path);
  }

  private final DocumentFetcher fetcher = DocumentFetcher.https(client, Duration.ofSeconds(2));

  @Test
  void aDocumentIsFetchedOverTls() throws Exception {
    assertThat(new String(fetcher.fetch(url("/cert.pem"), 1024), UTF_8)).isEqualTo("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void aRedirectIsNotFollowedEvenByAClientThatWould() {
    assertThatThrownBy(() -> fetcher.fetch(url("/redirect.pem"), 1024)).isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void aMissingDocumentIsDefiniteAndAServerErrorIsTransient() {
    assertThatThrownBy(() -> fetcher.fetch(url("/missing.pem"), 1024)).isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(() -> fetcher.fetch(url("/down.pem"), 1024))
        .isInstanceOf(IOException.class).isNotInstanceOf(FileNotFoundException.class);
  }

  @Test
  void aDocumentPastTheCapIsRefusedWhetherItsLengthIsDeclaredOrNot() {
    assertThatThrownBy(() -> fetcher.fetch(url("/big.pem"), 1024)).isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(() -> fetcher.fetch(url("/big-chunked.pem"), 1024)).isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void aServerThatStallsIsATransientFailureWithinTheTimeout() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> fetcher.fetch(url("/stall.pem"), 1024))
        .isInstanceOf(IOException.class).isNotInstanceOf(FileNotFoundException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void onlyHttpsIsFetched() {
    assertThatThrownBy(() -> fetcher.fetch(URI.create("http://localhost:" + port() + "/cert.pem"), 1024))
        .isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void theDefaultFetcherRefusesAServerItDoesNotTrust() {
    // The JDK's trust store does not hold the test's certificate: a TLS failure, transient by nature.
    assertThatThrownBy(() -> DocumentFetcher.https().fetch(url("/cert.pem"), 1024))
        .isInstanceOf(IOException.class).isNotInstanceOf(FileNotFoundException.class);
  }
}
