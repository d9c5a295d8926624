package io.hookguard.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/**
 * The servlet containers the filter is tested in. Container tests take one as their class
 * parameter ({@code @ParameterizedClass @EnumSource(Container.class)}) and run once per container.
 */
public enum Container {
  /** Embedded Tomcat 11 (Servlet 6.1). */
  TOMCAT {
    @Override
    public TestServer start(Filter filter, Map<String, HttpServlet> servlets, TestServer.Options options) {
      return TomcatServer.start(filter, servlets, options);
    }
  },
  /** Embedded Jetty 12.1, ee10 environment (Servlet 6.0). */
  JETTY {
    @Override
    public TestServer start(Filter filter, Map<String, HttpServlet> servlets, TestServer.Options options) {
      return JettyServer.start(filter, servlets, options);
    }
  };

  /**
   * Starts this container with the filter mapped to {@code options.filterPattern()} for the
   * REQUEST, ASYNC and ERROR dispatches and the servlets behind it, bound to 127.0.0.1.
   *
   * @param filter the filter under test
   * @param servlets servlets by URL pattern; one on {@code /error} becomes the error page for any exception
   * @param options the filter mapping and thread pool
   * @return the running server
   */
  public abstract TestServer start(Filter filter, Map<String, HttpServlet> servlets, TestServer.Options options);

  /**
   * @param filter the filter under test, on every path
   * @param servlets servlets by URL pattern
   * @return the running server
   */
  public TestServer start(Filter filter, Map<String, HttpServlet> servlets) {
    return start(filter, servlets, TestServer.Options.DEFAULTS);
  }
}
