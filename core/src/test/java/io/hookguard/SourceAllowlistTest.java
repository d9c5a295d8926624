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

  @Test
  void ipv4AndIpv6RangesAndSingleAddresses() {
    assertThat(github.allows("192.30.252.1", NONE)).isTrue();
    assertThat(github.allows("192.30.255.255", NONE)).isTrue();
    assertThat(github.allows("192.30.256.1", NONE)).isFalse();
    assertThat(github.allows("192.31.0.1", NONE)).isFalse();
    assertThat(github.allows("3.18.12.63", NONE)).isTrue();
    assertThat(github.allows("3.18.12.64", NONE)).isFalse();
    assertThat(github.allows("2a0a:a440::1", NONE)).isTrue();
    assertThat(github.allows("2a0a:a447:ffff::1", NONE)).isTrue();
    assertThat(github.allows("2a0a:a448::1", NONE)).isFalse();
    assertThat(github.allows("[2a0a:a440::1]", NONE)).isTrue();
  }

  @Test
  void ipv4MappedIpv6CountsAsIpv4() {
    assertThat(github.allows("::ffff:192.30.252.7", NONE)).isTrue();
    assertThat(github.allows("::ffff:10.0.0.1", NONE)).isFalse();
    assertThat(SourceAllowlist.builder().allow("::ffff:192.30.252.0/120").build().allows("192.30.252.9", NONE))
        .as("a mapped range written in IPv6 form is an IPv4 range").isTrue();
  }

  @Test
  void malformedAndNonLiteralAddressesAreNeverAllowed() {
    SourceAllowlist everything = SourceAllowlist.builder().allow("0.0.0.0/0").allow("::/0").build();
    for (String bad : new String[] {"", " ", "localhost", "github.com", "192.30.252", "192.30.252.1.5",
        "0x7f.0.0.1", "0177.0.0.1", "1.2.3.04", "1.2.3.-1", "256.1.1.1", "fe80::1%eth0", "::g", "1:2:3:4:5:6:7:8:9",
        "[::1", "1.2.3.4/32", "\u0661.2.3.4"}) {
      assertThat(everything.allows(bad, NONE)).as("'%s'", bad).isFalse();
    }
    assertThat(everything.allows("10.1.2.3", NONE)).isTrue();
  }

  @Test
  void forwardedHeadersAreIgnoredWithoutTrustedProxies() {
    assertThat(github.allows("10.0.0.5", headers("X-Forwarded-For", "192.30.252.1"))).isFalse();
    assertThat(github.allows("10.0.0.5", headers("Forwarded", "for=192.30.252.1"))).isFalse();
    assertThat(github.client("203.0.113.9", headers("X-Forwarded-For", "192.30.252.1")))
        .hasValueSatisfying(client -> assertThat(client.getHostAddress()).isEqualTo("203.0.113.9"));
  }

  @Test
  void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
    SourceAllowlist behindProxy = SourceAllowlist.builder().allow("192.30.252.0/22")
        .trustProxy("10.0.0.0/8").trustProxy("fd00::/8").build();

    assertThat(behindProxy.allows("10.0.0.5", headers("X-Forwarded-For", "192.30.252.1"))).isTrue();
    assertThat(behindProxy.allows("10.0.0.5", headers("X-Forwarded-For", "192.30.252.1, 10.1.1.1"))).isTrue();
    // A spoofed entry on the left does not help: the proxy appended the real client.
    assertThat(behindProxy.allows("10.0.0.5", headers("X-Forwarded-For", "192.30.252.1, 198.51.100.7"))).isFalse();
    assertThat(behindProxy.allows("10.0.0.5", headers("X-Forwarded-For", "garbage, 192.30.252.1"))).isTrue();
    assertThat(behindProxy.allows("10.0.0.5", headers("X-Forwarded-For", "192.30.252.1, garbage"))).isFalse();
    assertThat(behindProxy.allows("fd00::1", headers("Forwarded",
        "for=198.51.100.7, for=\"[2001:db8::1]:4711\", for=192.30.252.9:443"))).isTrue();
    assertThat(behindProxy.allows("fd00::1", headers("Forwarded", "for=192.30.252.9, for=unknown"))).isFalse();
    // An untrusted peer's own address decides, whatever it forwards.
    assertThat(behindProxy.allows("198.51.100.7", headers("X-Forwarded-For", "192.30.252.1"))).isFalse();
    // Only proxies all the way: the leftmost hop is the client.
    assertThat(behindProxy.client("10.0.0.5", headers("X-Forwarded-For", "10.9.9.9")))
        .hasValueSatisfying(client -> assertThat(client.getHostAddress()).isEqualTo("10.9.9.9"));
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
