package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where a JWT scheme's verification keys come from when they are not configuration: a sender's
 * key API (Plaid's {@code /webhook_verification_key/get}) or a JWK set URL. Hookguard caches what
 * a source returns, so a source is asked only when a token names a key id ({@code kid}) that is
 * not cached — at most once per refetch interval, however many tokens name unknown ids — or
 * when the cached set is older than its refresh age; never once per request.
 *
 * <p>A sample for Plaid, with the JDK's HTTP client (the credentials are the application's own
 * Plaid API keys, sent to Plaid only):
 *
 * <pre>{@code
 * JwtKeySource plaidKeys = kid -> {
 *   if (!kid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
 *     // Plaid's key ids are UUIDs; the kid is unverified text: never put anything else in JSON.
 *     throw new FileNotFoundException("not a Plaid key id");   // a definite no: 401
 *   }
 *   String request = "{\"client_id\":\"" + clientId + "\",\"secret\":\"" + secret
 *       + "\",\"key_id\":\"" + kid + "\"}";
 *   HttpResponse<String> response = http.send(HttpRequest.newBuilder(
 *           URI.create("https://production.plaid.com/webhook_verification_key/get"))
 *       .header("Content-Type", "application/json")
 *       .timeout(Duration.ofSeconds(5))
 *       .POST(HttpRequest.BodyPublishers.ofString(request)).build(),
 *       HttpResponse.BodyHandlers.ofString());
 *   if (response.statusCode() == 400) {
 *     throw new FileNotFoundException("Plaid knows no such key");   // 401 for the delivery
 *   }
 *   if (response.statusCode() != 200) {
 *     throw new IOException("Plaid answered " + response.statusCode());   // 503, retried
 *   }
 *   return response.body();   // {"key": {...JWK...}, "request_id": "..."}: the key member is read
 * };
 * WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).keySource(plaidKeys).build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe; Hookguard calls one at a time per verifier. A JWK set
 * published at a URL needs no code: {@link #jwksUrl(String)}, or {@link #google()} for
 * Google-issued ID tokens.
 */
@FunctionalInterface
public interface JwtKeySource {
  /**
   * Fetches the key a token names, or the sender's whole key set.
   *
   * @param kid the key id of the token being verified (a source that returns its whole set may
   *     ignore it); text from an unverified token, so escape it before putting it in a request
   * @return a JSON document: a JWK set ({@code {"keys":[…]}}, which replaces the cached set), one
   *     JWK with a {@code kid} (added to the cached keys), or an object whose {@code key} member is
   *     such a JWK (Plaid's answer)
   * @throws java.io.FileNotFoundException when the sender says there is no such key: the token is
   *     refused, 401 {@code no-matching-signature}
   * @throws IOException when the keys cannot be fetched now: a token whose key is not cached is
   *     answered 503 {@code key-unavailable} with {@code Retry-After}, and the source is asked
   *     again after the refetch interval (a minute)
   */
  String fetch(String kid) throws IOException;

  /**
   * The JWK set published at an HTTPS URL, fetched with {@link DocumentFetcher#https()} (no
   * redirects, bounded time and size) whenever the cache asks: for an unknown {@code kid} at most
   * once a minute, and when the cached set is an hour old.
   *
   * @param url the set's URL: {@code https}, no user info, port other than 443, query or fragment;
   *     the host is pinned: nothing else is ever fetched
   * @return the source
   * @throws IllegalArgumentException when the URL is not of that form
   */
  static JwtKeySource jwksUrl(String url) {
    return jwksUrl(url, DocumentFetcher.https());
  }

  /**
   * {@link #jwksUrl(String)} through a fetcher of one's own (a proxy; in tests, documents made by
   * the test).
   *
   * @param url the set's URL, of the form {@link #jwksUrl(String)} requires
   * @param fetcher how to fetch it
   * @return the source
   * @throws IllegalArgumentException when the URL is not of that form
   */
  static JwtKeySource jwksUrl(String url, DocumentFetcher fetcher) {
    requireNonNull(fetcher, "fetcher");
    URI uri = pinnedUrl(requireNonNull(url, "url"));
    return new JwtKeySource() {
      @Override
      public String fetch(String kid) throws IOException {
        // The kid is not sent anywhere: the whole set is fetched from the one pinned URL.
        return new String(fetcher.fetch(uri, Jwt.MAX_DOCUMENT_LENGTH), UTF_8);
      }

      @Override
      public String toString() {
        return "JwtKeySource[" + uri + "]";
      }
    };
  }

  /**
   * Google's OAuth 2.0 signing keys, {@link Providers#GOOGLE_JWKS_URL}, for
   * {@link Providers#googleIdToken(String)}.
   *
   * @return the source
   */
  static JwtKeySource google() {
    return jwksUrl(Providers.GOOGLE_JWKS_URL);
  }

  private static URI pinnedUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a JWK set URL must be a URL: " + url);
    }
    if (uri.getHost() == null || uri.getRawPath() == null) {
      throw new IllegalArgumentException("a JWK set URL needs a host and a path: " + url);
    }
    try {
      return RemoteDocuments.pinned(url, Pattern.compile(Pattern.quote(uri.getHost().toLowerCase(java.util.Locale.ROOT))),
          Pattern.compile(Pattern.quote(uri.getRawPath())), RejectionReason.MALFORMED_HEADER, "JWK set URL");
    } catch (Reject reject) {
      throw new IllegalArgumentException("a JWK set URL must be https, without user info, port, query or fragment: "
          + url);
    }
  }
}
