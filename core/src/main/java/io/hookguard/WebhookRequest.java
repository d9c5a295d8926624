package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a verifier sees of one HTTP delivery: method, full URL, headers and the body bytes exactly
 * as received.
 *
 * <p>The body array is not copied, so verifying costs no allocation proportional to its size;
 * callers must not change it while the request is in use.
 */
public final class WebhookRequest {
  private static final byte[] NO_BODY = new byte[0];

  private final String method;
  private final String url;
  private final WebhookHeaders headers;
  private final byte[] body;

  private WebhookRequest(Builder builder) {
    this.method = builder.method;
    this.url = builder.url;
    this.headers = builder.headers != null ? builder.headers : builder.headerBuilder.build();
    this.body = builder.body;
  }

  /**
   * A builder, with method {@code POST}, an empty URL, no headers and an empty body.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The HTTP method in upper case, for example {@code POST}.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * The full URL the sender called (scheme, host, port, path and query), as URL-signing providers
   * such as Twilio, Square and HubSpot sign it. Empty when the caller did not supply one.
   *
   * @return the URL
   */
  public String url() {
    return url;
  }

  /**
   * The request headers.
   *
   * @return the headers, looked up case-insensitively
   */
  public WebhookHeaders headers() {
    return headers;
  }

  /**
   * The body exactly as received. The array is shared, not copied: do not modify it.
   *
   * @return the body bytes
   */
  public byte[] body() {
    return body;
  }

  /**
   * A builder holding this request's values, to derive a changed copy.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder builder = new Builder().method(method).url(url).body(body);
    builder.headerBuilder.addAll(headers);
    return builder;
  }

  @Override
  public String toString() {
    return "WebhookRequest[" + method + " " + url + ", " + headers + ", " + body.length
        + " body bytes]";
  }

  /** Builds a {@link WebhookRequest}. */
  public static final class Builder {
    private String method = "POST";
    private String url = "";
    private WebhookHeaders.Builder headerBuilder = WebhookHeaders.builder();
    private @Nullable WebhookHeaders headers;
    private byte[] body = NO_BODY;

    private Builder() {}

    /**
     * Sets the HTTP method.
     *
     * @param method the method, in any case
     * @return this builder
     */
    public Builder method(String method) {
      this.method = requireNonNull(method, "method").toUpperCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the full URL the sender called.
     *
     * @param url the URL, for example {@code https://example.com/hooks?x=1}
     * @return this builder
     */
    public Builder url(String url) {
      this.url = requireNonNull(url, "url");
      return this;
    }

    /**
     * Adds one header value.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, String value) {
      materializeHeaders();
      headerBuilder.add(name, value);
      return this;
    }

    /**
     * Replaces every value of a header with one value.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder setHeader(String name, String value) {
      materializeHeaders();
      headerBuilder.set(name, value);
      return this;
    }

    /**
     * Uses the given headers, replacing any added so far. They are used as they are, not copied.
     *
     * @param headers the headers
     * @return this builder
     */
    public Builder headers(WebhookHeaders headers) {
      this.headers = requireNonNull(headers, "headers");
      this.headerBuilder = WebhookHeaders.builder();
      return this;
    }

    /**
     * Sets the body bytes. The array is not copied.
     *
     * @param body the body exactly as received
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = requireNonNull(body, "body");
      return this;
    }

    /**
     * Sets the body from text, encoded as UTF-8. Prefer {@link #body(byte[])} with the bytes
     * received: a decoded and re-encoded body may no longer match its signature.
     *
     * @param body the body text
     * @return this builder
     */
    public Builder body(String body) {
      return body(requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Makes the request.
     *
     * @return the request
     */
    public WebhookRequest build() {
      return new WebhookRequest(this);
    }

    private void materializeHeaders() {
      if (headers != null) {
        headerBuilder.addAll(headers);
        headers = null;
      }
    }
  }
}
