package io.hookguard.handshake;

import io.hookguard.DocumentFetcher;
import io.hookguard.RemoteDocuments;
import io.hookguard.VerifiedWebhook;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.spring.Webhook;
import io.hookguard.test.TestKeys;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * One annotated controller per sender with a handshake, the same on Spring MVC and WebFlux: the
 * handlers only count their runs, so any handshake that reached one shows. The senders that
 * handshake with a {@code GET} (Meta, Braintree) or {@code HEAD} (Mandrill) are mapped for it.
 * AWS SNS's fetches go to {@link #SNS}, which stands in for SNS itself.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HandshakeApplication.Hooks.class)
public class HandshakeApplication {
  static final AtomicInteger HANDLED = new AtomicInteger();
  static final List<DeliveryAudit> AUDITS = new CopyOnWriteArrayList<>();
  static final Sns SNS = new Sns();

  /** The starter hands it to the {@code aws-sns} endpoint: every fetch goes to {@link #SNS}, no network. */
  @Bean
  RemoteDocuments remoteDocuments() {
    return RemoteDocuments.builder().fetcher(SNS).build();
  }

  @EventListener
  void audited(DeliveryAudit audit) {
    AUDITS.add(audit);
  }

  /**
   * SNS, without a network: serves the test kit's signing certificate and answers the
   * subscription confirmation's GET of its SubscribeURL; records every other fetch, and when
   * {@link #down} cannot be reached for them.
   */
  static final class Sns implements DocumentFetcher {
    final List<URI> fetched = new CopyOnWriteArrayList<>();
    volatile boolean down;

    void reset() {
      fetched.clear();
      down = false;
    }

    @Override
    public byte[] fetch(URI url, int maxBytes) throws IOException {
      if (url.toString().equals(TestKeys.AWS_SNS_CERTIFICATE_URL)) {
        return TestKeys.AWS_SNS_CERTIFICATE.getBytes(StandardCharsets.UTF_8);
      }
      fetched.add(url);
      if (down) {
        throw new IOException("SNS cannot be reached");
      }
      if (url.getRawQuery() != null && url.getRawQuery().startsWith("Action=ConfirmSubscription&")) {
        return "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
      }
      throw new FileNotFoundException(url.toString());
    }
  }

  @RestController
  static class Hooks {
    @RequestMapping(path = "/hooks/meta", method = {RequestMethod.GET, RequestMethod.POST})
    @Webhook("meta")
    String meta(@RequestBody(required = false) byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    @RequestMapping(path = "/hooks/braintree", method = {RequestMethod.GET, RequestMethod.POST})
    @Webhook("braintree")
    String braintree(@RequestBody(required = false) byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    @RequestMapping(path = "/hooks/mandrill", method = {RequestMethod.GET, RequestMethod.POST})
    @Webhook("mandrill")
    String mandrill(@RequestBody(required = false) byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    @PostMapping("/hooks/woo")
    @Webhook("woo")
    String woo(@RequestBody(required = false) byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    @PostMapping("/hooks/slack")
    @Webhook("slack")
    String slack(@RequestBody byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    @PostMapping("/hooks/zoom")
    @Webhook("zoom")
    String zoom(@RequestBody byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    @RequestMapping(path = "/hooks/stripe", method = {RequestMethod.GET, RequestMethod.POST})
    @Webhook("stripe")
    String stripe(@RequestBody(required = false) byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    @PostMapping("/hooks/sns")
    @Webhook("sns")
    String sns(@RequestBody byte[] body, VerifiedWebhook delivery) {
      return handled(delivery);
    }

    private static String handled(VerifiedWebhook delivery) {
      HANDLED.incrementAndGet();
      return "handled " + delivery.provider();
    }
  }
}
