package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;

/**
 * PayPal REST webhooks, verified offline: {@code PAYPAL-TRANSMISSION-SIG} is base64 RSA
 * (PKCS#1 v1.5, SHA-256) over {@code <transmission id>|<transmission time>|<webhook id>|<CRC32 of
 * the body, unsigned decimal>} with the key of the certificate at {@code PAYPAL-CERT-URL}, fetched
 * through {@link RemoteDocuments}. The keys configured are the webhook ids the endpoint accepts.
 */
final class PayPalScheme extends WebhookScheme {
  static final String TRANSMISSION_ID = "PAYPAL-TRANSMISSION-ID";
  static final String TRANSMISSION_TIME = "PAYPAL-TRANSMISSION-TIME";
  static final String TRANSMISSION_SIG = "PAYPAL-TRANSMISSION-SIG";
  static final String CERT_URL = "PAYPAL-CERT-URL";
  static final String AUTH_ALGO = "PAYPAL-AUTH-ALGO";
  /** What PayPal sends, and all this scheme checks (rest-api-sdk lets the header pick any JCA algorithm). */
  static final String ALGORITHM = "SHA256withRSA";

  /** Live and sandbox API hosts, with and without {@code -m}. */
  private static final Pattern HOST = Pattern.compile("api(?:-m)?(?:\\.sandbox)?\\.paypal\\.com");
  private static final Pattern CERT_PATH = Pattern.compile("/v1/notifications/certs/CERT-[A-Za-z0-9-]{1,100}");
  /** rest-api-sdk's {@code SSLUtil.validateCertificateChain}: the leaf's CN is {@code messageverificationcerts…paypal.com}. */
  private static final Pattern CERT_NAME = Pattern.compile("messageverificationcerts(?:\\.sandbox)?\\.paypal\\.com");
  /** A webhook id as the dashboard shows it. */
  private static final Pattern WEBHOOK_ID = Pattern.compile("[A-Z0-9]{8,64}");

  /** For the signer: where the tests' certificate is said to be. */
  static final String DEFAULT_CERT_URL = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-hookguard-test";

  private static final RemoteDocuments.Parser<X509Certificate> CERTIFICATE = PayPalScheme::certificate;
  private static final EventFields EVENT_FIELDS = new EventFields(
      List.of(FieldSource.json("id")), List.of(FieldSource.json("event_type")), null);

  private final @Nullable RemoteDocuments documents;

  PayPalScheme(@Nullable RemoteDocuments documents) {
    super("paypal", Duration.ofMinutes(5));
    this.documents = documents;
  }

  @Override
  public boolean hasTimestamp() {
    return true;
  }

  /**
   * The body's {@code id} is covered by a CRC32 only, which anyone can match: not signed. (The
   * transmission id is signed, but PayPal signs every attempt afresh.)
   */
  @Override
  public boolean signsEventId() {
    return false;
  }

  @Override
  public boolean usesPublicKeys() {
    return true;
  }

  @Override
  public boolean fetchesDocuments() {
    return true;
  }

  @Override
  WebhookScheme withDocuments(RemoteDocuments documents) {
    return new PayPalScheme(documents);
  }

  @Override
  EventFields eventFields() {
    return EVENT_FIELDS;
  }

  /** A configured "key" is a webhook id: part of the signed string; the certificate is fetched. */
  @Override
  Keys.VerificationKey publicKey(String webhookId) {
    String id = requireSecretText(webhookId, "webhook id").strip();
    if (!WEBHOOK_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a paypal key is the id of the webhook as PayPal's dashboard shows it"
          + " (8 to 64 capital letters and digits); the signing certificate is fetched, not configured");
    }
    return new WebhookIdKey(id);
  }

  /** For the signer: {@code <webhook id>:<PKCS#8 private key, PEM or base64 DER>}. */
  @Override
  Keys.SigningKey privateKey(String privateKey) {
    String text = requireSecretText(privateKey, "private key").strip();
    int colon = text.indexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("a paypal signing key is <webhook id>:<PKCS#8 private key>");
    }
    WebhookIdKey webhook = (WebhookIdKey) publicKey(text.substring(0, colon));
    return new SigningKey(webhook.id, Keys.rsaPrivateKey("", ALGORITHM,
        TravisScheme.der(text.substring(colon + 1), "private key")));
  }

  /** A webhook id an endpoint accepts; it checks no signature itself. */
  static final class WebhookIdKey extends Keys.VerificationKey {
    final String id;

    WebhookIdKey(String id) {
      super("");
      this.id = id;
    }

    @Override
    boolean verify(SignedContent content, List<byte[]> signatures) {
      return false;
    }
  }

  /** The signer's key: which webhook it signs for, and the RSA key. */
  record SigningKey(String webhookId, Keys.PrivateSignatureKey key) implements Keys.SigningKey {
    @Override
    public String version() {
      return "";
    }

    @Override
    public byte[] sign(SignedContent content) {
      return key.sign(content);
    }

    @Override
    public String toString() {
      return "PayPalSigningKey[" + webhookId + ", ****]";
    }
  }

  @Override
  VerifiedWebhook doVerify(WebhookRequest request, List<Keys.VerificationKey> keys, Window window) {
    String transmissionId = requiredHeader(request, TRANSMISSION_ID);
    String time = requiredHeader(request, TRANSMISSION_TIME);
    String signatureText = requiredHeader(request, TRANSMISSION_SIG);
    String certUrlText = requiredHeader(request, CERT_URL);
    String algorithm = requiredHeader(request, AUTH_ALGO);
    if (!ALGORITHM.equals(algorithm)) {
      throw new Reject(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION, AUTH_ALGO + " is not " + ALGORITHM);
    }
    if (transmissionId.isEmpty() || transmissionId.indexOf('|') >= 0) {
      // The id is a field of the '|'-joined signed string: one with a '|' could shift the others.
      throw new Reject(RejectionReason.MALFORMED_HEADER, TRANSMISSION_ID + " is empty or holds a '|'");
    }
    Instant timestamp = parseTimestamp(TimestampFormat.RFC_3339, time, TRANSMISSION_TIME);
    URI certUrl = RemoteDocuments.pinned(certUrlText, HOST, CERT_PATH, RejectionReason.MALFORMED_HEADER, CERT_URL);
    byte[] signature = Codec.decodeBase64(signatureText);
    if (signature == null) {
      // Decided before the fetch: a signature that is not even base64 must not cost one.
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, TRANSMISSION_SIG + " is not canonical base64");
    }
    X509Certificate certificate = RemoteDocuments.orShared(documents).get(certUrl, CERTIFICATE);
    try {
      certificate.checkValidity(Date.from(window.clock().instant()));
    } catch (GeneralSecurityException e) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE, "the signing certificate is not valid now");
    }
    Keys.PublicSignatureKey key = new Keys.PublicSignatureKey("", ALGORITHM, certificate.getPublicKey());
    String crc = Long.toString(crc32(request.body()));
    boolean match = false;
    for (Keys.VerificationKey configured : keys) {
      if (configured instanceof WebhookIdKey webhook) {
        byte[] signed = (transmissionId + '|' + time + '|' + webhook.id + '|' + crc).getBytes(UTF_8);
        if (key.verify(sink -> sink.update(signed, 0, signed.length), List.of(signature))) {
          match = true;
          break;
        }
      }
    }
    if (!match) {
      throw new Reject(RejectionReason.NO_MATCHING_SIGNATURE,
          TRANSMISSION_SIG + " does not match under the certificate at " + CERT_URL + " for a configured webhook id");
    }
    window.check(timestamp);
    return new VerifiedWebhook(id(), timestamp, () -> {
      EventFields.Values values = EVENT_FIELDS.read(request);
      return new String[] {values.id(), values.type()};
    });
  }

  static long crc32(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body, 0, body.length);
    return crc.getValue();
  }

  /**
   * The leaf of the PEM document PayPal serves (the first certificate; the chain follows it):
   * RSA of 2048 bits or more, its CN PayPal's message-verification name. The document comes over
   * TLS from a pinned PayPal host; rest-api-sdk also checks the chain against a CA it bundles.
   */
  private static X509Certificate certificate(byte[] document) throws GeneralSecurityException {
    Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(document));
    Iterator<? extends Certificate> first = certificates.iterator();
    if (!first.hasNext()) {
      throw new GeneralSecurityException("no certificate");
    }
    X509Certificate leaf = (X509Certificate) first.next();
    if (!Keys.isRsaOf2048BitsOrMore(leaf.getPublicKey())) {
      throw new GeneralSecurityException("not an RSA key of 2048 bits or more");
    }
    if (!commonNameMatches(leaf)) {
      throw new GeneralSecurityException("not PayPal's message verification certificate");
    }
    return leaf;
  }

  private static boolean commonNameMatches(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn
            && CERT_NAME.matcher(cn).matches()) {
          return true;
        }
      }
    } catch (InvalidNameException e) {
      return false;
    }
    return false;
  }

  /**
   * Sets the five headers as PayPal does: a fresh transmission id, the time now (whole seconds),
   * {@link #DEFAULT_CERT_URL} unless the request names a certificate, {@code SHA256withRSA}, and
   * the signature for the signing key's webhook id. The body is sent as it is.
   */
  @Override
  WebhookRequest sign(WebhookRequest request, Keys.SigningKey key, Instant now) {
    SigningKey paypal = (SigningKey) key;
    String transmissionId = UUID.randomUUID().toString();
    String time = TimestampFormat.RFC_3339.format(now.truncatedTo(ChronoUnit.SECONDS));
    String certUrl = request.headers().first(CERT_URL);
    byte[] signed = (transmissionId + '|' + time + '|' + paypal.webhookId() + '|' + crc32(request.body()))
        .getBytes(UTF_8);
    return request.toBuilder()
        .setHeader(TRANSMISSION_ID, transmissionId)
        .setHeader(TRANSMISSION_TIME, time)
        .setHeader(CERT_URL, certUrl != null ? certUrl : DEFAULT_CERT_URL)
        .setHeader(AUTH_ALGO, ALGORITHM)
        .setHeader(TRANSMISSION_SIG, Codec.encodeBase64(paypal.sign(sink -> sink.update(signed, 0, signed.length))))
        .build();
  }
}
