package io.hookguard.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.hookguard.Providers;
import io.hookguard.WebhookHeaders;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookScheme;
import io.hookguard.WebhookSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One webhook delivery as a sender would send it, signed when it is sent: the signature, the
 * timestamp, and the event id and type where the sender puts them (headers or body), for every
 * built-in sender in {@link Providers#all()} and for schemes of your own.
 *
 * <pre>{@code
 * TestWebhook push = TestWebhook.of(Providers.GITHUB).eventType("push").json(payload);
 * mockMvc.perform(post("/webhooks/github").with(WebhookMockMvc.signed(push))).andExpect(status().isOk());
 * mockMvc.perform(post("/webhooks/github").with(WebhookMockMvc.signed(push.tamperedBody())))
 *     .andExpect(status().isUnauthorized());
 * }</pre>
 *
 * <p>Without a body, a small sample of what the sender sends is made up, with a fresh event id in
 * the sender's form ({@code evt_…} for Stripe, a UUID for GitHub) and a common type. The id is
 * chosen when the delivery is made: sending the same {@code TestWebhook} twice is the sender's
 * retry of one event (the same id and body, signed afresh), which deduplication acknowledges as a
 * replay. Each {@code with}-style method returns a new, changed copy; instances are immutable and
 * may be shared between tests.
 *
 * <p>Some senders send no event id at all: Zoom, HubSpot, SendGrid, Logto, DocuSign, Meta,
 * Mandrill, Travis CI, and the {@code basic-auth} and {@code bearer-token} schemes. Their test
 * deliveries carry none either ({@link #expectedEventId()} is empty), so an endpoint that
 * deduplicates refuses them with 400 {@code missing-event-id} by default, as it would the real
 * sender's: configure it to run them ({@code hookguard.endpoints.<name>.missing-event-id: run},
 * or {@code WebhookEndpoint.Builder.missingEventId(MissingEventId.RUN)}). It then deduplicates
 * them on the signed body, so sending one {@code TestWebhook} twice is still a replay, and two
 * made-up deliveries differ in their bodies.
 */
public final class TestWebhook {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookScheme scheme;
  private final String key;
  private final Clock clock;
  private final Instant eventTime;
  private final long seed;
  private final String eventId;
  private final boolean eventIdGiven;
  private final String eventType;
  private final boolean eventTypeGiven;
  private final byte @Nullable [] body;
  private final @Nullable String contentType;
  private final @Nullable String url;
  private final List<String[]> headers;
  private final @Nullable Instant sentAt;
  private final Duration shift;
  private final boolean wrongKey;
  private final boolean tamperBody;

  private TestWebhook(WebhookScheme scheme, String key, Clock clock, Instant eventTime, long seed,
      String eventId, boolean eventIdGiven, String eventType, boolean eventTypeGiven,
      byte @Nullable [] body, @Nullable String contentType, @Nullable String url, List<String[]> headers,
      @Nullable Instant sentAt, Duration shift, boolean wrongKey, boolean tamperBody) {
    this.scheme = scheme;
    this.key = key;
    this.clock = clock;
    this.eventTime = eventTime;
    this.seed = seed;
    this.eventId = eventId;
    this.eventIdGiven = eventIdGiven;
    this.eventType = eventType;
    this.eventTypeGiven = eventTypeGiven;
    this.body = body;
    this.contentType = contentType;
    this.url = url;
    this.headers = headers;
    this.sentAt = sentAt;
    this.shift = shift;
    this.wrongKey = wrongKey;
    this.tamperBody = tamperBody;
  }

  /**
   * A delivery signed with the test kit's key for the scheme ({@link TestKeys#signingKey}):
   * configure the endpoint under test with {@link TestKeys#verificationKey}.
   *
   * @param scheme the sender's scheme, e.g. {@link Providers#STRIPE}
   * @return the delivery
   * @throws IllegalArgumentException for a public-key scheme the kit has no key pair for
   */
  public static TestWebhook of(WebhookScheme scheme) {
    return of(scheme, TestKeys.signingKey(scheme));
  }

  /**
   * A delivery signed with the given key.
   *
   * @param scheme the sender's scheme
   * @param key the secret, as the endpoint is configured with it; for public-key senders
   *     (Discord, SendGrid, Telnyx, Travis CI, Standard Webhooks {@code v1a}) the private key
   * @return the delivery
   * @throws IllegalArgumentException when the key is not of the scheme's form
   */
  public static TestWebhook of(WebhookScheme scheme, String key) {
    requireNonNull(scheme, "scheme");
    requireNonNull(key, "key");
    signer(scheme, key, Clock.systemUTC()); // fail fast on a key of the wrong form
    Senders.Sample sample = Senders.sample(scheme.id());
    Clock clock = Clock.systemUTC();
    return new TestWebhook(scheme, key, clock, clock.instant(), RANDOM.nextLong(),
        Senders.newEventId(scheme.id()), false, sample.type(), false, null, null, null, List.of(),
        null, Duration.ZERO, false, false);
  }

  /**
   * A delivery for a built-in sender by its id ({@code stripe}, {@code github}, …), signed with
   * the test kit's key.
   *
   * @param providerId the id, as in {@code hookguard.endpoints.<name>.provider}
   * @return the delivery
   * @throws IllegalArgumentException when no built-in scheme has that id
   */
  public static TestWebhook of(String providerId) {
    if ("google-id-token".equals(providerId)) {
      // Made per audience: the kit cannot know which one the endpoint expects.
      throw new IllegalArgumentException("google-id-token deliveries are for an audience: use "
          + "TestWebhook.of(Providers.googleIdToken(audience)) (with the service account's email where the endpoint requires it)");
    }
    return of(Providers.byId(providerId).orElseThrow(
        () -> new IllegalArgumentException("no built-in provider '" + providerId + "'")));
  }

  private TestWebhook copy(byte @Nullable [] body, @Nullable String contentType, @Nullable String url,
      List<String[]> headers) {
    return new TestWebhook(scheme, key, clock, eventTime, seed, eventId, eventIdGiven, eventType,
        eventTypeGiven, body, contentType, url, headers, sentAt, shift, wrongKey, tamperBody);
  }

  /**
   * The body to sign, as bytes sent exactly; the content type stays the sample's unless set.
   *
   * @param body the raw body
   * @return the changed copy
   */
  public TestWebhook body(byte[] body) {
    return copy(requireNonNull(body, "body").clone(), contentType, url, headers);
  }

  /**
   * The body to sign, as UTF-8.
   *
   * @param body the body text
   * @return the changed copy
   */
  public TestWebhook body(String body) {
    return body(requireNonNull(body, "body").getBytes(UTF_8));
  }

  /**
   * A JSON body ({@code Content-Type: application/json}). For senders that carry the event id in
   * the body (Stripe's {@code id}, Slack's {@code event_id}, …) it must carry it there; an
   * {@link #eventId} or {@link #eventType} it does not carry is refused when the delivery is signed.
   *
   * @param json the body text
   * @return the changed copy
   */
  public TestWebhook json(String json) {
    return body(json).contentType("application/json");
  }

  /**
   * A form body ({@code Content-Type: application/x-www-form-urlencoded}), such as a Slack slash
   * command or a Twilio callback.
   *
   * @param form the encoded form, e.g. {@code command=%2Fdeploy&text=prod}
   * @return the changed copy
   */
  public TestWebhook form(String form) {
    return body(form).contentType("application/x-www-form-urlencoded");
  }

  /**
   * The {@code Content-Type} header.
   *
   * @param contentType the media type
   * @return the changed copy
   */
  public TestWebhook contentType(String contentType) {
    return copy(body, requireNonNull(contentType, "contentType"), url, headers);
  }

  /**
   * A further header, sent as given (after the ones signing sets; a header signing sets cannot be
   * overridden this way, use the tampering methods).
   *
   * @param name the header name
   * @param value the value
   * @return the changed copy
   */
  public TestWebhook header(String name, String value) {
    List<String[]> more = new ArrayList<>(headers);
    more.add(new String[] {requireNonNull(name, "name"), requireNonNull(value, "value")});
    return copy(body, contentType, url, List.copyOf(more));
  }

  /**
   * The full URL the sender signs, for the senders that sign it (Twilio, Square, HubSpot, Mandrill): the
   * endpoint's {@code public-origin} plus its path, e.g. {@code https://hooks.example.com/webhooks/twilio}.
   * Without it the adapters sign the URL they send to, which an endpoint with a public origin
   * does not accept.
   *
   * @param url the absolute URL
   * @return the changed copy
   */
  public TestWebhook url(String url) {
    URI parsed = URI.create(requireNonNull(url, "url"));
    if (!parsed.isAbsolute()) {
      throw new IllegalArgumentException("url must be absolute: " + url);
    }
    return copy(body, contentType, url, headers);
  }

  /**
   * The event id instead of a made-up one. For senders that carry it in the body, a made-up body
   * carries it; a body you set must. Adyen's id is {@code eventCode:pspReference:success}, and
   * its event code is then the delivery's type unless {@link #eventType} says otherwise.
   *
   * @param eventId the id
   * @return the changed copy
   */
  public TestWebhook eventId(String eventId) {
    if (requireNonNull(eventId, "eventId").isBlank()) {
      throw new IllegalArgumentException("eventId must not be blank");
    }
    String type = eventTypeGiven ? eventType : Senders.typeOfId(scheme.id(), eventId, eventType);
    return new TestWebhook(scheme, key, clock, eventTime, seed, eventId, true, type,
        eventTypeGiven, body, contentType, url, headers, sentAt, shift, wrongKey, tamperBody);
  }

  /**
   * The event type instead of the sample's ({@code push}, {@code invoice.paid}, …), where the
   * sender sends one. A made-up Adyen id takes the type as its event code.
   *
   * @param eventType the type
   * @return the changed copy
   */
  public TestWebhook eventType(String eventType) {
    if (requireNonNull(eventType, "eventType").isBlank()) {
      throw new IllegalArgumentException("eventType must not be blank");
    }
    String id = eventIdGiven ? eventId : Senders.idOfType(scheme.id(), eventId, eventType);
    return new TestWebhook(scheme, key, clock, eventTime, seed, id, eventIdGiven, eventType,
        true, body, contentType, url, headers, sentAt, shift, wrongKey, tamperBody);
  }

  /**
   * The clock signing reads the time from; the system clock by default. Give it the
   * {@link TestClock} the verifier under test uses.
   *
   * @param clock the clock
   * @return the changed copy
   */
  public TestWebhook clock(Clock clock) {
    requireNonNull(clock, "clock");
    return new TestWebhook(scheme, key, clock, clock.instant(), seed, eventId, eventIdGiven, eventType,
        eventTypeGiven, body, contentType, url, headers, sentAt, shift, wrongKey, tamperBody);
  }

  /**
   * Signs as if sent at this time instead of the clock's.
   *
   * @param sentAt the signed timestamp
   * @return the changed copy
   */
  public TestWebhook sentAt(Instant sentAt) {
    return new TestWebhook(scheme, key, clock, eventTime, seed, eventId, eventIdGiven, eventType,
        eventTypeGiven, body, contentType, url, headers, requireNonNull(sentAt, "sentAt"), shift,
        wrongKey, tamperBody);
  }

  // ---- Tampering, for negative tests ----

  /**
   * Tampering: signed validly, then one bit of the last letter or digit of the body flipped, so
   * the body differs from what was signed (and stays the same kind of text). Refused with 401
   * {@code no-matching-signature} by every sender but Mailgun, GitLab, Telegram, {@code basic-auth},
   * {@code bearer-token} and Google ID tokens, which sign no body.
   *
   * @return the changed copy
   */
  public TestWebhook tamperedBody() {
    return new TestWebhook(scheme, key, clock, eventTime, seed, eventId, eventIdGiven, eventType,
        eventTypeGiven, body, contentType, url, headers, sentAt, shift, wrongKey, true);
  }

  /**
   * Tampering: a valid signature over a timestamp this far from the time of sending (negative:
   * in the past), e.g. {@code Duration.ofMinutes(-10)} for a stale delivery, refused with 401
   * {@code timestamp-too-old} by senders with a timestamp window.
   *
   * @param shift how far to move the signed timestamp
   * @return the changed copy
   */
  public TestWebhook timestampShiftedBy(Duration shift) {
    return new TestWebhook(scheme, key, clock, eventTime, seed, eventId, eventIdGiven, eventType,
        eventTypeGiven, body, contentType, url, headers, sentAt, shift.plus(this.shift), wrongKey, tamperBody);
  }

  /**
   * Tampering: signed with another valid key of the same form than the one the endpoint checks,
   * refused with 401 {@code no-matching-signature}.
   *
   * @return the changed copy
   */
  public TestWebhook signedWithWrongKey() {
    return new TestWebhook(scheme, key, clock, eventTime, seed, eventId, eventIdGiven, eventType,
        eventTypeGiven, body, contentType, url, headers, sentAt, shift, true, tamperBody);
  }

  // ---- What it is ----

  /**
   * The sender's scheme.
   *
   * @return the scheme
   */
  public WebhookScheme scheme() {
    return scheme;
  }

  /**
   * The event id this delivery carries, where the kit chose it: the made-up or given id; empty
   * for senders without event ids and for a body you set without {@link #eventId}, whose own
   * id is what counts.
   *
   * @return the id
   */
  public Optional<String> expectedEventId() {
    if (!eventIdGiven && (!carriesId() || (body != null && idInBody()))) {
      return Optional.empty();
    }
    return Optional.of(eventId);
  }

  // ---- Signed, for each client ----

  /**
   * The signed delivery as Hookguard's neutral request, for core-level tests
   * ({@code WebhookVerifier.verify}, {@code DeliveryLifecycle}). Signed now; each call signs anew.
   *
   * @return the signed request, without URL unless {@link #url} set one
   * @throws IllegalArgumentException when the scheme signs the URL and none is set
   */
  public WebhookRequest request() {
    return sign("POST", url);
  }

  /**
   * The signed delivery for a request to this URL: the URL signed is {@link #url}'s if set, else
   * this one. The adapters ({@link WebhookMockMvc}, {@link WebhookWebTestClient}, …) use it.
   *
   * @param method the HTTP method (POST for every sender)
   * @param requestUrl the absolute URL the request goes to
   * @return the signed request
   */
  public WebhookRequest request(String method, String requestUrl) {
    return sign(requireNonNull(method, "method"), url != null ? url : requireNonNull(requestUrl, "requestUrl"));
  }

  /**
   * The signed delivery as a {@code java.net.http} request to this URI (POST, body and headers
   * as signed), for tests against a running server.
   *
   * @param uri the absolute URI to send to; signed for URL-signing senders unless {@link #url} is set
   * @return the request, ready for {@code HttpClient.send}
   */
  public HttpRequest httpRequest(URI uri) {
    WebhookRequest signed = request("POST", uri.toString());
    // Twilio JSON deliveries carry bodySHA256 in the signed URL's query: send it along.
    URI target = URI.create(Paths.sent(uri.toString(), signed));
    HttpRequest.Builder builder = HttpRequest.newBuilder(target)
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    WebhookHeaders headers = signed.headers();
    for (String name : headers.names()) {
      for (String value : headers.all(name)) {
        builder.header(name, value);
      }
    }
    return builder.build();
  }

  private WebhookRequest sign(String method, @Nullable String signedUrl) {
    Instant at = (sentAt != null ? sentAt : clock.instant()).plus(shift);
    byte[] bytes = body != null ? body
        // SNS's signed Timestamp is the publish time, inside the body: a shifted timestamp moves it there.
        : Senders.body(scheme.id(), eventId, eventType, scheme.id().equals("aws-sns") ? eventTime.plus(shift) : eventTime,
            at, seed).getBytes(UTF_8);
    String type = contentType != null ? contentType : Senders.sample(scheme.id()).contentType();
    WebhookRequest.Builder unsigned = WebhookRequest.builder().method(method).body(bytes)
        .header("Content-Type", type);
    if (signedUrl != null) {
      unsigned.url(signedUrl);
    }
    String typeHeader = Senders.sample(scheme.id()).typeHeader();
    if (typeHeader != null) {
      unsigned.header(typeHeader, eventType);
    }
    // Where the id or type lives in a header (the signed message id of the Standard Webhooks
    // presets included), the signer puts it there; where it lives in the body, a made-up body
    // carries it, and a given body is checked only for what the test asked.
    boolean setId = eventIdGiven || (carriesId() && (body == null || !idInBody()));
    WebhookSigner.Delivery delivery = signer(scheme, wrongKey ? TestKeys.otherSigningKey(scheme, key) : key, clock)
        .delivery(unsigned.build()).sentAt(at);
    if (setId) {
      delivery.eventId(eventId);
    }
    if (eventTypeGiven || (carriesType() && (body == null || !typeInBody()))) {
      delivery.eventType(eventType);
    }
    WebhookRequest signed = delivery.sign();
    WebhookRequest.Builder sent = signed.toBuilder();
    for (String[] header : headers) {
      sent.header(header[0], header[1]);
    }
    if (tamperBody) {
      sent.body(flipLastLetterOrDigit(signed.body()));
    }
    return sent.build();
  }

  /**
   * Built-in senders whose deliveries carry no event id ({@link #NO_EVENT_ID}), or no event type.
   * Hand-kept, as what each scheme reads is not public API; TestWebhookTest signs every built-in.
   */
  private static final Set<String> NO_EVENT_ID = Set.of("zoom", "hubspot", "sendgrid", "logto", "docusign",
      "meta", "mandrill", "travis-ci", "basic-auth", "bearer-token", "braintree",
      "plaid");
  private static final Set<String> NO_TYPE = Set.of("hubspot", "sendgrid", "twilio", "replicate",
      "mandrill", "travis-ci", "telegram", "basic-auth", "bearer-token", "braintree", "google-id-token");
  /** Built-in senders that carry the id, or the type, in the body (the rest in a header). */
  private static final Set<String> ID_IN_BODY = Set.of("stripe", "slack", "paddle", "square",
      "intercom", "mailgun", "discord", "pagerduty", "typeform", "circleci", "vercel", "telegram", "telnyx",
      "adyen", "google-id-token");
  private static final Set<String> TYPE_IN_HEADER = Set.of("github", "github-sha1", "shopify", "twitch", "gitlab",
      "woocommerce", "bitbucket", "gitea", "forgejo");

  // For a scheme of the user's own the kit does not know where ids live: only what is given is set.
  private boolean carriesId() {
    return isBuiltIn() && !NO_EVENT_ID.contains(scheme.id());
  }

  private boolean carriesType() {
    return isBuiltIn() && !NO_TYPE.contains(scheme.id());
  }

  private boolean idInBody() {
    return ID_IN_BODY.contains(scheme.id());
  }

  private boolean typeInBody() {
    return !TYPE_IN_HEADER.contains(scheme.id());
  }

  private boolean isBuiltIn() {
    // Google ID token schemes are built per audience (Providers.googleIdToken), so by id.
    return Providers.byId(scheme.id()).filter(builtIn -> builtIn == scheme).isPresent()
        || scheme.id().equals("google-id-token");
  }

  private static byte[] flipLastLetterOrDigit(byte[] body) {
    byte[] copy = Arrays.copyOf(body, body.length);
    for (int i = copy.length - 1; i >= 0; i--) {
      if (Character.isLetterOrDigit(copy[i]) && copy[i] < 0x80) {
        // Letters and digits ^ 1 stay letters or digits but for 'o' (0x6f -> 'n'), '9' -> '8': text stays text.
        copy[i] ^= 1;
        return copy;
      }
    }
    if (copy.length == 0) {
      throw new IllegalStateException("an empty body has no byte to flip");
    }
    copy[copy.length - 1] ^= 1;
    return copy;
  }

  private static WebhookSigner signer(WebhookScheme scheme, String key, Clock clock) {
    WebhookSigner.Builder builder = WebhookSigner.builder(scheme).clock(clock);
    return scheme.usesPublicKeys() || isPrivateKeyForm(scheme, key)
        ? builder.privateKey(key).build() : builder.secret(key).build();
  }

  /** Standard Webhooks takes a {@code whsk_} private key for v1a; every other HMAC scheme a secret. */
  private static boolean isPrivateKeyForm(WebhookScheme scheme, String key) {
    return key.toLowerCase(Locale.ROOT).startsWith("whsk_");
  }

  @Override
  public String toString() {
    return "TestWebhook[" + scheme.id() + (wrongKey ? ", wrong key" : "") + (tamperBody ? ", tampered body" : "")
        + (shift.isZero() ? "" : ", timestamp shifted " + shift) + "]";
  }
}
