package io.hookguard.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
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
public final class TomcatServer implements TestServer {
  private final Tomcat tomcat;
  private final HttpClient client = TestServer.newClient();

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

  @Override
  public int port() {
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  public String container() {
    return "Tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber();
  }

  @Override
  public HttpClient client() {
    return client;
  }

  /**
   * A POST of a signed core request, as {@link TestServer#post}.
   *
   * @param signed the signed request
   * @return the HTTP request
   */
  public static HttpRequest.Builder post(io.hookguard.WebhookRequest signed) {
    return TestServer.post(signed);
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
