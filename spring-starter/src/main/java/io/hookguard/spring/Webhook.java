package io.hookguard.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller method (or every handler method of a controller class) as a webhook
 * endpoint configured under {@code hookguard.endpoints.<name>}. Before Spring binds
 * {@code @RequestBody} or anything else, the delivery is read once (bounded), verified over the
 * exact bytes received and deduplicated; rejections never reach the method. The method reads the
 * same bytes as usual ({@code @RequestBody}, {@code @RequestParam} for form posts) and may take a
 * {@link io.hookguard.VerifiedWebhook} parameter for the delivery's provider, event id,
 * timestamp and type.
 *
 * <pre>{@code
 * @PostMapping("/webhooks/stripe")
 * @Webhook("stripe")
 * void stripe(@RequestBody Event event, VerifiedWebhook delivery) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Webhook {
  /**
   * The endpoint's name under {@code hookguard.endpoints}.
   *
   * @return the name
   */
  String value();
}
