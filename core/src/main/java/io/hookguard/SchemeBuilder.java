package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Describes how a sender signs its webhooks; start with {@link WebhookScheme#builder(String)} (or
 * {@link WebhookScheme#hmac(String)}, the same builder). Every built-in scheme in
 * {@link Providers} but Twilio, Mailgun, Mandrill and Travis CI is written with this builder. For example, a
 * sender that puts {@code X-Acme-Signature: sha256=<hex of HMAC-SHA256({timestamp}.{body})>} and
 * {@code X-Acme-Timestamp} on each delivery:
 *
 * <pre>{@code
 * WebhookScheme acme = WebhookScheme.builder("acme")
 *     .signatureHeader("X-Acme-Signature").prefix("sha256=")
 *     .timestampHeader("X-Acme-Timestamp", TimestampFormat.UNIX_SECONDS)
 *     .signedContent("{timestamp}.{body}")
 *     .eventIdHeader("X-Acme-Delivery")
 *     .build();
 * }</pre>
 *
 * <p>A description has:
 * <ul>
 *   <li><b>Headers</b>: the signature header (with alternative spellings), its timestamp and id
 *       headers, and further {@linkplain #headerFamily header families}. The first family whose
 *       signature header is present is used; its timestamp and id headers are the signed ones.
 *   <li><b>Signature layout</b>: {@link #prefix}, {@link #keyValueList} or {@link #versionedList},
 *       and its {@link #encoding}.
 *   <li><b>What is signed</b>: {@link #signedContent}.
 *   <li><b>Timestamp</b>: none, {@link #timestampHeader}, {@link #timestampInSignatureHeader} or
 *       {@link #timestampJsonField}, with the {@link #defaultTolerance}.
 *   <li><b>Keys</b>: HMAC ({@link #algorithm}, {@link #secretEncoding}), public keys
 *       ({@link #ed25519PublicKeys}, {@link #ecdsaP256PublicKeys}), or both. HMAC is checked
 *       unless public keys are set; with public keys, HMAC is checked too only when
 *       {@code algorithm} or {@code secretEncoding} is called (Standard Webhooks: {@code v1}
 *       HMAC and {@code v1a} Ed25519).
 *   <li><b>Event id and type</b>: headers or JSON body fields, several in priority order.
 *   <li><b>Or a shared credential</b> instead of a signature, for senders that sign nothing:
 *       {@link #sharedToken()} (the header is the secret) or {@link #basicAuth()}.
 * </ul>
 *
 * <p>Defaults: HMAC-SHA256, lower-case hex, UTF-8 secret, a bare signature, {@code {body}} signed,
 * no timestamp, ±5 minutes once a timestamp is set, no event id or type. Setters replace what an
 * earlier call of the same setter set, except {@link #headerFamily} and the event id and type
 * sources, which add. Arguments are checked when given; whether the description as a whole is
 * consistent is checked by {@link #build()}. A builder is not thread-safe; the scheme it builds is
 * immutable and thread-safe.
 */
public final class SchemeBuilder {
  /** Which public-key signature the scheme checks. */
  enum PublicKeyAlgorithm { ED25519, ECDSA_P256 }

  final String id;
  private final List<String> signatureHeaders = new ArrayList<>(2);
  private @Nullable String timestampHeader;
  private @Nullable String idHeader;
  private final List<DeclarativeScheme.HeaderFamily> moreFamilies = new ArrayList<>(1);
  @Nullable String numberedPrefix;
  int numberedCount;
  /** The prefix given to {@link #prefix}; null once another signature layout is chosen. */
  private @Nullable String prefixText = "";
  private boolean contentSet;
  private TokenScheme.@Nullable Form tokenForm;
  SignatureFormat format = SignatureFormat.prefixed("");
  @Nullable String versionTag;
  @Nullable String publicKeyVersionTag;
  HmacAlgorithm algorithm = HmacAlgorithm.SHA256;
  SecretEncoding secretEncoding = SecretEncoding.UTF8;
  private boolean hmacSet;
  @Nullable PublicKeyAlgorithm publicKeyAlgorithm;
  PublicKeyEncoding publicKeyEncoding = PublicKeyEncoding.BASE64;
  SignatureEncoding encoding = SignatureEncoding.HEX;
  ContentTemplate content = ContentTemplate.parse("{body}");
  DeclarativeScheme.TimestampSource timestampSource = DeclarativeScheme.TimestampSource.NONE;
  TimestampFormat timestampFormat = TimestampFormat.UNIX_SECONDS;
  @Nullable String timestampJsonField;
  Duration tolerance = Duration.ofMinutes(5);
  final List<FieldSource> eventId = new ArrayList<>(2);
  final List<FieldSource> eventType = new ArrayList<>(2);
  @Nullable Handshake handshake;

  SchemeBuilder(String id) {
    this.id = WebhookScheme.checkId(id);
  }

  // ---- Headers ----

  /**
   * The header carrying the signature. Required. Alternative names are for senders that use
   * more than one spelling (Shopify: {@code X-Shopify-Hmac-Sha256} and
   * {@code Shopify-Hmac-Sha256}): the first present is read, and all share the timestamp and id
   * headers set with {@link #timestampHeader} and {@link #idHeader}. The first name is the one a
   * {@link WebhookSigner} writes.
   *
   * @param name the header name
   * @param alternativeNames further names of the same header, tried in order after {@code name}
   * @return this builder
   * @throws IllegalArgumentException when a name is blank
   */
  public SchemeBuilder signatureHeader(String name, String... alternativeNames) {
    List<String> names = new ArrayList<>(1 + alternativeNames.length);
    names.add(headerName(name, "name"));
    for (String alternative : alternativeNames) {
      names.add(headerName(alternative, "alternativeNames"));
    }
    signatureHeaders.clear();
    signatureHeaders.addAll(names);
    numberedPrefix = null;
    return this;
  }

  /**
   * The signatures are in numbered headers, {@code prefix + 1} to {@code prefix + count}, one
   * per key the sender signs with at the time (DocuSign Connect sends
   * {@code X-DocuSign-Signature-1}, {@code X-DocuSign-Signature-2}, … one per active HMAC key).
   * Every one of them present is read, and a delivery verifies when any signature in any of them
   * matches any configured key, so a key can be rotated on either side in any order. The headers
   * share the timestamp and id headers; header names outside the range, or with a leading zero,
   * are not read. A {@link WebhookSigner} writes {@code prefix + 1}. Replaces
   * {@link #signatureHeader}, and {@code signatureHeader} replaces it.
   *
   * @param prefix the header name before the number, for example {@code X-DocuSign-Signature-}
   * @param count the highest number read, 1 to 1000
   * @return this builder
   * @throws IllegalArgumentException when the prefix is blank or the count out of range
   */
  public SchemeBuilder numberedSignatureHeaders(String prefix, int count) {
    headerName(prefix, "prefix");
    if (count < 1 || count > 1000) {
      throw new IllegalArgumentException("count must be 1 to 1000: " + count);
    }
    signatureHeaders.clear();
    signatureHeaders.add(prefix + 1);
    numberedPrefix = prefix;
    numberedCount = count;
    return this;
  }

  /**
   * Another set of headers the sender may use instead of the {@link #signatureHeader} ones, such
   * as Svix's {@code svix-*} beside Standard Webhooks' {@code webhook-*}. Families are tried in
   * the order given, after the signature header: the first whose signature header is present is
   * used, and its own timestamp and id headers are the ones read and signed (never another
   * family's, which a replay could set to anything). The timestamp format is the one given to
   * {@link #timestampHeader}. Each call adds a family.
   *
   * @param signatureHeader the family's signature header
   * @param timestampHeader its timestamp header; {@code null} exactly when the timestamp is not
   *     in a header
   * @param idHeader its id header, required when the signed content uses {@code {id}}; else
   *     {@code null}
   * @return this builder
   * @throws IllegalArgumentException when a name is blank
   */
  public SchemeBuilder headerFamily(String signatureHeader, @Nullable String timestampHeader,
      @Nullable String idHeader) {
    moreFamilies.add(new DeclarativeScheme.HeaderFamily(headerName(signatureHeader, "signatureHeader"),
        timestampHeader == null ? null : headerName(timestampHeader, "timestampHeader"),
        idHeader == null ? null : headerName(idHeader, "idHeader")));
    return this;
  }

  /**
   * The header whose value {@code {id}} stands for in the signed content (Standard Webhooks'
   * {@code webhook-id}, Twitch's message id). With {@code {id}} signed, this header is also the
   * event id, whatever {@link #eventIdHeader} says.
   *
   * @param name the header name
   * @return this builder
   * @throws IllegalArgumentException when the name is blank
   */
  public SchemeBuilder idHeader(String name) {
    this.idHeader = headerName(name, "name");
    return this;
  }

  // ---- Signature layout ----

  /**
   * The header holds one signature after a fixed prefix such as {@code sha256=} ({@code ""} for
   * a bare signature, the default).
   *
   * @param prefix the prefix
   * @return this builder
   */
  public SchemeBuilder prefix(String prefix) {
    this.format = SignatureFormat.prefixed(requireNonNull(prefix, "prefix"));
    this.prefixText = prefix;
    this.versionTag = null;
    this.publicKeyVersionTag = null;
    return this;
  }

  /**
   * The header is a list of {@code key=value} items, such as {@code t=…,v1=…}: every item named
   * {@code signatureKey} is a signature, and the item named {@code timestampKey} (if not null) is
   * the timestamp, which is then read from there (as with
   * {@link #timestampInSignatureHeader}, in {@link TimestampFormat#UNIX_SECONDS} unless that says
   * otherwise). Other items are ignored.
   *
   * @param separator the item separator, usually {@code ','} or {@code ';'}
   * @param signatureKey the key of signature items, for example {@code v1}
   * @param timestampKey the key of the timestamp item, or {@code null} when there is none
   * @return this builder
   */
  public SchemeBuilder keyValueList(char separator, String signatureKey, @Nullable String timestampKey) {
    this.format = SignatureFormat.keyValueList(separator, requireNonNull(signatureKey, "signatureKey"), timestampKey);
    this.prefixText = null;
    this.versionTag = null;
    this.publicKeyVersionTag = null;
    if (timestampKey != null) {
      this.timestampSource = DeclarativeScheme.TimestampSource.SIGNATURE_HEADER;
      this.timestampHeader = null;
    }
    return this;
  }

  /**
   * The header is a space-separated list of {@code version,signature} entries, as in Standard
   * Webhooks; entries of the given version are checked (with HMAC, or with the public keys when
   * the scheme uses those only).
   *
   * @param version the version tag to check, for example {@code v1}
   * @return this builder
   */
  public SchemeBuilder versionedList(String version) {
    this.format = SignatureFormat.versionedList();
    this.prefixText = null;
    this.versionTag = requireNonNull(version, "version");
    this.publicKeyVersionTag = null;
    return this;
  }

  /**
   * A {@link #versionedList(String)} whose HMAC and public-key signatures carry different version
   * tags, as Standard Webhooks' {@code v1} (HMAC) and {@code v1a} (Ed25519). The scheme must use
   * both kinds of key (see the class description).
   *
   * @param hmacVersion the version tag of HMAC signatures
   * @param publicKeyVersion the version tag of public-key signatures
   * @return this builder
   */
  public SchemeBuilder versionedList(String hmacVersion, String publicKeyVersion) {
    versionedList(hmacVersion);
    this.publicKeyVersionTag = requireNonNull(publicKeyVersion, "publicKeyVersion");
    return this;
  }

  /**
   * How the signature is written; lower-case hex by default.
   *
   * @param encoding the encoding
   * @return this builder
   */
  public SchemeBuilder encoding(SignatureEncoding encoding) {
    this.encoding = requireNonNull(encoding, "encoding");
    return this;
  }

  // ---- What is signed ----

  /**
   * What is signed, as a template over {@code {body}} (required), {@code {timestamp}} (as
   * received), {@code {id}} (the {@link #idHeader}), {@code {url}}, {@code {decoded-url}} (the
   * URL with the escapes of {@code : / ? @ ! $ ' ( ) * , ;} decoded, as HubSpot signs it) and
   * {@code {method}}, with literal UTF-8 text between them. {@code {body}} by default.
   *
   * @param template for example {@code {id}.{timestamp}.{body}}
   * @return this builder
   * @throws IllegalArgumentException when the template has no {@code {body}}, an unknown
   *     placeholder or an unclosed brace
   */
  public SchemeBuilder signedContent(String template) {
    this.content = ContentTemplate.parse(requireNonNull(template, "template"));
    this.contentSet = true;
    return this;
  }

  // ---- Timestamp ----

  /**
   * The timestamp is in its own header (for {@link #headerFamily header families}, in theirs).
   * The timestamp has one place: this replaces {@link #timestampInSignatureHeader} and
   * {@link #timestampJsonField}, and they replace it.
   *
   * @param name the header name
   * @param format how it is written
   * @return this builder
   * @throws IllegalArgumentException when the name is blank
   */
  public SchemeBuilder timestampHeader(String name, TimestampFormat format) {
    this.timestampHeader = headerName(name, "name");
    this.timestampFormat = requireNonNull(format, "format");
    this.timestampSource = DeclarativeScheme.TimestampSource.HEADER;
    return this;
  }

  /**
   * The timestamp is the signature header's timestamp item (see {@link #keyValueList}).
   *
   * @param format how it is written
   * @return this builder
   */
  public SchemeBuilder timestampInSignatureHeader(TimestampFormat format) {
    this.timestampFormat = requireNonNull(format, "format");
    this.timestampSource = DeclarativeScheme.TimestampSource.SIGNATURE_HEADER;
    this.timestampHeader = null;
    return this;
  }

  /**
   * The timestamp is a field of the JSON body (Linear's {@code webhookTimestamp}), read after
   * the signature matched; a delivery whose body lacks it is refused. Being checked against the
   * window, it is the sender's time of sending, which a retry hours later carries anew (an event's
   * own time would make every late retry stale): so dedup's fingerprint leaves its value out
   * ({@link WebhookScheme#fingerprintContent}), and a re-stamped retry is still a retry.
   *
   * @param dottedPath the field, for example {@code meta.sentAt}
   * @param format how it is written
   * @return this builder
   */
  public SchemeBuilder timestampJsonField(String dottedPath, TimestampFormat format) {
    this.timestampJsonField = requireNonNull(dottedPath, "dottedPath");
    this.timestampFormat = requireNonNull(format, "format");
    this.timestampSource = DeclarativeScheme.TimestampSource.BODY;
    this.timestampHeader = null;
    return this;
  }

  /**
   * The default window on each side of now; five minutes unless set. It applies only when the
   * scheme has a timestamp; a verifier may configure another.
   *
   * @param tolerance a non-negative duration
   * @return this builder
   * @throws IllegalArgumentException when the tolerance is negative
   */
  public SchemeBuilder defaultTolerance(Duration tolerance) {
    if (requireNonNull(tolerance, "tolerance").isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
    }
    this.tolerance = tolerance;
    return this;
  }

  // ---- Keys ----

  /**
   * The HMAC algorithm; HMAC-SHA256 by default. Calling it makes the scheme check HMAC
   * signatures even when public keys are set.
   *
   * @param algorithm the algorithm
   * @return this builder
   */
  public SchemeBuilder algorithm(HmacAlgorithm algorithm) {
    this.algorithm = requireNonNull(algorithm, "algorithm");
    this.hmacSet = true;
    return this;
  }

  /**
   * How configured secrets become HMAC key bytes; UTF-8 by default. Calling it makes the scheme
   * check HMAC signatures even when public keys are set.
   *
   * @param secretEncoding the encoding
   * @return this builder
   */
  public SchemeBuilder secretEncoding(SecretEncoding secretEncoding) {
    this.secretEncoding = requireNonNull(secretEncoding, "secretEncoding");
    this.hmacSet = true;
    return this;
  }

  /**
   * Signatures are Ed25519, checked with the sender's public key written as {@code encoding}
   * (Discord: {@link PublicKeyEncoding#HEX}; Standard Webhooks:
   * {@link PublicKeyEncoding#STANDARD_WEBHOOKS}). Verifiers take the key with
   * {@code publicKey(...)}; signers (for tests) the private key with {@code privateKey(...)}.
   * Replaces an earlier {@link #ecdsaP256PublicKeys()}.
   *
   * @param encoding how the keys are written
   * @return this builder
   */
  public SchemeBuilder ed25519PublicKeys(PublicKeyEncoding encoding) {
    this.publicKeyEncoding = requireNonNull(encoding, "encoding");
    this.publicKeyAlgorithm = PublicKeyAlgorithm.ED25519;
    return this;
  }

  /**
   * Signatures are ECDSA over P-256 with SHA-256, DER-encoded (then written in the
   * {@link #encoding}; SendGrid: base64). The public key is the base64 DER X.509
   * SubjectPublicKeyInfo, with or without PEM armour; the private key that signs, base64 DER
   * PKCS#8, with or without PEM armour. Replaces an earlier {@link #ed25519PublicKeys}.
   *
   * @return this builder
   */
  public SchemeBuilder ecdsaP256PublicKeys() {
    this.publicKeyEncoding = PublicKeyEncoding.BASE64;
    this.publicKeyAlgorithm = PublicKeyAlgorithm.ECDSA_P256;
    return this;
  }

  // ---- Shared credentials instead of a signature ----

  /**
   * The signature header carries the shared secret itself, after the {@link #prefix} if one is
   * set (Telegram's {@code X-Telegram-Bot-Api-Secret-Token}; {@code Authorization} with
   * {@code prefix("Bearer ")}; a custom header a sender such as Azure DevOps or Dialogflow lets
   * you add). The secrets given to the verifier are the accepted tokens, any of which may match
   * (rotation); each is compared whole, in constant time. Nothing about the body is proven:
   * {@link WebhookScheme#signsEventId()} is false, so deduplication also keys on the body, and a
   * captured delivery can be replayed or altered by whoever holds the token. The scheme has no
   * timestamp and signs nothing; {@link #build()} refuses a description that says otherwise.
   *
   * @return this builder
   */
  public SchemeBuilder sharedToken() {
    this.tokenForm = TokenScheme.Form.TOKEN;
    return this;
  }

  /**
   * The signature header (normally {@code Authorization}) carries HTTP basic authentication,
   * {@code Basic base64(user:password)} (RFC 7617; the scheme name in any case, the base64
   * canonical), as Postmark sends the credentials of its webhook URL. The secrets given to the
   * verifier are {@code user:password} pairs, any of which may match; each is compared whole, in
   * constant time. As with {@link #sharedToken()}, nothing about the body is proven.
   *
   * @return this builder
   */
  public SchemeBuilder basicAuth() {
    this.tokenForm = TokenScheme.Form.BASIC;
    return this;
  }

  // ---- Event id and type ----

  /**
   * The event id (what deduplication keys on) may be in this header. Each call, of this method
   * or {@link #eventIdJsonField}, adds a place; they are tried in the order given, and the first
   * present and not blank is the id. When the signed content uses {@code {id}}, the signed id
   * header of the family that verified is the id instead.
   *
   * @param name the header name
   * @return this builder
   * @throws IllegalArgumentException when the name is blank
   */
  public SchemeBuilder eventIdHeader(String name) {
    eventId.add(FieldSource.header(headerName(name, "name")));
    return this;
  }

  /**
   * The event id may be this field of the JSON body; adds a place, as {@link #eventIdHeader}.
   *
   * @param dottedPath the field, for example {@code id} or {@code event.id}
   * @return this builder
   */
  public SchemeBuilder eventIdJsonField(String dottedPath) {
    eventId.add(FieldSource.json(requireNonNull(dottedPath, "dottedPath")));
    return this;
  }

  /**
   * The event type may be in this header. Each call, of this method or
   * {@link #eventTypeJsonField}, adds a place; they are tried in the order given, and the first
   * present and not blank is the type.
   *
   * @param name the header name
   * @return this builder
   * @throws IllegalArgumentException when the name is blank
   */
  public SchemeBuilder eventTypeHeader(String name) {
    eventType.add(FieldSource.header(headerName(name, "name")));
    return this;
  }

  /**
   * The event type may be this field of the JSON body; adds a place, as
   * {@link #eventTypeHeader}.
   *
   * @param dottedPath the field, for example {@code type}
   * @return this builder
   */
  public SchemeBuilder eventTypeJsonField(String dottedPath) {
    eventType.add(FieldSource.json(requireNonNull(dottedPath, "dottedPath")));
    return this;
  }

  // ---- Handshake ----

  /**
   * The handshake the sender proves an endpoint with, which Hookguard answers (see
   * {@link Handshake}); none by default.
   *
   * @param handshake the handshake: any but {@link Handshake#BRAINTREE_CHALLENGE}, which only
   *     {@link Providers#BRAINTREE}'s key pairs answer
   * @return this builder
   * @throws IllegalArgumentException for {@link Handshake#BRAINTREE_CHALLENGE}
   */
  public SchemeBuilder handshake(Handshake handshake) {
    if (requireNonNull(handshake, "handshake") == Handshake.BRAINTREE_CHALLENGE) {
      throw new IllegalArgumentException(id + ": the bt_challenge handshake is answered with Braintree key pairs;"
          + " use Providers.BRAINTREE");
    }
    this.handshake = handshake;
    return this;
  }

  // ---- Build ----

  /**
   * Makes the scheme. The builder may be changed and built again afterwards; schemes already
   * built do not change.
   *
   * @return the scheme
   * @throws IllegalStateException when the description is incomplete or inconsistent: no
   *     signature header; a signature header named twice; numbered signature headers with header
   *     families or a timestamp inside them; {@code {timestamp}} signed without a timestamp
   *     source; a timestamp item read from a signature layout that has none; a header family
   *     without the timestamp or id header the description needs, or with a timestamp header it
   *     does not; {@code versionedList(hmacVersion, publicKeyVersion)} without both kinds of key;
   *     a handshake on a {@code sharedToken} or {@code basicAuth} scheme; the Zoom handshake on a
   *     scheme that is not HMAC only
   */
  public WebhookScheme build() {
    if (signatureHeaders.isEmpty()) {
      throw new IllegalStateException(id + ": signatureHeader is required");
    }
    List<DeclarativeScheme.HeaderFamily> families = families();
    Set<String> seen = new HashSet<>();
    for (DeclarativeScheme.HeaderFamily family : families) {
      if (!seen.add(family.signature().toLowerCase(Locale.ROOT))) {
        throw new IllegalStateException(id + ": the signature header " + family.signature()
            + " is named twice");
      }
    }
    if (content.usesTimestamp() && timestampSource == DeclarativeScheme.TimestampSource.NONE) {
      throw new IllegalStateException(id + ": the signed content uses {timestamp}, but no timestamp source is set");
    }
    if (timestampSource == DeclarativeScheme.TimestampSource.SIGNATURE_HEADER && !format.carriesTimestamp()) {
      throw new IllegalStateException(id + ": the signature format carries no timestamp");
    }
    boolean inHeader = timestampSource == DeclarativeScheme.TimestampSource.HEADER;
    for (DeclarativeScheme.HeaderFamily family : families) {
      boolean primary = signatureHeaders.contains(family.signature());
      if (content.usesId() && family.id() == null) {
        throw new IllegalStateException(id + ": the signed content uses {id}, but "
            + (primary ? "no id header is set" : "header family " + family.signature() + " has no id header"));
      }
      if (inHeader && family.timestamp() == null) {
        throw new IllegalStateException(id + ": header family " + family.signature()
            + " has no timestamp header, and the timestamp is read from one");
      }
      if (!inHeader && family.timestamp() != null) {
        throw new IllegalStateException(id + ": header family " + family.signature()
            + " names timestamp header " + family.timestamp()
            + ", but the timestamp is not read from a header (see timestampHeader)");
      }
    }
    if (numberedPrefix != null && !moreFamilies.isEmpty()) {
      throw new IllegalStateException(id + ": numberedSignatureHeaders cannot be combined with header families");
    }
    if (numberedPrefix != null && format.carriesTimestamp()) {
      throw new IllegalStateException(id + ": numberedSignatureHeaders cannot carry the timestamp in the"
          + " signature headers (each could carry another)");
    }
    if (publicKeyVersionTag != null && (publicKeyAlgorithm == null || !usesHmac())) {
      throw new IllegalStateException(id + ": versionedList(" + versionTag + ", " + publicKeyVersionTag
          + ") names HMAC and public-key versions, so the scheme needs both: set ed25519PublicKeys"
          + " or ecdsaP256PublicKeys, and algorithm or secretEncoding");
    }
    if (handshake != null && tokenForm != null) {
      throw new IllegalStateException(id + ": sharedToken and basicAuth schemes take no handshake");
    }
    if (handshake == Handshake.ZOOM_URL_VALIDATION && (!usesHmac() || publicKeyAlgorithm != null)) {
      throw new IllegalStateException(id + ": the Zoom url_validation answer is an HMAC with the secret;"
          + " the scheme must be HMAC only");
    }
    if (tokenForm != null) {
      return buildTokenScheme(tokenForm);
    }
    return new DeclarativeScheme(this);
  }

  /** A credential compared whole: one header, nothing signed, no timestamp, no keys of another kind. */
  private WebhookScheme buildTokenScheme(TokenScheme.Form form) {
    String what = form == TokenScheme.Form.BASIC ? "basicAuth" : "sharedToken";
    if (signatureHeaders.size() != 1 || !moreFamilies.isEmpty() || numberedPrefix != null) {
      throw new IllegalStateException(id + ": " + what + " reads exactly one header: no alternative"
          + " spellings, header families or numbered headers");
    }
    if (prefixText == null) {
      throw new IllegalStateException(id + ": " + what + " compares the whole header value: use prefix,"
          + " not keyValueList or versionedList");
    }
    if (form == TokenScheme.Form.BASIC && !prefixText.isEmpty()) {
      throw new IllegalStateException(id + ": basicAuth reads the Basic prefix itself; set no prefix");
    }
    if (contentSet || timestampSource != DeclarativeScheme.TimestampSource.NONE || idHeader != null) {
      throw new IllegalStateException(id + ": " + what + " signs nothing: no signedContent, timestamp"
          + " or id header");
    }
    if (publicKeyAlgorithm != null || hmacSet) {
      throw new IllegalStateException(id + ": " + what + " takes the credentials as secrets: no"
          + " algorithm, secretEncoding or public keys");
    }
    return new TokenScheme(id, signatureHeaders.get(0), prefixText, form, eventId, eventType);
  }

  /** The header families in the order they are tried: the signature header's names first. */
  List<DeclarativeScheme.HeaderFamily> families() {
    List<DeclarativeScheme.HeaderFamily> families = new ArrayList<>(signatureHeaders.size() + moreFamilies.size());
    for (String name : signatureHeaders) {
      families.add(new DeclarativeScheme.HeaderFamily(name, timestampHeader, idHeader));
    }
    families.addAll(moreFamilies);
    return families;
  }

  /** Whether HMAC signatures are checked: unless only public keys are described. */
  boolean usesHmac() {
    return publicKeyAlgorithm == null || hmacSet;
  }

  /** The version tag HMAC signatures carry. */
  String hmacVersion() {
    return versionTag != null ? versionTag : format.defaultVersion();
  }

  /** The version tag public-key signatures carry. */
  String publicKeyVersion() {
    return publicKeyVersionTag != null ? publicKeyVersionTag : hmacVersion();
  }

  private static String headerName(@Nullable String name, String what) {
    if (requireNonNull(name, what).isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return name;
  }
}
