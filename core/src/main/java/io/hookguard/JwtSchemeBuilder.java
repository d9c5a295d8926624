package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Describes a sender that authenticates each delivery with a signed JWT in a header
 * ({@link WebhookScheme#jwt(String)}): Plaid's {@code Plaid-Verification}, Google-issued ID
 * tokens ({@link Providers#googleIdToken(String)}). Keys are given to the verifier, by key id: a
 * JWK set or {@code <kid>:<PEM>} as {@link WebhookVerifier.Builder#publicKey(String)}, or a
 * {@link JwtKeySource} as {@link WebhookVerifier.Builder#keySource(JwtKeySource)}.
 *
 * <pre>{@code
 * WebhookScheme acme = WebhookScheme.jwt("acme")
 *     .bearerHeader("Authorization")
 *     .algorithm(JwtAlgorithm.RS256)
 *     .issuer("https://issuer.acme.example")
 *     .audience("https://hooks.example.com/acme")
 *     .requireExpiry()
 *     .eventIdJsonField("id")
 *     .build();
 * }</pre>
 *
 * <p>Unless {@link #bodySha256Claim(String)} names a claim that carries the body's hash, the token
 * authenticates the sender, not the bytes: anyone holding one valid token (a proxy that logged it)
 * can send any body with it until it expires. Deduplication then keys on the body as well.
 */
public final class JwtSchemeBuilder {
  final String id;
  String header = "Authorization";
  boolean bearer = true;
  JwtAlgorithm algorithm = JwtAlgorithm.RS256;
  final List<String> issuers = new ArrayList<>(2);
  @Nullable String audience;
  @Nullable String email;
  @Nullable String bodyHashClaim;
  boolean requireExpiry;
  Duration maxAge = Duration.ofMinutes(5);
  Duration leeway = Duration.ofSeconds(60);
  private final List<FieldSource> eventId = new ArrayList<>(1);
  final List<String> perAttempt = new ArrayList<>(1);
  private final List<FieldSource> eventType = new ArrayList<>(2);
  private boolean joinedType;

  JwtSchemeBuilder(String id) {
    this.id = WebhookScheme.checkId(id);
  }

  /**
   * The token is the whole value of this header (Plaid: {@code Plaid-Verification}).
   *
   * @param name the header name
   * @return this builder
   */
  public JwtSchemeBuilder header(String name) {
    this.header = requireText(name, "name");
    this.bearer = false;
    return this;
  }

  /**
   * The token follows {@code Bearer } (in any case) in this header, as in
   * {@code Authorization: Bearer <token>}; the default, in {@code Authorization}.
   *
   * @param name the header name
   * @return this builder
   */
  public JwtSchemeBuilder bearerHeader(String name) {
    this.header = requireText(name, "name");
    this.bearer = true;
    return this;
  }

  /**
   * The one algorithm tokens must name; {@link JwtAlgorithm#RS256} by default.
   *
   * @param algorithm the algorithm
   * @return this builder
   */
  public JwtSchemeBuilder algorithm(JwtAlgorithm algorithm) {
    this.algorithm = requireNonNull(algorithm, "algorithm");
    return this;
  }

  /**
   * Accepted values of the {@code iss} claim (any one); without, the issuer is not checked.
   *
   * @param issuer an issuer
   * @param more further accepted spellings (Google: with and without {@code https://})
   * @return this builder
   */
  public JwtSchemeBuilder issuer(String issuer, String... more) {
    issuers.add(requireText(issuer, "issuer"));
    for (String other : more) {
      issuers.add(requireText(other, "issuer"));
    }
    return this;
  }

  /**
   * The audience this endpoint is: the {@code aud} claim (a string, or an array) must contain it.
   *
   * @param audience the audience, for example the push endpoint's URL
   * @return this builder
   */
  public JwtSchemeBuilder audience(String audience) {
    this.audience = requireText(audience, "audience");
    return this;
  }

  /**
   * Accepts only tokens whose {@code email} claim is this address and whose
   * {@code email_verified} claim is {@code true} (Google: the push subscription's service account).
   *
   * @param email the address
   * @return this builder
   */
  public JwtSchemeBuilder email(String email) {
    this.email = requireText(email, "email");
    return this;
  }

  /**
   * This claim holds the lower-case hex SHA-256 of the exact body (Plaid:
   * {@code request_body_sha256}), compared in constant time: the token then signs the bytes.
   *
   * @param claim the claim name
   * @return this builder
   */
  public JwtSchemeBuilder bodySha256Claim(String claim) {
    this.bodyHashClaim = requireText(claim, "claim");
    return this;
  }

  /**
   * Refuses tokens without an {@code exp} claim (it is checked whenever present).
   *
   * @return this builder
   */
  public JwtSchemeBuilder requireExpiry() {
    this.requireExpiry = true;
    return this;
  }

  /**
   * How old the {@code iat} claim may be when the verifier sets no tolerance; five minutes by
   * default.
   *
   * @param maxAge a positive duration
   * @return this builder
   */
  public JwtSchemeBuilder maxAge(Duration maxAge) {
    this.maxAge = positive(maxAge, "maxAge");
    return this;
  }

  /**
   * Clock skew allowed for {@code iat} and {@code nbf} in the future and for {@code exp} in the
   * past, when the verifier sets no future tolerance; 60 seconds by default.
   *
   * @param leeway a non-negative duration
   * @return this builder
   */
  public JwtSchemeBuilder leeway(Duration leeway) {
    if (requireNonNull(leeway, "leeway").isNegative()) {
      throw new IllegalArgumentException("leeway must not be negative: " + leeway);
    }
    this.leeway = leeway;
    return this;
  }

  /**
   * The event id is this field of the JSON body (signed only with {@link #bodySha256Claim}).
   *
   * @param dottedPath the field, for example {@code message.messageId}
   * @return this builder
   */
  public JwtSchemeBuilder eventIdJsonField(String dottedPath) {
    eventId.add(FieldSource.json(requireText(dottedPath, "dottedPath")));
    return this;
  }

  /**
   * A field of the JSON body the sender changes on every attempt of one event (Pub/Sub's
   * {@code deliveryAttempt}), left out of the dedup fingerprint
   * ({@link WebhookScheme#fingerprintContent}) so that a retry is still a retry, not a different
   * body under the same event id.
   *
   * @param dottedPath the field, for example {@code deliveryAttempt}
   * @return this builder
   */
  public JwtSchemeBuilder perAttemptJsonField(String dottedPath) {
    perAttempt.add(requireText(dottedPath, "dottedPath"));
    return this;
  }

  /**
   * The event type is this field of the JSON body.
   *
   * @param dottedPath the field
   * @return this builder
   */
  public JwtSchemeBuilder eventTypeJsonField(String dottedPath) {
    eventType.add(FieldSource.json(requireText(dottedPath, "dottedPath")));
    return this;
  }

  /**
   * The event type is two fields of the JSON body joined by a dot (Plaid:
   * {@code webhook_type.webhook_code}, such as {@code TRANSACTIONS.SYNC_UPDATES_AVAILABLE}),
   * or the one of them present.
   *
   * @param first the first field
   * @param second the second field
   * @return this builder
   */
  public JwtSchemeBuilder eventTypeJsonFields(String first, String second) {
    eventType.clear();
    eventType.add(FieldSource.json(requireText(first, "first")));
    eventType.add(FieldSource.json(requireText(second, "second")));
    joinedType = true;
    return this;
  }

  /**
   * Makes the scheme.
   *
   * @return the scheme
   * @throws IllegalStateException when the description cannot be checked safely: no issuer,
   *     audience or body hash claim (any token of any party holding a key would do)
   */
  public WebhookScheme build() {
    if (issuers.isEmpty() && audience == null && bodyHashClaim == null) {
      throw new IllegalStateException(id + ": a JWT scheme needs an issuer, an audience or a body"
          + " hash claim, or any token signed by the key would be accepted for anything");
    }
    return new JwtScheme(this);
  }

  EventFields eventFields() {
    if (!joinedType) {
      return new EventFields(eventId, eventType, null);
    }
    List<String> paths = new ArrayList<>();
    eventId.forEach(source -> paths.add(source.jsonPath()));
    paths.add(eventType.get(0).jsonPath());
    paths.add(eventType.get(1).jsonPath());
    JsonFields json = new JsonFields(paths);
    int ids = eventId.size();
    return EventFields.readBy(eventId, eventType, request -> {
      @Nullable String[] values = json.read(request.body());
      String id = null;
      for (int i = 0; i < ids && id == null; i++) {
        id = values[i];
      }
      String a = values[ids];
      String b = values[ids + 1];
      String type = a != null && b != null ? a + "." + b : a != null ? a : b;
      return new EventFields.Values(id, type, null);
    });
  }

  private static String requireText(String text, String what) {
    if (requireNonNull(text, what).isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return text;
  }

  private static Duration positive(Duration duration, String what) {
    if (requireNonNull(duration, what).isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + duration);
    }
    return duration;
  }
}
