package io.hookguard;

import io.hookguard.internal.Sha256;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Twilio signs the URL it called. Form posts: HMAC-SHA1 over the URL followed by every POST
 * parameter, sorted by name, as {@code name + value}. JSON posts: the URL carries
 * {@code bodySHA256=<hex sha256 of the body>} and only the URL is signed. Any other non-empty body
 * is refused: nothing would sign it. Like Twilio's own SDKs,
 * the URL is also tried with the default port added or removed, since proxies change it.
 */
final class TwilioScheme extends HmacKeyedScheme {
  static final String SIGNATURE_HEADER = "X-Twilio-Signature";
  private static final String BODY_HASH_PARAMETER = "bodySHA256";
  private static final Map<String, Integer> DEFAULT_PORTS = Map.of("https", 443, "http", 80);

  private final EventFields fields = new EventFields(
      List.of(FieldSource.header("I-Twilio-Idempotency-Token")), List.of(), null);

  TwilioScheme() {
    super("twilio", null, HmacAlgorithm.SHA1, "auth token");
  }

  /** {@code I-Twilio-Idempotency-Token} is not part of what Twilio signs. */
  @Override
  public boolean signsEventId() {
    return false;
  }

  @Override
  EventFields eventFields() {
    return fields;
  }

  @Override
  public boolean signsUrl() {
    return true;
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    requireUrl(request, id());
    String signature = requiredHeader(request, SIGNATURE_HEADER);
    String url = request.url();
    String bodyHash = queryParameter(url, BODY_HASH_PARAMETER);
    List<String[]> parameters = bodyHash != null ? List.of() : SortedForm.parameters(request);
    SortedForm.checkAnyUrlVariant(signature, SIGNATURE_HEADER, keys, url, parameters);
    if (bodyHash == null && !SortedForm.isForm(request) && request.body().length > 0) {
      // Without bodySHA256 the signature covers the URL and the form fields only: any other body
      // would reach the application unsigned beside a URL-only signature (a GET webhook's).
      throw new Reject(RejectionReason.UNREADABLE_BODY,
          "Twilio signs a body only as form fields or through bodySHA256 in the URL; this body is neither");
    }
    if (bodyHash != null) {
      byte[] expected = Codec.decodeHex(bodyHash);
      if (expected == null || !java.security.MessageDigest.isEqual(expected, Sha256.digest(request.body()))) {
        throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
            "the body does not match the signed bodySHA256");
      }
    }
    EventFields.Values values = fields.read(request);
    return new VerifiedWebhook(id(), values.id(), null, values.type());
  }

  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    requireUrl(request, id());
    String url = request.url();
    List<String[]> parameters;
    if (SortedForm.isForm(request)) {
      parameters = SortedForm.parameters(request);
    } else {
      parameters = List.of();
      if (queryParameter(url, BODY_HASH_PARAMETER) == null) {
        url = url + (url.indexOf('?') < 0 ? '?' : '&') + BODY_HASH_PARAMETER + "="
            + Codec.encodeHex(Sha256.digest(request.body()));
      }
    }
    byte[] signature = key.sign(SortedForm.content(url, parameters));
    return request.toBuilder().url(url)
        .setHeader(SIGNATURE_HEADER, Codec.encodeBase64(signature)).build();
  }

  /**
   * The sorted, decoded form parameters Twilio signs (each name and value followed by a NUL), so
   * that the same parameters re-encoded or reordered are the same delivery; the body itself for
   * JSON deliveries, whose bytes the signed {@code bodySHA256} covers.
   */
  @Override
  public byte[] replayContent(WebhookRequest request) {
    if (queryParameter(request.url(), BODY_HASH_PARAMETER) != null) {
      return request.body();
    }
    return SortedForm.replayContent(request);
  }

  static @Nullable String queryParameter(String url, String name) {
    int query = url.indexOf('?');
    if (query < 0) {
      return null;
    }
    int fragment = url.indexOf('#', query);
    String rawQuery = url.substring(query + 1, fragment < 0 ? url.length() : fragment);
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return null;
  }

  /** The URL as given, then the same URL with the scheme's default port added or removed. */
  static List<String> urlVariants(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return List.of(url);
    }
    String scheme = uri.getScheme();
    String authority = uri.getRawAuthority();
    Integer defaultPort = scheme == null ? null : DEFAULT_PORTS.get(scheme.toLowerCase(Locale.ROOT));
    if (defaultPort == null || authority == null) {
      return List.of(url);
    }
    // A URI has an authority only right after "scheme://".
    int authorityStart = scheme.length() + 3;
    String before = url.substring(0, authorityStart);
    String after = url.substring(authorityStart + authority.length());
    if (uri.getPort() == -1) {
      return List.of(url, before + authority + ":" + defaultPort + after);
    }
    if (uri.getPort() == defaultPort) {
      String withoutPort = authority.substring(0, authority.length() - (":" + defaultPort).length());
      return List.of(url, before + withoutPort + after);
    }
    return List.of(url);
  }
}
