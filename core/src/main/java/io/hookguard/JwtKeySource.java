package io.hookguard;

import java.io.IOException;

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
 *   String request = "{\"client_id\":\"" + clientId + "\",\"secret\":\"" + secret
 *       + "\",\"key_id\":\"" + kid + "\"}";   // kid: the token's, a UUID (escape it if in doubt)
 *   HttpResponse<String> response = http.send(HttpRequest.newBuilder(
 *           URI.create("https://production.plaid.com/webhook_verification_key/get"))
 *       .header("Content-Type", "application/json")
 *       .timeout(Duration.ofSeconds(5))
 *       .POST(HttpRequest.BodyPublishers.ofString(request)).build(),
 *       HttpResponse.BodyHandlers.ofString());
 *   if (response.statusCode() != 200) {
 *     throw new IOException("Plaid answered " + response.statusCode());
 *   }
 *   return response.body();   // {"key": {...JWK...}, "request_id": "..."}: the key member is read
 * };
 * WebhookVerifier verifier = WebhookVerifier.builder(Providers.PLAID).keySource(plaidKeys).build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe; Hookguard calls one at a time per verifier.
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
   * @throws IOException when the keys cannot be fetched now; the token is refused (401) and the
   *     source is asked again after the refetch interval
   */
  String fetch(String kid) throws IOException;
}
