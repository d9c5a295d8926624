package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.dedup.CaffeineDedupStore;
import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.dedup.DedupStore;
import io.hookguard.redis.RedisDedupStore;
import io.hookguard.redis.RedisProcess;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.spring.boot3.HookguardDedupHealthBoot3AutoConfiguration;
import io.hookguard.spring.boot3.HookguardRedisHealthBoot3AutoConfiguration;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.RedisClient;

/** Every condition and property of the auto-configuration, without a server. */
class HookguardAutoConfigurationTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class))
      .withPropertyValues("hookguard.endpoints.stripe.provider=stripe",
          "hookguard.endpoints.stripe.secrets[0]=whsec_test");

  @Test
  void defaultsAreTheEmbeddedStoreAndTheDocumentedEngine() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(CaffeineDedupStore.class).hasSingleBean(DedupEngine.class)
          .hasSingleBean(WebhookEndpoints.class).hasSingleBean(DeliveryLifecycle.class);
      assertThat(context.getBean(WebhookEndpoints.class).get("stripe")).hasValueSatisfying(endpoint -> {
        assertThat(endpoint.verifier().scheme().id()).isEqualTo("stripe");
        assertThat(endpoint.maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(endpoint.dedup()).isPresent();
      });
      DedupEngine engine = context.getBean(DedupEngine.class);
      assertThat(engine.key("/stripe", "stripe", "evt_1")).isEqualTo("hookguard:/stripe:stripe:evt_1");
    });
  }

  @Test
  void propertiesReachTheEngineAndEndpoints() {
    runner.withPropertyValues("hookguard.dedup.key-prefix=shop:", "hookguard.dedup.lease=2m",
            "hookguard.endpoints.stripe.max-body-size=64KB", "hookguard.endpoints.stripe.dedup=false",
            "hookguard.endpoints.github.provider=github", "hookguard.endpoints.github.secrets=a,b",
            "hookguard.dedup.caffeine.maximum-size=10")
        .run(context -> {
          WebhookEndpoints endpoints = context.getBean(WebhookEndpoints.class);
          assertThat(endpoints.get("stripe")).hasValueSatisfying(endpoint -> {
            assertThat(endpoint.maxBodyBytes()).isEqualTo(64 * 1024);
            assertThat(endpoint.dedup()).isEmpty();
          });
          assertThat(endpoints.get("github")).isPresent();
          assertThat(context.getBean(DedupEngine.class).key("/a", "b", "c")).startsWith("shop:");
          DedupStore store = context.getBean(DedupStore.class);
          ClaimResult claim = store.claim("k", "fp", Duration.ofMinutes(1));
          assertThat(claim).isInstanceOf(ClaimResult.Acquired.class);
        });
  }

  @Test
  void anEndpointMayRunDeliveriesWithoutAnEventIdWhileOthersRejectThem() {
    runner.withPropertyValues("hookguard.endpoints.slack.provider=slack", "hookguard.endpoints.slack.secrets=s",
        "hookguard.endpoints.slack.missing-event-id=run").run(context -> {
          WebhookEndpoints endpoints = context.getBean(WebhookEndpoints.class);
          io.hookguard.delivery.WebhookEndpoint slack = endpoints.get("slack").orElseThrow();
          io.hookguard.delivery.WebhookEndpoint stripe = endpoints.get("stripe").orElseThrow();
          // One engine for all: the policy lives on the endpoint.
          assertThat(slack.dedup()).containsSame(context.getBean(DedupEngine.class));
          assertThat(stripe.dedup()).containsSame(context.getBean(DedupEngine.class));
          assertThat(slack.missingEventId()).contains(io.hookguard.delivery.WebhookEndpoint.MissingEventId.RUN);
          assertThat(stripe.missingEventId()).isEmpty();
          assertThat(stripe.dedup().orElseThrow().admit("stripe", "stripe", null, new byte[0]))
              .isInstanceOf(io.hookguard.dedup.Admission.Refuse.class);
        });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    runner.withUserConfiguration(OwnBeans.class).run(context -> {
      assertThat(context.getBean(DedupStore.class)).isSameAs(OwnBeans.STORE);
      assertThat(context).doesNotHaveBean(CaffeineDedupStore.class.getName());
      assertThat(context.getBean(DeliveryLifecycle.class)).isSameAs(OwnBeans.LIFECYCLE);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final DedupStore STORE = CaffeineDedupStore.builder().maximumSize(5).build();
    static final DeliveryLifecycle LIFECYCLE = DeliveryLifecycle.builder().proxies(io.hookguard.TrustedProxies.builder(
        io.hookguard.TrustedProxies.Headers.FORWARDED).trust("10.0.0.0/8").build()).build();

    @Bean
    DedupStore myStore() {
      return STORE;
    }

    @Bean
    DeliveryLifecycle myLifecycle() {
      return LIFECYCLE;
    }
  }

  @Test
  void redisIsUsedWhenConfigured() {
    try (RedisProcess redis = RedisProcess.start()) {
      runner.withPropertyValues("hookguard.dedup.store=redis", "hookguard.dedup.redis.host=127.0.0.1",
          "hookguard.dedup.redis.port=" + redis.port()).run(context -> {
            assertThat(context).hasSingleBean(RedisDedupStore.class).doesNotHaveBean(CaffeineDedupStore.class);
            DedupStore store = context.getBean(DedupStore.class);
            assertThat(store.claim("k-redis", "fp", Duration.ofMinutes(1))).isInstanceOf(ClaimResult.Acquired.class);
            assertThat(store.claim("k-redis", "fp", Duration.ofMinutes(1))).isInstanceOf(ClaimResult.InProgress.class);
          });
    }
  }

  @Test
  void redisCompletesInBackgroundWhenAskedAndTheQueueIsWrittenWhenTheContextCloses() {
    AtomicReference<RedisDedupStore> built = new AtomicReference<>();
    try (RedisProcess redis = RedisProcess.start();
        RedisClient observerClient = RedisClient.builder().hostAndPort(redis.address()).build()) {
      runner.withPropertyValues("hookguard.dedup.store=redis", "hookguard.dedup.redis.host=127.0.0.1",
          "hookguard.dedup.redis.port=" + redis.port(), "hookguard.dedup.redis.complete-in-background=true")
          .run(context -> {
            RedisDedupStore store = context.getBean(RedisDedupStore.class);
            built.set(store);
            for (int i = 0; i < 50; i++) {
              String token = ((ClaimResult.Acquired) store.claim("k-bg-" + i, "fp", Duration.ofMinutes(1))).token();
              assertThat(store.complete("k-bg-" + i, token, Duration.ofMinutes(1))).isTrue();
            }
            // Queued, not answered: only a background store says true to a claim that is not ours.
            assertThat(store.complete("k-not-claimed", "someone-else", Duration.ofMinutes(1))).isTrue();
          });
      // The context closed the store before its client, so everything queued reached Redis.
      RedisDedupStore observer = RedisDedupStore.create(observerClient);
      for (int i = 0; i < 50; i++) {
        assertThat(observer.claim("k-bg-" + i, "fp", Duration.ofMinutes(1))).isInstanceOf(ClaimResult.Completed.class);
      }
      assertThat(built.get().unrecordedCompletions()).isEqualTo(1);
    }
  }

  @Test
  void theDedupEnginesHealthIsOnByDefaultAndSwitchesOffTheBootWay() {
    WebApplicationContextRunner health = runner.withConfiguration(AutoConfigurations.of(
        HookguardDedupHealthAutoConfiguration.class, HookguardDedupHealthBoot3AutoConfiguration.class));
    health.run(context -> {
      assertThat(context).hasBean("hookguardDedupHealthIndicator").hasSingleBean(DedupCounts.class);
      assertThat(definedBy(context, "hookguardDedupHealthIndicator")).isEqualTo(onThisBootLine(
          HookguardDedupHealthAutoConfiguration.class, HookguardDedupHealthBoot3AutoConfiguration.class));
    });
    // The documented spelling, the contributor's own name and the earlier one-word spelling.
    for (String off : new String[] {"management.health.hookguard-dedup.enabled=false",
        "management.health.hookguardDedup.enabled=false", "management.health.hookguarddedup.enabled=false",
        "management.health.defaults.enabled=false"}) {
      health.withPropertyValues(off).run(context -> assertThat(context).as(off)
          .hasNotFailed().doesNotHaveBean("hookguardDedupHealthIndicator"));
    }
  }

  @Test
  void theRedisHealthIsOnByDefaultAndSwitchesOffTheBootWay() {
    try (RedisProcess redis = RedisProcess.start()) {
      WebApplicationContextRunner health = runner.withConfiguration(AutoConfigurations.of(
              HookguardRedisHealthAutoConfiguration.class, HookguardRedisHealthBoot3AutoConfiguration.class))
          .withPropertyValues("hookguard.dedup.store=redis", "hookguard.dedup.redis.host=127.0.0.1",
              "hookguard.dedup.redis.port=" + redis.port());
      health.run(context -> {
        assertThat(context).hasBean("hookguardRedisHealthIndicator").hasSingleBean(RedisDedupStore.class);
        assertThat(definedBy(context, "hookguardRedisHealthIndicator")).isEqualTo(onThisBootLine(
            HookguardRedisHealthAutoConfiguration.class, HookguardRedisHealthBoot3AutoConfiguration.class));
      });
      for (String off : new String[] {"management.health.hookguard-redis.enabled=false",
          "management.health.hookguardRedis.enabled=false", "management.health.defaults.enabled=false"}) {
        health.withPropertyValues(off).run(context -> assertThat(context).as(off)
            .hasNotFailed().hasSingleBean(RedisDedupStore.class).doesNotHaveBean("hookguardRedisHealthIndicator"));
      }
    }
  }

  /** The auto-configuration class whose {@code @Bean} method defined the named bean. */
  private static String definedBy(org.springframework.context.ConfigurableApplicationContext context, String bean) {
    return context.getBeanFactory().getBeanDefinition(bean).getFactoryBeanName();
  }

  private static String onThisBootLine(Class<?> boot4, Class<?> boot3) {
    return (org.springframework.boot.SpringBootVersion.getVersion().startsWith("3.") ? boot3 : boot4).getName();
  }

  @Test
  void outsideAServletWebApplicationNothingIsConfigured() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(DedupEngine.class));
  }

  private void assertFailsNaming(String property, String... properties) {
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      Throwable cause = failure;
      while (cause != null && !(cause instanceof HookguardConfigurationException)) {
        cause = cause.getCause();
      }
      assertThat(cause).as("failure %s", failure).isInstanceOf(HookguardConfigurationException.class);
      HookguardConfigurationException exception = (HookguardConfigurationException) cause;
      assertThat(exception.property()).isEqualTo(property);
      FailureAnalysis analysis = new HookguardFailureAnalyzer().analyze(failure);
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains(property);
      assertThat(analysis.getAction()).isNotBlank();
      assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("not-base64!!");
    });
  }

  @Test
  void aSecretLeftAsAnUnresolvedPlaceholderStopsStartupNamingThePropertyAndTheVariable() {
    // Spring Boot binds ${...} it cannot resolve as the literal text: anyone could sign with it.
    runner.withPropertyValues("hookguard.endpoints.stripe.secrets[0]=whsec_current",
        "hookguard.endpoints.stripe.secrets[1]=${HOOKGUARD_TEST_UNSET_STRIPE_SECRET}").run(context -> {
          assertThat(context).hasFailed();
          HookguardConfigurationException exception = configurationFailure(context.getStartupFailure());
          assertThat(exception.property()).isEqualTo("hookguard.endpoints.stripe.secrets[1]");
          FailureAnalysis analysis = new HookguardFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription()).contains("hookguard.endpoints.stripe.secrets[1]")
              .contains("unresolved placeholder");
          assertThat(analysis.getAction()).contains("environment variable")
              .contains("HOOKGUARD_TEST_UNSET_STRIPE_SECRET");
          assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("whsec_current");
        });
    assertFailsNaming("hookguard.endpoints.stripe.secrets[0]",
        "hookguard.endpoints.stripe.secrets[0]=whsec_${HOOKGUARD_TEST_UNSET_SUFFIX}");
    assertFailsNaming("hookguard.endpoints.gh.secrets[0]", "hookguard.endpoints.gh.provider=github",
        "hookguard.endpoints.gh.secrets=${HOOKGUARD_TEST_UNSET_GITHUB_SECRET}");
  }

  private static HookguardConfigurationException configurationFailure(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof HookguardConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("failure %s", failure).isInstanceOf(HookguardConfigurationException.class);
    return (HookguardConfigurationException) cause;
  }

  @Test
  void badConfigurationFailsStartupNamingTheProperty() {
    assertFailsNaming("hookguard.endpoints.stripe.provider", "hookguard.endpoints.stripe.provider=strype");
    assertFailsNaming("hookguard.endpoints.acme.provider", "hookguard.endpoints.acme.secrets=x");
    assertFailsNaming("hookguard.endpoints.stripe.secrets[0]", "hookguard.endpoints.stripe.secrets[0]= ");
    assertFailsNaming("hookguard.endpoints.gh.secrets", "hookguard.endpoints.gh.provider=github");
    assertFailsNaming("hookguard.endpoints.std.secrets[0]", "hookguard.endpoints.std.provider=standard-webhooks",
        "hookguard.endpoints.std.secrets=whsec_not-base64!!");
    assertFailsNaming("hookguard.endpoints.stripe.tolerance", "hookguard.endpoints.stripe.tolerance=-5m");
    assertFailsNaming("hookguard.endpoints.stripe.max-body-size", "hookguard.endpoints.stripe.max-body-size=0B");
    assertFailsNaming("hookguard.dedup.lease", "hookguard.dedup.lease=0s");
    assertFailsNaming("hookguard.endpoints.stripe.allowed-sources[1]",
        "hookguard.endpoints.stripe.allowed-sources=10.0.0.0/8,github.com");
    assertFailsNaming("hookguard.proxies.trusted[0]", "hookguard.proxies.trusted=10.0.0.1/8");
    assertFailsNaming("hookguard.endpoints.stripe.read-timeout", "hookguard.endpoints.stripe.read-timeout=0s");
    assertFailsNaming("hookguard.endpoints.stripe.max-parameters", "hookguard.endpoints.stripe.max-parameters=0");
    assertFailsNaming("hookguard.endpoints.stripe.public-origin",
        "hookguard.endpoints.stripe.public-origin=https://hooks.example.com/path");
    // Replaced by hookguard.proxies.*: ignoring them would silently change who is trusted.
    assertFailsNaming("hookguard.trust-forwarded-headers", "hookguard.trust-forwarded-headers=true");
    assertFailsNaming("hookguard.trusted-proxies", "hookguard.trusted-proxies=10.0.0.0/8");
    assertFailsNaming("hookguard.endpoints.stripe.trusted-proxies",
        "hookguard.endpoints.stripe.allowed-sources=10.0.0.0/8", "hookguard.endpoints.stripe.trusted-proxies=10.0.0.0/8");
    assertFailsNaming("hookguard.endpoints.stripe.event-types", "hookguard.endpoints.stripe.event-types=cus*tomer");
    assertFailsNaming("hookguard.dedup.heartbeat", "hookguard.dedup.heartbeat=10m");
    // A verify token is Meta's alone; an unresolved one would answer whoever sends the placeholder text.
    assertFailsNaming("hookguard.endpoints.stripe.verify-tokens", "hookguard.endpoints.stripe.verify-tokens=abc");
    assertFailsNaming("hookguard.endpoints.meta.verify-tokens[0]", "hookguard.endpoints.meta.provider=meta",
        "hookguard.endpoints.meta.secrets=app-secret", "hookguard.endpoints.meta.verify-tokens=${META_VERIFY_TOKEN}");
    assertFailsNaming("hookguard.dedup.redis.cluster-nodes[0]", "hookguard.dedup.store=redis",
        "hookguard.dedup.redis.cluster-nodes=nonsense");
  }

  @Test
  void googleIdTokensNeedTheEndpointsAudienceAndNoOtherProviderTakesOne() {
    assertFailsNaming("hookguard.endpoints.pubsub.audience", "hookguard.endpoints.pubsub.provider=google-id-token");
    assertFailsNaming("hookguard.endpoints.stripe.audience", "hookguard.endpoints.stripe.audience=https://x.example");
    assertFailsNaming("hookguard.endpoints.stripe.service-account",
        "hookguard.endpoints.stripe.service-account=a@b.iam.gserviceaccount.com");
    runner.withPropertyValues("hookguard.endpoints.pubsub.provider=google-id-token",
        "hookguard.endpoints.pubsub.audience=https://hooks.example.com/pubsub",
        "hookguard.endpoints.pubsub.service-account=push@demo.iam.gserviceaccount.com").run(context -> {
          // No secrets: Google's published key set, fetched when the first token arrives (not at startup).
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(WebhookEndpoints.class).get("pubsub")).hasValueSatisfying(endpoint ->
              assertThat(endpoint.verifier().scheme().id()).isEqualTo("google-id-token"));
        });
  }

  @Test
  void aPlaidEndpointFetchesItsKeysFromTheJwtKeySourceBeanItNamesAndCachesThem() {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    io.hookguard.JwtKeySource plaidKeys = kid -> {
      asked.incrementAndGet();
      return "{\"key\":" + p256Jwk(kid, io.hookguard.test.TestKeys.PLAID_PUBLIC_KEY) + ",\"request_id\":\"r1\"}";
    };
    runner.withPropertyValues("hookguard.endpoints.plaid.provider=plaid", "hookguard.endpoints.plaid.key-source=plaidKeys")
        .withBean("plaidKeys", io.hookguard.JwtKeySource.class, () -> plaidKeys).run(context -> {
          assertThat(context).hasNotFailed();
          io.hookguard.WebhookVerifier verifier = context.getBean(WebhookEndpoints.class).get("plaid").orElseThrow()
              .verifier();
          io.hookguard.WebhookSigner plaid = io.hookguard.WebhookSigner.builder(io.hookguard.Providers.PLAID)
              .privateKey(io.hookguard.test.TestKeys.PLAID_PRIVATE_KEY).build();
          for (int i = 0; i < 3; i++) {
            io.hookguard.WebhookRequest signed = plaid.sign(io.hookguard.WebhookRequest.builder()
                .body("{\"webhook_type\":\"ITEM\",\"webhook_code\":\"ERROR\",\"n\":" + i + "}").build());
            assertThat(verifier.verify(signed)).isInstanceOf(io.hookguard.VerifiedWebhook.class);
          }
          assertThat(asked).as("one fetch for the kid, then the cache").hasValue(1);
        });
  }

  @Test
  void aKeySourceNamingNoJwtKeySourceBeanOrOnASenderWithoutJwtsStopsStartup() {
    assertFailsNaming("hookguard.endpoints.plaid.key-source", "hookguard.endpoints.plaid.provider=plaid",
        "hookguard.endpoints.plaid.key-source=noSuchBean");
    assertFailsNaming("hookguard.endpoints.stripe.key-source", "hookguard.endpoints.stripe.key-source=hookguardWebhookEndpoints");
  }

  /** The JWK of a P-256 key given as {@code <kid>:<base64 SPKI>}, as Plaid's key API returns it. */
  private static String p256Jwk(String kid, String kidAndKey) throws java.io.IOException {
    byte[] spki = java.util.Base64.getDecoder().decode(kidAndKey.substring(kidAndKey.indexOf(':') + 1));
    java.security.interfaces.ECPublicKey key;
    try {
      key = (java.security.interfaces.ECPublicKey) java.security.KeyFactory.getInstance("EC")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
    } catch (java.security.GeneralSecurityException e) {
      throw new java.io.IOException(e);
    }
    return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"use\":\"sig\",\"kid\":\"" + kid
        + "\",\"x\":\"" + coordinate(key.getW().getAffineX()) + "\",\"y\":\"" + coordinate(key.getW().getAffineY())
        + "\"}";
  }

  private static String coordinate(java.math.BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }
}
