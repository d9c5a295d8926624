package io.hookguard.test;

import static java.util.Objects.requireNonNull;

import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import java.net.URI;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Signed deliveries for Spring's MockMvc, in {@code @WebMvcTest} slices and
 * {@code @AutoConfigureMockMvc} tests alike (Spring Framework 6 and 7).
 *
 * <pre>{@code
 * mockMvc.perform(post("/webhooks/stripe").with(WebhookMockMvc.signed(TestWebhook.of(Providers.STRIPE))))
 *     .andExpect(status().isOk());
 * }</pre>
 */
public final class WebhookMockMvc {
  private WebhookMockMvc() {}

  /**
   * Makes the MockMvc request the signed delivery: its body, content type and the sender's
   * headers (signature, timestamp, event id and type), signed for the request's URL (or the
   * delivery's {@link TestWebhook#url}) and method when the request is built.
   *
   * @param webhook the delivery
   * @return the post-processor for {@code MockHttpServletRequestBuilder.with}
   */
  public static RequestPostProcessor signed(TestWebhook webhook) {
    requireNonNull(webhook, "webhook");
    return request -> apply(request, webhook);
  }

  private static MockHttpServletRequest apply(MockHttpServletRequest request, TestWebhook webhook) {
    String query = request.getQueryString();
    String requestUrl = request.getRequestURL() + (query == null ? "" : "?" + query);
    WebhookRequest signed = webhook.request(request.getMethod(), requestUrl);
    request.setContent(signed.body());
    WebhookHeaders headers = signed.headers();
    for (String name : headers.names()) {
      request.removeHeader(name);
      for (String value : headers.all(name)) {
        request.addHeader(name, value);
      }
    }
    String contentType = headers.first("Content-Type");
    if (contentType != null) {
      request.setContentType(contentType);
    }
    // Signing may add to the query (Twilio's bodySHA256 for JSON bodies): send what was signed.
    String signedQuery = URI.create(signed.url()).getRawQuery();
    if (signedQuery != null && !signedQuery.equals(query) && signed.url().startsWith(request.getRequestURL().toString())) {
      request.setQueryString(signedQuery);
      for (String pair : signedQuery.split("&")) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        if (request.getParameter(name) == null) {
          request.addParameter(name, equals < 0 ? "" : pair.substring(equals + 1));
        }
      }
    }
    return request;
  }
}
