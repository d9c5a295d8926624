package com.amazonaws.services.sns.message;

import java.net.InetAddress;
import javax.net.ssl.SSLContext;
import org.apache.http.impl.client.HttpClientBuilder;

/**
 * Reaches aws-java-sdk-sns's package-private constructors (test scope only) so that the SDK's own
 * {@link SnsMessageManager} can be the oracle: it downloads the signing certificate over real TLS
 * from a loopback server the test runs, named as SNS's regional host.
 */
public final class SnsSdkAccess {
  private SnsSdkAccess() {}

  /**
   * The SDK's message manager for {@code region}, whose certificate downloads go to
   * {@code 127.0.0.1:port} (every host name resolves to loopback), trusting {@code tls}.
   */
  public static SnsMessageManager manager(String region, SSLContext tls, int port) {
    org.apache.http.client.HttpClient client = HttpClientBuilder.create()
        .setSSLContext(tls)
        .setDnsResolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()})
        .setSchemePortResolver(host -> port)
        .build();
    SnsMessageManager regional = new SnsMessageManager(region);
    String endpoint = "sns." + region + ".amazonaws.com";
    return new SnsMessageManager(region, new SignatureVerifier(client, endpoint, regional.resolveCertCommonName(region)));
  }
}
