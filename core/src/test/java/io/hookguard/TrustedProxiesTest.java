package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private static final TrustedProxies XFF = TrustedProxies.builder(TrustedProxies.Headers.X_FORWARDED)
      .trust("10.0.0.0/8").build();
  private static final TrustedProxies RFC = TrustedProxies.builder(TrustedProxies.Headers.FORWARDED)
      .trust("10.0.0.0/8").build();

  private static WebhookHeaders headers(String... namesAndValues) {
    WebhookHeaders.Builder headers = WebhookHeaders.builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers.build();
  }

  private static String client(TrustedProxies proxies, String peer, WebhookHeaders headers) {
    return proxies.origin(peer, headers).clientAddress().map(java.net.InetAddress::getHostAddress).orElse("unknown");
  }

  private static String url(TrustedProxies proxies, String peer, WebhookHeaders headers) {
    return proxies.origin(peer, headers).url("http", "app:8080", "/hooks/twilio?a=1");
  }

  @Test
  void withoutTrustedProxiesNoForwardedHeaderIsBelieved() {
    WebhookHeaders spoofed = headers("X-Forwarded-For", "192.30.252.1", "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "evil.example", "Forwarded", "for=192.30.252.1;proto=https;host=evil.example");
    assertThat(client(TrustedProxies.none(), "203.0.113.9", spoofed)).isEqualTo("203.0.113.9");
    assertThat(url(TrustedProxies.none(), "203.0.113.9", spoofed)).isEqualTo("http://app:8080/hooks/twilio?a=1");
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    WebhookHeaders spoofed = headers("X-Forwarded-For", "10.1.1.1", "X-Forwarded-Host", "evil.example");
    assertThat(client(XFF, "198.51.100.7", spoofed)).isEqualTo("198.51.100.7");
    assertThat(url(XFF, "198.51.100.7", spoofed)).isEqualTo("http://app:8080/hooks/twilio?a=1");
  }

  @Test
  void onlyTheConfiguredHeaderFamilyIsRead() {
    // The proxy writes X-Forwarded-*; the client added its own Forwarded header, which the proxy passed on.
    WebhookHeaders both = headers("Forwarded", "for=192.30.252.1;proto=https;host=evil.example",
        "X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "hooks.example.com");
    assertThat(client(XFF, "10.0.0.2", both)).isEqualTo("198.51.100.7");
    assertThat(url(XFF, "10.0.0.2", both)).isEqualTo("https://hooks.example.com/hooks/twilio?a=1");
    // And the other way round: a proxy writing Forwarded, a client-sent X-Forwarded-For.
    WebhookHeaders reverse = headers("X-Forwarded-For", "192.30.252.1", "X-Forwarded-Host", "evil.example",
        "Forwarded", "for=198.51.100.7;proto=https;host=hooks.example.com");
    assertThat(client(RFC, "10.0.0.2", reverse)).isEqualTo("198.51.100.7");
    assertThat(url(RFC, "10.0.0.2", reverse)).isEqualTo("https://hooks.example.com/hooks/twilio?a=1");
  }

  @Test
  void thePublicUrlIsWhatTheOutermostTrustedProxyRecorded() {
    // client → proxy 10.0.0.1 (public TLS) → proxy 10.0.0.2 → app; each appends one element.
    WebhookHeaders chain = headers("Forwarded",
        "for=198.51.100.7;proto=https;host=hooks.example.com, for=10.0.0.1;proto=http;host=internal:8080");
    assertThat(client(RFC, "10.0.0.2", chain)).isEqualTo("198.51.100.7");
    assertThat(url(RFC, "10.0.0.2", chain)).isEqualTo("https://hooks.example.com/hooks/twilio?a=1");
    // A client-made element on the left is past the client: never read.
    WebhookHeaders spoofed = headers("Forwarded",
        "for=10.9.9.9;host=evil.example, for=198.51.100.7;proto=https;host=hooks.example.com");
    assertThat(url(RFC, "10.0.0.2", spoofed)).isEqualTo("https://hooks.example.com/hooks/twilio?a=1");
  }

  @Test
  void xForwardedValuesAreAlignedWithTheirHopsOrSingle() {
    WebhookHeaders appended = headers("X-Forwarded-For", "198.51.100.7, 10.0.0.1",
        "X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "hooks.example.com, internal");
    assertThat(url(XFF, "10.0.0.2", appended)).isEqualTo("https://hooks.example.com/hooks/twilio?a=1");
    WebhookHeaders overwritten = headers("X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "hooks.example.com", "X-Forwarded-Port", "8443");
    assertThat(url(XFF, "10.0.0.2", overwritten)).isEqualTo("https://hooks.example.com:8443/hooks/twilio?a=1");
    WebhookHeaders defaultPort = headers("X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "hooks.example.com", "X-Forwarded-Port", "443");
    assertThat(url(XFF, "10.0.0.2", defaultPort)).isEqualTo("https://hooks.example.com/hooks/twilio?a=1");
    // Three proto values for two hops cannot be matched to hops: not believed.
    WebhookHeaders ambiguous = headers("X-Forwarded-For", "198.51.100.7, 10.0.0.1",
        "X-Forwarded-Proto", "https, http, https", "X-Forwarded-Host", "hooks.example.com");
    assertThat(url(XFF, "10.0.0.2", ambiguous)).isEqualTo("http://hooks.example.com/hooks/twilio?a=1");
  }

  @Test
  void valuesNoProxyWritesAreNotBelieved() {
    WebhookHeaders odd = headers("X-Forwarded-For", "198.51.100.7", "X-Forwarded-Proto", "gopher",
        "X-Forwarded-Host", "evil.example/@x");
    assertThat(url(XFF, "10.0.0.2", odd)).isEqualTo("http://app:8080/hooks/twilio?a=1");
    assertThat(client(XFF, "10.0.0.2", headers("X-Forwarded-For", "localhost"))).isEqualTo("unknown");
    assertThat(client(XFF, "10.0.0.2", headers())).as("a trusted peer that forwards nothing").isEqualTo("10.0.0.2");
    WebhookHeaders protoOnly = headers("X-Forwarded-Proto", "https", "X-Forwarded-Host", "hooks.example.com");
    assertThat(url(XFF, "10.0.0.2", protoOnly)).as("a trusted peer naming no client, only its public origin")
        .isEqualTo("https://hooks.example.com/hooks/twilio?a=1");
    assertThat(url(XFF, "198.51.100.7", protoOnly)).as("the same from an untrusted peer")
        .isEqualTo("http://app:8080/hooks/twilio?a=1");
    assertThat(client(XFF, "10.0.0.5", headers("X-Forwarded-For", "10.9.9.9")))
        .as("only proxies all the way: the leftmost hop").isEqualTo("10.9.9.9");
  }

  @Test
  void configurationIsChecked() {
    assertThatThrownBy(() -> TrustedProxies.builder(TrustedProxies.Headers.FORWARDED).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("none()");
    assertThatThrownBy(() -> TrustedProxies.builder(TrustedProxies.Headers.FORWARDED).trust("10.0.0.1/8"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(XFF.trustsAny()).isTrue();
    assertThat(TrustedProxies.none().trustsAny()).isFalse();
    assertThat(List.of(RFC.headers())).containsExactly(TrustedProxies.Headers.FORWARDED);
  }
}
