package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A scheme described as data: header families, signature layout and encoding, signed-content
 * template, timestamp location and format, key forms, and where the event id and type live.
 * Every built-in HMAC and Ed25519/ECDSA scheme but Twilio, Mailgun and GitLab is one of these.
 */
final class DeclarativeScheme extends WebhookScheme {

  /** Where the signed timestamp is. */
  enum TimestampSource { NONE, HEADER, SIGNATURE_HEADER, BODY }

  /**
   * The headers one sender family uses together; Standard Webhooks has {@code webhook-*} and
   * Svix's {@code svix-*}, and the family whose signature header is present is used.
   */
  record HeaderFamily(String signature, @Nullable String timestamp, @Nullable String id,
      String noMatchingSignature, String unsupportedVersion) {
    HeaderFamily(String signature, @Nullable String timestamp, @Nullable String id) {
      // The details of the commonest rejections, built once rather than on every forgery.
      this(signature, timestamp, id,
          mismatchDetail(RejectionReason.NO_MATCHING_SIGNATURE, signature),
          mismatchDetail(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION, signature));
    }
  }

  private final List<HeaderFamily> families;
  private final SignatureFormat format;
  private final SignatureEncoding encoding;
  private final ContentTemplate content;
  private final TimestampSource timestampSource;
  private final TimestampFormat timestampFormat;
  private final EventFields fields;
  private final @Nullable Function<String, Keys.VerificationKey> secretKeys;
  private final @Nullable Function<String, Keys.VerificationKey> publicKeys;
  private final @Nullable Function<String, Keys.SigningKey> signingSecrets;
  private final @Nullable Function<String, Keys.SigningKey> privateKeys;
  private final boolean signsEventId;

  private DeclarativeScheme(Builder b) {
    super(b.id, b.timestampSource == TimestampSource.NONE ? null : b.tolerance);
    this.families = List.copyOf(b.families);
    this.format = requireNonNull(b.format, "format");
    this.encoding = b.encoding;
    this.content = requireNonNull(b.content, "content");
    this.timestampSource = b.timestampSource;
    this.timestampFormat = b.timestampFormat;
    this.fields = new EventFields(b.eventId, b.eventType, b.bodyTimestampPath);
    this.secretKeys = b.secretKeys;
    this.publicKeys = b.publicKeys;
    this.signingSecrets = b.signingSecrets;
    this.privateKeys = b.privateKeys;
    // With {id} in the signed content the event id is the signed header of the family that
    // verified; otherwise it is signed only when every place it may come from is the signed body.
    this.signsEventId = content.usesId()
        || (!b.eventId.isEmpty() && content.usesBody()
            && b.eventId.stream().allMatch(source -> source.jsonPath() != null));
    if (families.isEmpty()) {
      throw new IllegalStateException(b.id + ": a signature header is required");
    }
    if (content.usesTimestamp() && timestampSource == TimestampSource.NONE) {
      throw new IllegalStateException(b.id + ": the signed content uses {timestamp}, but no timestamp source is set");
    }
    if (timestampSource == TimestampSource.SIGNATURE_HEADER && !format.carriesTimestamp()) {
      throw new IllegalStateException(b.id + ": the signature format carries no timestamp");
    }
    for (HeaderFamily family : families) {
      if (content.usesId() && family.id() == null) {
        throw new IllegalStateException(b.id + ": the signed content uses {id}, but no id header is set");
      }
      if (timestampSource == TimestampSource.HEADER && family.timestamp() == null) {
        throw new IllegalStateException(b.id + ": a timestamp header is required");
      }
    }
  }

  static Builder builder(String id) {
    return new Builder(id);
  }

  @Override
  public boolean hasTimestamp() {
    return timestampSource != TimestampSource.NONE;
  }

  @Override
  public boolean signsEventId() {
    return signsEventId;
  }

  @Override
  public boolean signsUrl() {
    return content.usesUrl();
  }

  @Override
  public boolean usesPublicKeys() {
    return secretKeys == null && publicKeys != null;
  }

  @Override
  Keys.VerificationKey secretKey(String secret) {
    return secretKeys == null ? super.secretKey(secret)
        : secretKeys.apply(requireSecretText(secret, "secret"));
  }

  @Override
  Keys.VerificationKey publicKey(String publicKey) {
    return publicKeys == null ? super.publicKey(publicKey)
        : publicKeys.apply(requireSecretText(publicKey, "public key"));
  }

  @Override
  Keys.SigningKey signingSecret(String secret) {
    return signingSecrets == null ? super.signingSecret(secret)
        : signingSecrets.apply(requireSecretText(secret, "secret"));
  }

  @Override
  Keys.SigningKey privateKey(String privateKey) {
    return privateKeys == null ? super.privateKey(privateKey)
        : privateKeys.apply(requireSecretText(privateKey, "private key"));
  }

  @Override
  VerificationResult doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    if (content.usesUrl()) {
      requireUrl(request, id());
    }
    // The family whose signature header is present, the first listed first: one lookup each.
    HeaderFamily family = null;
    String signatureValue = null;
    for (HeaderFamily candidate : families) {
      signatureValue = optionalHeader(request, candidate.signature());
      if (signatureValue != null) {
        family = candidate;
        break;
      }
    }
    if (family == null || signatureValue == null) {
      throw new Reject(RejectionReason.MISSING_HEADER, families.get(0).signature() + " header is missing");
    }
    SignatureFormat.Parsed parsed = format.parse(signatureValue, family.signature());

    String timestampText = "";
    Instant timestamp = null;
    if (timestampSource == TimestampSource.HEADER) {
      timestampText = requiredHeader(request, requireNonNull(family.timestamp()));
      timestamp = timestampFormat.parse(timestampText);
      if (timestamp == null) {
        throw malformedTimestamp(timestampFormat, family.timestamp() + " header");
      }
    } else if (timestampSource == TimestampSource.SIGNATURE_HEADER) {
      timestampText = requireNonNull(parsed.timestamp());
      timestamp = timestampFormat.parse(timestampText);
      if (timestamp == null) {
        throw malformedTimestamp(timestampFormat, "the timestamp in " + family.signature());
      }
    }
    String id = content.usesId() ? requiredHeader(request, requireNonNull(family.id())) : "";

    SignedContent signed = content.bind(request, timestampText, id);
    // The commonest rejection (a forged or mis-keyed delivery) is returned, not thrown: cheaper
    // under a flood of forgeries.
    RejectionReason mismatch = signatureMismatch(parsed.candidates(), encoding, keys, signed);
    if (mismatch != null) {
      return new Rejection(id(), mismatch, mismatch == RejectionReason.NO_MATCHING_SIGNATURE
          ? family.noMatchingSignature() : family.unsupportedVersion());
    }

    if (timestampSource == TimestampSource.BODY) {
      // The window needs the body's timestamp now; id and type come from the same read.
      EventFields.Values values = fields.read(request);
      String bodyTimestamp = values.bodyTimestamp();
      if (bodyTimestamp == null) {
        throw new Reject(RejectionReason.UNREADABLE_BODY, "the body carries no signed timestamp");
      }
      timestamp = parseTimestamp(timestampFormat, bodyTimestamp, "the body timestamp");
      window.check(timestamp);
      return new VerifiedWebhook(id(), content.usesId() ? signedId(id) : values.id(), timestamp, values.type());
    }
    if (timestamp != null) {
      window.check(timestamp);
    }
    if (content.usesId()) {
      // The id that was signed, from the family that verified: never another family's unsigned
      // header, which a replay could set to anything.
      String signedId = signedId(id);
      return new VerifiedWebhook(id(), timestamp, () -> new String[] {signedId, fields.read(request).type()});
    }
    return new VerifiedWebhook(id(), timestamp, () -> {
      EventFields.Values values = fields.read(request);
      return new String[] {values.id(), values.type()};
    });
  }

  private static @Nullable String signedId(String id) {
    return id.isBlank() ? null : id.strip();
  }

  /**
   * Accepts when any configured key matches any received signature of that key's version.
   * Signatures that do not decode canonically match nothing.
   */
  static void checkSignatures(List<SignatureFormat.Candidate> candidates, SignatureEncoding encoding,
      List<Keys.VerificationKey> keys, SignedContent content, String where) {
    RejectionReason mismatch = signatureMismatch(candidates, encoding, keys, content);
    if (mismatch != null) {
      throw new Reject(mismatch, mismatchDetail(mismatch, where));
    }
  }

  /** Null when a candidate matches a key; else why not. */
  static @Nullable RejectionReason signatureMismatch(List<SignatureFormat.Candidate> candidates,
      SignatureEncoding encoding, List<Keys.VerificationKey> keys, SignedContent content) {
    boolean versionChecked = false;
    for (Keys.VerificationKey key : keys) {
      // Nearly every delivery carries one signature per version: no list for that case.
      byte[] first = null;
      List<byte[]> all = null;
      for (SignatureFormat.Candidate candidate : candidates) {
        if (candidate.version().equals(key.version)) {
          versionChecked = true;
          byte[] decoded = encoding.decode(candidate.text(), candidate.start(), candidate.end());
          if (decoded == null) {
            continue;
          }
          if (first == null) {
            first = decoded;
          } else {
            if (all == null) {
              all = new ArrayList<>(candidates.size());
              all.add(first);
            }
            all.add(decoded);
          }
        }
      }
      if (first != null && key.verify(content, all != null ? all : List.of(first))) {
        return null;
      }
    }
    return versionChecked ? RejectionReason.NO_MATCHING_SIGNATURE : RejectionReason.UNSUPPORTED_SIGNATURE_VERSION;
  }

  private static String mismatchDetail(RejectionReason reason, String where) {
    return reason == RejectionReason.UNSUPPORTED_SIGNATURE_VERSION
        ? where + " carries no signature of a version this endpoint checks"
        : "no signature in " + where + " matches a configured key";
  }

  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    if (content.usesUrl()) {
      requireUrl(request, id());
    }
    HeaderFamily family = families.get(0);
    String timestampText = switch (timestampSource) {
      case HEADER, SIGNATURE_HEADER -> timestampFormat.format(now);
      case NONE, BODY -> "";
    };
    String id = "";
    if (content.usesId()) {
      String existing = request.headers().first(requireNonNull(family.id()));
      id = existing != null ? existing : "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
    byte[] signature = key.sign(content.bind(request, timestampText, id));
    WebhookRequest.Builder signed = request.toBuilder().setHeader(
        family.signature(), format.render(key.version(), encoding.encode(signature), timestampText));
    if (timestampSource == TimestampSource.HEADER) {
      signed.setHeader(requireNonNull(family.timestamp()), timestampText);
    }
    if (content.usesId()) {
      signed.setHeader(requireNonNull(family.id()), id);
    }
    return signed.build();
  }

  /** Describes a scheme; validated when built. */
  static final class Builder {
    private final String id;
    private final List<HeaderFamily> families = new ArrayList<>(2);
    private @Nullable SignatureFormat format;
    private SignatureEncoding encoding = SignatureEncoding.HEX;
    private @Nullable ContentTemplate content;
    private TimestampSource timestampSource = TimestampSource.NONE;
    private TimestampFormat timestampFormat = TimestampFormat.UNIX_SECONDS;
    private @Nullable String bodyTimestampPath;
    private Duration tolerance = Duration.ofMinutes(5);
    private final List<FieldSource> eventId = new ArrayList<>(2);
    private final List<FieldSource> eventType = new ArrayList<>(2);
    private @Nullable Function<String, Keys.VerificationKey> secretKeys;
    private @Nullable Function<String, Keys.VerificationKey> publicKeys;
    private @Nullable Function<String, Keys.SigningKey> signingSecrets;
    private @Nullable Function<String, Keys.SigningKey> privateKeys;

    private Builder(String id) {
      this.id = id;
    }

    Builder headers(String signature, @Nullable String timestamp, @Nullable String id) {
      families.add(new HeaderFamily(signature, timestamp, id));
      return this;
    }

    Builder signatureHeader(String signature) {
      return headers(signature, null, null);
    }

    Builder format(SignatureFormat format) {
      this.format = format;
      return this;
    }

    Builder encoding(SignatureEncoding encoding) {
      this.encoding = encoding;
      return this;
    }

    Builder content(String template) {
      this.content = ContentTemplate.parse(template);
      return this;
    }

    Builder timestampInHeader(TimestampFormat format) {
      this.timestampSource = TimestampSource.HEADER;
      this.timestampFormat = format;
      return this;
    }

    Builder timestampInSignatureHeader(TimestampFormat format) {
      this.timestampSource = TimestampSource.SIGNATURE_HEADER;
      this.timestampFormat = format;
      return this;
    }

    Builder timestampInBody(String dottedPath, TimestampFormat format) {
      this.timestampSource = TimestampSource.BODY;
      this.bodyTimestampPath = dottedPath;
      this.timestampFormat = format;
      return this;
    }

    Builder tolerance(Duration tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    Builder eventId(FieldSource... sources) {
      eventId.addAll(List.of(sources));
      return this;
    }

    Builder eventType(FieldSource... sources) {
      eventType.addAll(List.of(sources));
      return this;
    }

    /** HMAC with the version tag of the format's single signature kind. */
    Builder hmac(HmacAlgorithm algorithm, SecretEncoding secretEncoding) {
      return hmac(requireNonNull(format, "set the format first").defaultVersion(), algorithm, secretEncoding);
    }

    Builder hmac(String version, HmacAlgorithm algorithm, SecretEncoding secretEncoding) {
      Function<String, Keys.HmacKey> keys =
          secret -> new Keys.HmacKey(version, algorithm, secretEncoding.decode(secret));
      this.secretKeys = keys::apply;
      this.signingSecrets = keys::apply;
      return this;
    }

    Builder publicKeys(Function<String, Keys.VerificationKey> publicKeys,
        Function<String, Keys.SigningKey> privateKeys) {
      this.publicKeys = publicKeys;
      this.privateKeys = privateKeys;
      return this;
    }

    DeclarativeScheme build() {
      return new DeclarativeScheme(this);
    }
  }
}
