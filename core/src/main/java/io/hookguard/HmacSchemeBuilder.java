package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Describes an HMAC scheme for a sender Hookguard does not ship; start with
 * {@link WebhookScheme#hmac(String)}. For example, a sender that puts
 * {@code X-Acme-Signature: sha256=<hex of HMAC-SHA256({timestamp}.{body})>} and
 * {@code X-Acme-Timestamp} on each delivery:
 *
 * <pre>{@code
 * WebhookScheme acme = WebhookScheme.hmac("acme")
 *     .signatureHeader("X-Acme-Signature").prefix("sha256=")
 *     .timestampHeader("X-Acme-Timestamp", TimestampFormat.UNIX_SECONDS)
 *     .signedContent("{timestamp}.{body}")
 *     .eventIdHeader("X-Acme-Delivery")
 *     .build();
 * }</pre>
 *
 * <p>Defaults: HMAC-SHA256, lower-case hex, UTF-8 secret, a bare signature, {@code {body}} signed,
 * no timestamp, ±5 minutes once a timestamp is set.
 */
public final class HmacSchemeBuilder {
  private final String id;
  private @Nullable String signatureHeader;
  private @Nullable String timestampHeader;
  private @Nullable String idHeader;
  private SignatureFormat format = SignatureFormat.prefixed("");
  private @Nullable String versionTag;
  private HmacAlgorithm algorithm = HmacAlgorithm.SHA256;
  private SignatureEncoding encoding = SignatureEncoding.HEX;
  private SecretEncoding secretEncoding = SecretEncoding.UTF8;
  private String template = "{body}";
  private DeclarativeScheme.TimestampSource timestampSource = DeclarativeScheme.TimestampSource.NONE;
  private TimestampFormat timestampFormat = TimestampFormat.UNIX_SECONDS;
  private @Nullable String timestampJsonField;
  private Duration tolerance = Duration.ofMinutes(5);
  private @Nullable FieldSource eventId;
  private @Nullable FieldSource eventType;

  HmacSchemeBuilder(String id) {
    this.id = WebhookScheme.checkId(id);
  }

  /**
   * The header carrying the signature. Required.
   *
   * @param name the header name
   * @return this builder
   */
  public HmacSchemeBuilder signatureHeader(String name) {
    this.signatureHeader = requireNonNull(name, "name");
    return this;
  }

  /**
   * The header holds one signature after a fixed prefix such as {@code sha256=} ({@code ""} for
   * a bare signature, the default).
   *
   * @param prefix the prefix
   * @return this builder
   */
  public HmacSchemeBuilder prefix(String prefix) {
    this.format = SignatureFormat.prefixed(requireNonNull(prefix, "prefix"));
    this.versionTag = null;
    return this;
  }

  /**
   * The header is a list of {@code key=value} items, such as {@code t=…,v1=…}: every item named
   * {@code signatureKey} is a signature, and the item named {@code timestampKey} (if not null) is
   * the timestamp. Other items are ignored.
   *
   * @param separator the item separator, usually {@code ','} or {@code ';'}
   * @param signatureKey the key of signature items, for example {@code v1}
   * @param timestampKey the key of the timestamp item, or {@code null} when there is none
   * @return this builder
   */
  public HmacSchemeBuilder keyValueList(char separator, String signatureKey, @Nullable String timestampKey) {
    this.format = SignatureFormat.keyValueList(separator, requireNonNull(signatureKey, "signatureKey"), timestampKey);
    this.versionTag = null;
    if (timestampKey != null) {
      this.timestampSource = DeclarativeScheme.TimestampSource.SIGNATURE_HEADER;
    }
    return this;
  }

  /**
   * The header is a space-separated list of {@code version,signature} entries, as in Standard
   * Webhooks; entries of the given version are checked.
   *
   * @param version the version tag to check, for example {@code v1}
   * @return this builder
   */
  public HmacSchemeBuilder versionedList(String version) {
    this.format = SignatureFormat.versionedList();
    this.versionTag = requireNonNull(version, "version");
    return this;
  }

  /**
   * The HMAC algorithm; HMAC-SHA256 by default.
   *
   * @param algorithm the algorithm
   * @return this builder
   */
  public HmacSchemeBuilder algorithm(HmacAlgorithm algorithm) {
    this.algorithm = requireNonNull(algorithm, "algorithm");
    return this;
  }

  /**
   * How the signature is written; lower-case hex by default.
   *
   * @param encoding the encoding
   * @return this builder
   */
  public HmacSchemeBuilder encoding(SignatureEncoding encoding) {
    this.encoding = requireNonNull(encoding, "encoding");
    return this;
  }

  /**
   * How configured secrets become key bytes; UTF-8 by default.
   *
   * @param secretEncoding the encoding
   * @return this builder
   */
  public HmacSchemeBuilder secretEncoding(SecretEncoding secretEncoding) {
    this.secretEncoding = requireNonNull(secretEncoding, "secretEncoding");
    return this;
  }

  /**
   * What is signed, as a template over {@code {body}} (required), {@code {timestamp}} (as
   * received), {@code {id}}, {@code {url}}, {@code {decoded-url}} and {@code {method}}, with
   * literal text between them. {@code {body}} by default.
   *
   * @param template for example {@code {id}.{timestamp}.{body}}
   * @return this builder
   */
  public HmacSchemeBuilder signedContent(String template) {
    ContentTemplate.parse(template); // fail here, naming the template, rather than at build()
    this.template = template;
    return this;
  }

  /**
   * The timestamp is in its own header.
   *
   * @param name the header name
   * @param format how it is written
   * @return this builder
   */
  public HmacSchemeBuilder timestampHeader(String name, TimestampFormat format) {
    this.timestampHeader = requireNonNull(name, "name");
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
  public HmacSchemeBuilder timestampInSignatureHeader(TimestampFormat format) {
    this.timestampFormat = requireNonNull(format, "format");
    this.timestampSource = DeclarativeScheme.TimestampSource.SIGNATURE_HEADER;
    return this;
  }

  /**
   * The timestamp is a field of the JSON body, read after the signature matched.
   *
   * @param dottedPath the field, for example {@code meta.sentAt}
   * @param format how it is written
   * @return this builder
   */
  public HmacSchemeBuilder timestampJsonField(String dottedPath, TimestampFormat format) {
    this.timestampJsonField = requireNonNull(dottedPath, "dottedPath");
    this.timestampFormat = requireNonNull(format, "format");
    this.timestampSource = DeclarativeScheme.TimestampSource.BODY;
    return this;
  }

  /**
   * The default window on each side of now; five minutes unless set.
   *
   * @param tolerance a non-negative duration
   * @return this builder
   */
  public HmacSchemeBuilder defaultTolerance(Duration tolerance) {
    if (requireNonNull(tolerance, "tolerance").isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
    }
    this.tolerance = tolerance;
    return this;
  }

  /**
   * The header whose value {@code {id}} stands for in the signed content.
   *
   * @param name the header name
   * @return this builder
   */
  public HmacSchemeBuilder idHeader(String name) {
    this.idHeader = requireNonNull(name, "name");
    return this;
  }

  /**
   * The event id (what deduplication keys on) is in this header.
   *
   * @param name the header name
   * @return this builder
   */
  public HmacSchemeBuilder eventIdHeader(String name) {
    this.eventId = FieldSource.header(requireNonNull(name, "name"));
    return this;
  }

  /**
   * The event id is this field of the JSON body.
   *
   * @param dottedPath the field, for example {@code id} or {@code event.id}
   * @return this builder
   */
  public HmacSchemeBuilder eventIdJsonField(String dottedPath) {
    this.eventId = FieldSource.json(requireNonNull(dottedPath, "dottedPath"));
    return this;
  }

  /**
   * The event type is in this header.
   *
   * @param name the header name
   * @return this builder
   */
  public HmacSchemeBuilder eventTypeHeader(String name) {
    this.eventType = FieldSource.header(requireNonNull(name, "name"));
    return this;
  }

  /**
   * The event type is this field of the JSON body.
   *
   * @param dottedPath the field, for example {@code type}
   * @return this builder
   */
  public HmacSchemeBuilder eventTypeJsonField(String dottedPath) {
    this.eventType = FieldSource.json(requireNonNull(dottedPath, "dottedPath"));
    return this;
  }

  /**
   * Makes the scheme.
   *
   * @return the scheme
   * @throws IllegalStateException when the description is incomplete or inconsistent
   */
  public WebhookScheme build() {
    if (signatureHeader == null) {
      throw new IllegalStateException(id + ": signatureHeader is required");
    }
    DeclarativeScheme.Builder builder = DeclarativeScheme.builder(id)
        .headers(signatureHeader, timestampHeader, idHeader)
        .format(format)
        .encoding(encoding)
        .content(template)
        .tolerance(tolerance);
    switch (timestampSource) {
      case HEADER -> builder.timestampInHeader(timestampFormat);
      case SIGNATURE_HEADER -> builder.timestampInSignatureHeader(timestampFormat);
      case BODY -> builder.timestampInBody(requireNonNull(timestampJsonField), timestampFormat);
      case NONE -> { }
    }
    if (versionTag != null) {
      builder.hmac(versionTag, algorithm, secretEncoding);
    } else {
      builder.hmac(algorithm, secretEncoding);
    }
    if (eventId != null) {
      builder.eventId(eventId);
    }
    if (eventType != null) {
      builder.eventType(eventType);
    }
    return builder.build();
  }
}
