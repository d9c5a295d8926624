package io.hookguard.servlet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.Providers;
import io.hookguard.WebhookVerifier;
import io.hookguard.delivery.WebhookEndpoint;
import org.junit.jupiter.api.Test;

class WebhookFilterBuilderTest {
  private static final WebhookVerifier STRIPE = WebhookVerifier.builder(Providers.STRIPE).secret("s").build();

  @Test
  void twoEndpointsMayShareNeitherAPathNorANameSinceTheNameIsTheDedupNamespace() {
    assertThatThrownBy(() -> WebhookFilter.builder()
        .endpoint("/a", WebhookEndpoint.builder("stripe", STRIPE).build())
        .endpoint("/b", WebhookEndpoint.builder("stripe", STRIPE).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named stripe");
    assertThatThrownBy(() -> WebhookFilter.builder()
        .endpoint("/a", WebhookEndpoint.builder("one", STRIPE).build())
        .endpoint("/a/", WebhookEndpoint.builder("two", STRIPE).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
    assertThatThrownBy(() -> WebhookFilter.builder().endpoint("a", WebhookEndpoint.builder("a", STRIPE).build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookFilter.builder().build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFilterWithItsOwnLifecycleRefusesProxiesOrListenersItWouldIgnore() {
    io.hookguard.delivery.DeliveryLifecycle lifecycle = io.hookguard.delivery.DeliveryLifecycle.builder().build();
    WebhookEndpoint endpoint = WebhookEndpoint.builder("stripe", STRIPE).build();
    org.assertj.core.api.Assertions.assertThat(WebhookFilter.builder().endpoint("/a", endpoint).lifecycle(lifecycle)
        .build()).isNotNull();
    assertThatThrownBy(() -> WebhookFilter.builder().endpoint("/a", endpoint).lifecycle(lifecycle)
        .proxies(io.hookguard.TrustedProxies.none()).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> WebhookFilter.builder().endpoint("/a", endpoint).lifecycle(lifecycle)
        .audit(audit -> {}).build()).isInstanceOf(IllegalStateException.class);
  }
}
