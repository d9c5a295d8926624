package io.hookguard.test;

import static java.util.Objects.requireNonNull;

import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Signed deliveries through Spring Framework 7's {@code RestTestClient} (Spring Boot 4), bound
 * to MockMvc or a running server. On Spring Framework 6 use {@link WebhookMockMvc} or
 * {@link WebhookWebTestClient}.
 *
 * <pre>{@code
 * WebhookRestTestClient.post(client, "/webhooks/stripe", TestWebhook.of(Providers.STRIPE))
 *     .exchange().expectStatus().isOk();
 * }</pre>
 */
public final class WebhookRestTestClient {
  private WebhookRestTestClient() {}

  /**
   * A POST of the signed delivery, ready to {@code exchange()}.
   *
   * @param client the client
   * @param path the path (and query) on the client's base URL
   * @param webhook the delivery; URL-signing senders sign {@code http://localhost} plus the path
   *     unless it has a {@link TestWebhook#url}
   * @return the request
   */
  public static RestTestClient.RequestHeadersSpec<?> post(RestTestClient client, String path, TestWebhook webhook) {
    requireNonNull(client, "client");
    requireNonNull(webhook, "webhook");
    WebhookRequest signed = webhook.request("POST", "http://localhost" + requireNonNull(path, "path"));
    RestTestClient.RequestBodySpec spec = client.post().uri(Paths.sent(path, signed));
    WebhookHeaders headers = signed.headers();
    for (String name : headers.names()) {
      spec = spec.header(name, headers.all(name).toArray(String[]::new));
    }
    return spec.body(signed.body());
  }
}
