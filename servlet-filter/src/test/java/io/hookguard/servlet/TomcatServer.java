package io.hookguard.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A real embedded Tomcat 11 on a free loopback port: the filter mapped to every path for the
 * REQUEST, ASYNC and ERROR dispatches, servlets behind it, and an HTTP/1.1 client to call it.
 */
public final class TomcatServer implements AutoCloseable {
  private final Tomcat tomcat;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private TomcatServer(Tomcat tomcat) {
    this.tomcat = tomcat;
  }

  /**
   * Starts Tomcat.
   *
   * @param filter the filter under test
   * @param servlets servlets by URL pattern
   * @return the running server
   */
  public static TomcatServer start(Filter filter, Map<String, HttpServlet> servlets) {
    return start(filter, servlets, Options.DEFAULTS);
  }

  /**
   * How the test server is set up beyond its filter and servlets.
   *
   * @param filterPattern the URL pattern the filter is mapped to, {@code /*} by default
   * @param maxThreads the connector's worker threads, or 0 for Tomcat's default
   */
  public record Options(String filterPattern, int maxThreads) {
    /** The filter on every path, Tomcat's default thread pool. */
    public static final Options DEFAULTS = new Options("/*", 0);

    /**
     * @param pattern the filter's URL pattern
     * @return these options with that pattern
     */
    public Options filterPattern(String pattern) {
      return new Options(pattern, maxThreads);
    }

    /**
     * @param threads the connector's worker threads
     * @return these options with that many threads
     */
    public Options maxThreads(int threads) {
      return new Options(filterPattern, threads);
    }
  }

  /**
   * Starts Tomcat with options.
   *
   * @param filter the filter under test
   * @param servlets servlets by URL pattern
   * @param options the filter mapping and thread pool
   * @return the running server
   */
  public static TomcatServer start(Filter filter, Map<String, HttpServlet> servlets, Options options) {
    try {
      Path base = Files.createTempDirectory("hookguard-tomcat-");
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(base.toString());
      tomcat.setHostname("127.0.0.1");
      tomcat.setPort(0);
      tomcat.getConnector().setProperty("address", "127.0.0.1");
      // Above the filter's own 8 KiB header limit, so that the filter's answer is what is tested.
      tomcat.getConnector().setProperty("maxHttpRequestHeaderSize", "65536");
      if (options.maxThreads() > 0) {
        tomcat.getConnector().setProperty("maxThreads", Integer.toString(options.maxThreads()));
        tomcat.getConnector().setProperty("minSpareThreads", Integer.toString(Math.min(2, options.maxThreads())));
      }
      Context context = tomcat.addContext("", base.toString());
      int n = 0;
      for (Map.Entry<String, HttpServlet> servlet : servlets.entrySet()) {
        String name = "servlet-" + n++;
        Tomcat.addServlet(context, name, servlet.getValue()).setAsyncSupported(true);
        context.addServletMappingDecoded(servlet.getKey(), name);
      }
      FilterDef def = new FilterDef();
      def.setFilterName("hookguard");
      def.setFilter(filter);
      def.setAsyncSupported("true");
      context.addFilterDef(def);
      FilterMap map = new FilterMap();
      map.setFilterName("hookguard");
      map.addURLPattern(options.filterPattern());
      map.setDispatcher("REQUEST");
      map.setDispatcher("ASYNC");
      map.setDispatcher("ERROR");
      context.addFilterMap(map);
      if (servlets.containsKey("/error")) {
        ErrorPage page = new ErrorPage();
        page.setExceptionType(Throwable.class.getName());
        page.setLocation("/error");
        context.addErrorPage(page);
      }
      tomcat.start();
      return new TomcatServer(tomcat);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the port Tomcat listens on */
  public int port() {
    return tomcat.getConnector().getLocalPort();
  }

  /**
   * The URL of a path on this server.
   *
   * @param path the path, starting with '/'
   * @return the absolute URL
   */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /**
   * Sends a request.
   *
   * @param request the request
   * @return the response with its body as a string
   */
  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return the client, for concurrent sends */
  public HttpClient client() {
    return client;
  }

  /**
   * A POST of a signed core request: its URL (or this server's path), headers and body.
   *
   * @param signed the signed request
   * @return the HTTP request
   */
  public static HttpRequest.Builder post(io.hookguard.WebhookRequest signed) {
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
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }
}
