package io.hookguard;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed X.509 certificates made in the test (BouncyCastle, test scope only): no network, no real CA. */
final class TestCertificates {
  private TestCertificates() {}

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate for {@code keys} with subject {@code CN=<cn>}, valid a day either side of now, with DNS names as SANs. */
  static X509Certificate selfSigned(KeyPair keys, String cn, String... dnsNames) {
    Instant now = Instant.now();
    return selfSigned(keys, cn, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), dnsNames);
  }

  static X509Certificate selfSigned(KeyPair keys, String cn, Instant notBefore, Instant notAfter, String... dnsNames) {
    try {
      X500Name subject = new X500Name("CN=" + cn);
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
      if (dnsNames.length > 0) {
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
          names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key store holding {@code keys} under {@code certificate}, for a TLS server. */
  static KeyStore keyStore(KeyPair keys, X509Certificate certificate, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), password, new java.security.cert.Certificate[] {certificate});
      return store;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A trust store holding only {@code certificate}. */
  static KeyStore trustStore(X509Certificate certificate) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("trusted", certificate);
      return store;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
