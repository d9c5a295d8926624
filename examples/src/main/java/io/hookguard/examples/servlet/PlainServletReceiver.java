package io.hookguard.examples.servlet;

import io.hookguard.Providers;
import io.hookguard.VerifiedWebhook;
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
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * Hookguard in a plain servlet app, no framework: an embedded Tomcat with the
 * {@link WebhookFilter} in front of an ordinary servlet. Copy the {@link #filter()} part into
 * any servlet application (a {@code ServletContextListener} is the usual place). Run it with
 * {@code ./mvnw -q -pl examples exec:java -Dexec.mainClass=io.hookguard.examples.servlet.PlainServletReceiver}
 * (port 8081, or the first argument).
 */
public final class PlainServletReceiver {
  private PlainServletReceiver() {}

  /**
   * The filter: Stripe deliveries on {@code /webhooks/stripe} deduplicated in process, Slack slash
   * commands on {@code /webhooks/slack/commands}. Secrets from the environment, demo values otherwise.
   *
   * @return the filter
   */
  public static WebhookFilter filter() {
    DedupEngine dedup = DedupEngine.builder(CaffeineDedupStore.create()).build();
    return WebhookFilter.builder()
        .endpoint("/webhooks/stripe", WebhookEndpoint.builder("stripe", WebhookVerifier.builder(Providers.STRIPE)
            .secret(env("STRIPE_WEBHOOK_SECRET", "whsec_demo_stripe_secret")).build())
            .dedup(dedup).build())
        .endpoint("/webhooks/slack/commands", WebhookEndpoint.builder("slack-commands", WebhookVerifier.builder(Providers.SLACK)
            .secret(env("SLACK_SIGNING_SECRET", "demo-slack-signing-secret")).build()).build())
        .build();
  }

  private static String env(String name, String demo) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? demo : value;
  }

  /** The application: it reads requests as usual and never sees an unverified one. */
  static final class AppServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      VerifiedWebhook delivery = WebhookFilter.verifiedWebhook(request).orElse(null);
      if (delivery == null) {
        // Cannot happen behind the filter (it answers every path under /webhooks/*), but an app
        // should not trust its deployment descriptor to stay that way.
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      response.setContentType("application/json");
      if (delivery.provider().equals(Providers.SLACK.id())) {
        String command = request.getParameter("command");
        if (command == null) {
          response.sendError(HttpServletResponse.SC_BAD_REQUEST, "a slash command has a command parameter");
          return;
        }
        response.getWriter().write("{\"command\":\"" + command.replace("\"", "").replace("\\", "") + "\"}");
      } else {
        int bytes = request.getInputStream().readAllBytes().length;
        response.getWriter().write("{\"received\":\"" + delivery.eventId().orElse("") + "\",\"bytes\":" + bytes + "}");
      }
    }
  }

  /**
   * Starts Tomcat with the filter and the servlet.
   *
   * @param port the port, 0 for any free one
   * @return the running Tomcat
   * @throws IOException when the work directory cannot be made
   * @throws LifecycleException when Tomcat cannot start
   */
  public static Tomcat start(int port) throws IOException, LifecycleException {
    Tomcat tomcat = new Tomcat();
    String base = Files.createTempDirectory("hookguard-servlet-example").toString();
    tomcat.setBaseDir(base);
    tomcat.setPort(port);
    // Loopback only: the demo secrets are published in the README.
    tomcat.setHostname("127.0.0.1");
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", base);
    Tomcat.addServlet(context, "app", new AppServlet()).addMapping("/webhooks/*");
    context.addServletContainerInitializer((classes, servletContext) -> servletContext
        .addFilter("hookguard", filter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/webhooks/*"),
        null);
    tomcat.start();
    return tomcat;
  }

  /**
   * Runs the example until stopped.
   *
   * @param args optionally the port
   * @throws Exception when Tomcat cannot start
   */
  public static void main(String[] args) throws Exception {
    Tomcat tomcat = start(args.length > 0 ? Integer.parseInt(args[0]) : 8081);
    System.out.println("Plain servlet receiver on http://127.0.0.1:" + tomcat.getConnector().getLocalPort()
        + "/webhooks/stripe and /webhooks/slack/commands");
    tomcat.getServer().await();
  }
}
