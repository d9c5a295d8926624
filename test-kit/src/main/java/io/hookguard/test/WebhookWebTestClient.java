package io.hookguard.test;

import static java.util.Objects.requireNonNull;

import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Signed deliveries through Spring's {@code WebTestClient}, against a running server
 * ({@code @SpringBootTest(webEnvironment = RANDOM_PORT)}) or a bound application (Spring
 * Framework 6 and 7).
 *
 * <pre>{@code
 * WebhookWebTestClient.post(client, "/webhooks/github", TestWebhook.of(Providers.GITHUB))
 *     .exchange().expectStatus().isOk();
 * }</pre>
 */
public final class WebhookWebTestClient {
  private WebhookWebTestClient() {}

  /**
   * A POST of the signed delivery, ready to {@code exchange()}.
   *
   * @param client the client
   * @param path the path (and query) on the client's base URL, e.g. {@code /webhooks/github}
   * @param webhook the delivery; URL-signing senders sign {@code http://localhost} plus the path
   *     unless it has a {@link TestWebhook#url}
   * @return the request
   */
  public static WebTestClient.RequestHeadersSpec<?> post(WebTestClient client, String path, TestWebhook webhook) {
    requireNonNull(client, "client");
    requireNonNull(webhook, "webhook");
    WebhookRequest signed = webhook.request("POST", "http://localhost" + requireNonNull(path, "path"));
    WebTestClient.RequestBodySpec spec = client.post().uri(Paths.sent(path, signed));
    WebhookHeaders headers = signed.headers();
    for (String name : headers.names()) {
      spec = spec.header(name, headers.all(name).toArray(String[]::new));
    }
    return spec.bodyValue(signed.body());
  }
}
