package io.hookguard.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.http.HttpClient;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real embedded Jetty 12 (ee10, Servlet 6.0) on a free loopback port: the filter registered the
 * Jetty way ({@link ServletContextHandler#addFilter(FilterHolder, String, EnumSet)}) for the
 * REQUEST, ASYNC and ERROR dispatches, async supported, servlets behind it, and an HTTP/1.1 client.
 * Jetty's own defaults otherwise (URI compliance, error handler), as an embedding application gets.
 */
public final class JettyServer implements TestServer {
  private final Server server;
  private final ServerConnector connector;
  private final HttpClient client = TestServer.newClient();

  private JettyServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts Jetty with the filter on every path.
   *
   * @param filter the filter under test
   * @param servlets servlets by URL pattern
   * @return the running server
   */
  public static JettyServer start(Filter filter, Map<String, HttpServlet> servlets) {
    return start(filter, servlets, Options.DEFAULTS);
  }

  /**
   * Starts Jetty with options.
   *
   * @param filter the filter under test
   * @param servlets servlets by URL pattern; one on {@code /error} becomes the error page for any exception
   * @param options the filter mapping and thread pool
   * @return the running server
   */
  public static JettyServer start(Filter filter, Map<String, HttpServlet> servlets, Options options) {
    QueuedThreadPool threads = options.maxThreads() > 0
        ? new QueuedThreadPool(options.maxThreads(), Math.min(2, options.maxThreads()))
        : new QueuedThreadPool();
    threads.setName("jetty-test");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // Above the filter's own 8 KiB header limit, so that the filter's answer is what is tested.
    http.setRequestHeaderSize(65536);
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    for (Map.Entry<String, HttpServlet> servlet : servlets.entrySet()) {
      ServletHolder holder = new ServletHolder(servlet.getValue());
      holder.setAsyncSupported(true);
      context.addServlet(holder, servlet.getKey());
    }
    FilterHolder hookguard = new FilterHolder(filter);
    hookguard.setName("hookguard");
    hookguard.setAsyncSupported(true);
    context.addFilter(hookguard, options.filterPattern(),
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    if (servlets.containsKey("/error")) {
      ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
      errors.addErrorPage(Throwable.class, "/error");
      context.setErrorHandler(errors);
    }
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
    return new JettyServer(server, connector);
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public String container() {
    return "Jetty " + Jetty.VERSION;
  }

  @Override
  public HttpClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
