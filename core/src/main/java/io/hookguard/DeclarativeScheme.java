package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A scheme described as data: header families, signature layout and encoding, signed-content
 * template, timestamp location and format, key forms, and where the event id and type live.
 * Described and checked by the public {@link SchemeBuilder}, which users and {@link Providers}
 * alike use: every built-in HMAC and Ed25519/ECDSA scheme but Twilio, Mailgun and Mandrill is
 * one of these (the builder's shared-credential schemes are {@code TokenScheme}s; Travis CI's RSA
 * scheme is hand-written).
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
  /** For {@link SchemeBuilder#numberedSignatureHeaders}: the name before the number, else null. */
  private final @Nullable String numberedPrefix;
  private final int numberedCount;
  private final @Nullable Handshake handshake;
  /** The body timestamp, cut from the fingerprint: the sender's time of sending; null without one. */
  private final @Nullable JsonFields sendingTime;

  /** Built by {@link SchemeBuilder#build()}, which has checked the description. */
  DeclarativeScheme(SchemeBuilder b) {
    super(b.id, b.timestampSource == TimestampSource.NONE ? null : b.tolerance);
    this.families = List.copyOf(b.families());
    this.numberedPrefix = b.numberedPrefix;
    this.numberedCount = b.numberedCount;
    this.handshake = b.handshake;
    this.format = b.format;
    this.encoding = b.encoding;
    this.content = b.content;
    this.timestampSource = b.timestampSource;
    this.timestampFormat = b.timestampFormat;
    this.fields = new EventFields(b.eventId, b.eventType,
        b.timestampSource == TimestampSource.BODY ? requireNonNull(b.timestampJsonField) : null);
    this.sendingTime = b.timestampSource == TimestampSource.BODY
        ? new JsonFields(List.of(requireNonNull(b.timestampJsonField))) : null;
    if (b.usesHmac()) {
      String version = b.hmacVersion();
      HmacAlgorithm algorithm = b.algorithm;
      SecretEncoding secretEncoding = b.secretEncoding;
      Function<String, Keys.HmacKey> keys =
          secret -> new Keys.HmacKey(version, algorithm, secretEncoding.decode(secret));
      this.secretKeys = keys::apply;
      this.signingSecrets = keys::apply;
    } else {
      this.secretKeys = null;
      this.signingSecrets = null;
    }
    SchemeBuilder.PublicKeyAlgorithm publicKeyAlgorithm = b.publicKeyAlgorithm;
    if (publicKeyAlgorithm != null) {
      String version = b.publicKeyVersion();
      PublicKeyEncoding keyEncoding = b.publicKeyEncoding;
      this.publicKeys = key -> publicKey(publicKeyAlgorithm, keyEncoding, version, key);
      this.privateKeys = key -> privateKey(publicKeyAlgorithm, keyEncoding, version, key);
    } else {
      this.publicKeys = null;
      this.privateKeys = null;
    }
    // With {id} in the signed content the event id is the signed header of the family that
    // verified; otherwise it is signed only when every place it may come from is the signed body.
    this.signsEventId = content.usesId()
        || (!b.eventId.isEmpty() && content.usesBody()
            && b.eventId.stream().allMatch(source -> source.jsonPath() != null));
  }

  @Override
  public Optional<Handshake> handshake() {
    return Optional.ofNullable(handshake);
  }

  /** A signed timestamp in the body is the time of sending, new on every retry: not the event's content. */
  @Override
  public byte[] fingerprintContent(WebhookRequest request) {
    return sendingTime == null ? request.body() : sendingTime.without(request.body());
  }

  private static Keys.VerificationKey publicKey(SchemeBuilder.PublicKeyAlgorithm algorithm,
      PublicKeyEncoding encoding, String version, String key) {
    return switch (algorithm) {
      case ED25519 -> encoding.acceptsSubjectPublicKeyInfo()
          ? Keys.ed25519RawOrSpkiPublicKey(version, encoding.decode(key, true))
          : Keys.ed25519PublicKey(version, encoding.decode(key, true));
      case ECDSA_P256 -> Keys.ecdsaP256PublicKey(version,
          PublicKeyEncoding.base64(stripPem(key), "public key"));
    };
  }

  private static Keys.SigningKey privateKey(SchemeBuilder.PublicKeyAlgorithm algorithm,
      PublicKeyEncoding encoding, String version, String key) {
    return switch (algorithm) {
      case ED25519 -> Keys.ed25519PrivateKey(version, encoding.decode(key, false));
      case ECDSA_P256 -> Keys.ecdsaP256PrivateKey(version,
          PublicKeyEncoding.base64(stripPem(key), "private key"));
    };
  }

  /** PEM armour and all whitespace removed: what is left of a PEM key is its base64 DER. */
  private static String stripPem(String key) {
    return key.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
  }

  @Override
  @Nullable String signedIdHeader() {
    return content.usesId() ? families.get(0).id() : null;
  }

  /** Signed id headers get Standard Webhooks' {@code msg_} form; unsigned ones a UUID. */
  @Override
  String newEventId() {
    return content.usesId() ? "msg_" + UUID.randomUUID().toString().replace("-", "") : super.newEventId();
  }

  @Override
  EventFields eventFields() {
    return fields;
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
    HeaderFamily family = null;
    SignatureFormat.Parsed parsed;
    if (numberedPrefix != null) {
      family = families.get(0);
      parsed = numberedSignatures(request, numberedPrefix, family);
    } else {
      // The family whose signature header is present, the first listed first: one lookup each.
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
      parsed = format.parse(signatureValue, family.signature());
    }

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

  /**
   * Every signature in the numbered headers present ({@code prefix1} … {@code prefixN}): the
   * names are walked once rather than looked up N times.
   */
  private SignatureFormat.Parsed numberedSignatures(WebhookRequest request, String prefix, HeaderFamily family) {
    List<SignatureFormat.Candidate> candidates = new ArrayList<>(2);
    for (String name : request.headers().names()) {
      if (headerNumber(name, prefix) > 0) {
        candidates.addAll(format.parse(requireNonNull(optionalHeader(request, name)), name).candidates());
      }
    }
    if (candidates.isEmpty()) {
      throw new Reject(RejectionReason.MISSING_HEADER, family.signature() + " header is missing");
    }
    return new SignatureFormat.Parsed(candidates, null);
  }

  /** The number after the prefix, 1 to the count, without a leading zero; else 0. */
  private int headerNumber(String name, String prefix) {
    int start = prefix.length();
    int length = name.length() - start;
    if (length < 1 || length > 4 || !name.regionMatches(true, 0, prefix, 0, start) || name.charAt(start) == '0') {
      return 0;
    }
    int number = 0;
    for (int i = start; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      number = number * 10 + (c - '0');
    }
    return number <= numberedCount ? number : 0;
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
      id = existing != null ? existing : newEventId();
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
}
