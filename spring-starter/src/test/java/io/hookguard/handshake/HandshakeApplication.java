package io.hookguard.handshake;

import io.hookguard.VerifiedWebhook;
import io.hookguard.delivery.DeliveryAudit;
import io.hookguard.spring.Webhook;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HandshakeApplication.Hooks.class)
public class HandshakeApplication {
  static final AtomicInteger HANDLED = new AtomicInteger();
  static final List<DeliveryAudit> AUDITS = new CopyOnWriteArrayList<>();

  @EventListener
  void audited(DeliveryAudit audit) {
    AUDITS.add(audit);
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

    private static String handled(VerifiedWebhook delivery) {
      HANDLED.incrementAndGet();
      return "handled " + delivery.provider();
    }
  }
}
