package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceAllowlistTest {
  private static final WebhookHeaders NONE = WebhookHeaders.empty();

  private static WebhookHeaders headers(String name, String value) {
    return WebhookHeaders.of(Map.of(name, java.util.List.of(value)));
  }

  private final SourceAllowlist github = SourceAllowlist.builder()
      .allow("192.30.252.0/22").allow("2a0a:a440::/29").allow("3.18.12.63").build();

  private static final TrustedProxies DIRECT = TrustedProxies.none();

  @Test
  void ipv4AndIpv6RangesAndSingleAddresses() {
    assertThat(allows(github, DIRECT, "192.30.252.1", NONE)).isTrue();
    assertThat(allows(github, DIRECT, "192.30.255.255", NONE)).isTrue();
    assertThat(allows(github, DIRECT, "192.30.256.1", NONE)).isFalse();
    assertThat(allows(github, DIRECT, "192.31.0.1", NONE)).isFalse();
    assertThat(allows(github, DIRECT, "3.18.12.63", NONE)).isTrue();
    assertThat(allows(github, DIRECT, "3.18.12.64", NONE)).isFalse();
    assertThat(allows(github, DIRECT, "2a0a:a440::1", NONE)).isTrue();
    assertThat(allows(github, DIRECT, "2a0a:a447:ffff::1", NONE)).isTrue();
    assertThat(allows(github, DIRECT, "2a0a:a448::1", NONE)).isFalse();
    assertThat(allows(github, DIRECT, "[2a0a:a440::1]", NONE)).isTrue();
  }

  @Test
  void ipv4MappedIpv6CountsAsIpv4() {
    assertThat(allows(github, DIRECT, "::ffff:192.30.252.7", NONE)).isTrue();
    assertThat(allows(github, DIRECT, "::ffff:10.0.0.1", NONE)).isFalse();
    assertThat(allows(SourceAllowlist.builder().allow("::ffff:192.30.252.0/120").build(), DIRECT, "192.30.252.9", NONE))
        .as("a mapped range written in IPv6 form is an IPv4 range").isTrue();
  }

  @Test
  void malformedAndNonLiteralAddressesAreNeverAllowed() {
    SourceAllowlist everything = SourceAllowlist.builder().allow("0.0.0.0/0").allow("::/0").build();
    for (String bad : new String[] {"", " ", "localhost", "github.com", "192.30.252", "192.30.252.1.5",
        "0x7f.0.0.1", "0177.0.0.1", "1.2.3.04", "1.2.3.-1", "256.1.1.1", "fe80::1%eth0", "::g", "1:2:3:4:5:6:7:8:9",
        "[::1", "1.2.3.4/32", "\u0661.2.3.4", "1..2.3", ".1.2.3", "1.2.3.4.", "1.2.3.1000", "1.2.3.00", "1.2.3.4 5"}) {
      assertThat(allows(everything, DIRECT, bad, NONE)).as("'%s'", bad).isFalse();
    }
    assertThat(allows(everything, DIRECT, "10.1.2.3", NONE)).isTrue();
    assertThat(allows(everything, DIRECT, "0.0.0.0", NONE)).isTrue();
    assertThat(allows(everything, DIRECT, "255.255.255.255", NONE)).isTrue();
  }

  @Test
  void forwardedHeadersAreIgnoredWithoutTrustedProxies() {
    assertThat(allows(github, TrustedProxies.none(), "10.0.0.5", headers("X-Forwarded-For", "192.30.252.1"))).isFalse();
    assertThat(allows(github, TrustedProxies.none(), "10.0.0.5", headers("Forwarded", "for=192.30.252.1"))).isFalse();
  }

  @Test
  void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
    SourceAllowlist sources = SourceAllowlist.builder().allow("192.30.252.0/22").build();
    TrustedProxies xff = TrustedProxies.builder(TrustedProxies.Headers.X_FORWARDED)
        .trust("10.0.0.0/8").trust("fd00::/8").build();
    TrustedProxies rfc = TrustedProxies.builder(TrustedProxies.Headers.FORWARDED)
        .trust("10.0.0.0/8").trust("fd00::/8").build();

    assertThat(allows(sources, xff, "10.0.0.5", headers("X-Forwarded-For", "192.30.252.1"))).isTrue();
    assertThat(allows(sources, xff, "10.0.0.5", headers("X-Forwarded-For", "192.30.252.1, 10.1.1.1"))).isTrue();
    // A spoofed entry on the left does not help: the proxy appended the real client.
    assertThat(allows(sources, xff, "10.0.0.5", headers("X-Forwarded-For", "192.30.252.1, 198.51.100.7"))).isFalse();
    assertThat(allows(sources, xff, "10.0.0.5", headers("X-Forwarded-For", "garbage, 192.30.252.1"))).isTrue();
    assertThat(allows(sources, xff, "10.0.0.5", headers("X-Forwarded-For", "192.30.252.1, garbage"))).isFalse();
    assertThat(allows(sources, rfc, "fd00::1", headers("Forwarded",
        "for=198.51.100.7, for=\"[2001:db8::1]:4711\", for=192.30.252.9:443"))).isTrue();
    assertThat(allows(sources, rfc, "fd00::1", headers("Forwarded", "for=192.30.252.9, for=unknown"))).isFalse();
    // An untrusted peer's own address decides, whatever it forwards.
    assertThat(allows(sources, xff, "198.51.100.7", headers("X-Forwarded-For", "192.30.252.1"))).isFalse();
  }

  private static boolean allows(SourceAllowlist sources, TrustedProxies proxies, String peer, WebhookHeaders headers) {
    return proxies.origin(peer, headers).clientAddress().map(sources::allows).orElse(false);
  }

  @Test
  void rangesAreCheckedWhenConfigured() {
    assertThatThrownBy(() -> SourceAllowlist.builder().allow("192.30.252.1/22"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("192.30.252.0/22");
    assertThatThrownBy(() -> SourceAllowlist.builder().allow("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceAllowlist.builder().allow("github.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceAllowlist.builder().allow("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceAllowlist.builder().build()).isInstanceOf(IllegalStateException.class);
  }
}
