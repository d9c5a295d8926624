package io.hookguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupStore;
import io.hookguard.test.DedupStoreContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The store contract on a real Redis: time passes for real, in units of 100 ms (a lease is 3 s),
 * and every case starts from empty nodes. Adds what only a server-side script cache can break.
 */
abstract class RedisStoreContract extends DedupStoreContract {

  /** @return every node the store's keys can live on */
  abstract List<RedisProcess> nodes();

  @Override
  protected Duration unit() {
    return Duration.ofMillis(100);
  }

  @Override
  protected void advance(Duration duration) {
    RedisProcess.sleep(duration.toMillis());
  }

  @BeforeEach
  void emptyEveryNode() {
    for (RedisProcess node : nodes()) {
      try (Jedis jedis = new Jedis(node.address())) {
        jedis.flushAll();
      }
    }
  }

  private void flushScripts() {
    for (RedisProcess node : nodes()) {
      try (Jedis jedis = new Jedis(node.address())) {
        jedis.scriptFlush();
      }
    }
  }

  @Test
  void scriptsAreResentAfterTheServerForgotThem() {
    // Load every script first, so EVALSHA (not the first EVAL) is what meets the empty cache.
    String warm = ((ClaimResult.Acquired) store().claim("k-warm", FP, lease())).token();
    store().claim("k-warm", FP, lease());
    store().extend("k-warm", warm, lease());
    store().complete("k-warm", warm, retention());
    store().release("k-warm", warm);

    String completed = ((ClaimResult.Acquired) store().claim("k-noscript-1", FP, lease())).token();
    String released = ((ClaimResult.Acquired) store().claim("k-noscript-2", FP, lease())).token();
    flushScripts();

    assertThat(store().claim("k-noscript-1", FP, lease())).isInstanceOf(ClaimResult.InProgress.class);
    flushScripts();
    assertThat(store().extend("k-noscript-1", completed, lease())).isTrue();
    flushScripts();
    assertThat(store().complete("k-noscript-1", completed, retention())).isTrue();
    flushScripts();
    assertThat(store().release("k-noscript-2", released)).isTrue();
    assertThat(store().claim("k-noscript-1", FP, lease())).isInstanceOf(ClaimResult.Completed.class);
    assertThat(store().claim("k-noscript-2", FP, lease())).isInstanceOf(ClaimResult.Acquired.class);
  }

  @Test
  void fingerprintsAndIdsWithSeparatorsAndPatternCharactersStayExact() {
    String key = "hookguard:/hooks:stripe:sha256-ab%c:d";
    String fingerprint = "a:b%c.*[x]";
    String token = ((ClaimResult.Acquired) store().claim(key, fingerprint, lease())).token();

    assertThat(store().claim(key, fingerprint, lease())).isInstanceOf(ClaimResult.InProgress.class);
    assertThat(store().claim(key, "a:b%c", lease())).isInstanceOf(ClaimResult.FingerprintMismatch.class);
    assertThat(store().complete(key, token, retention())).isTrue();
    assertThat(store().claim(key, fingerprint, lease())).isInstanceOf(ClaimResult.Completed.class);
    assertThat(store().claim(key, fingerprint + "x", lease()))
        .isInstanceOf(ClaimResult.FingerprintMismatch.class);
  }

  @Test
  void foreignTokensAreNeverOurs() {
    String token = ((ClaimResult.Acquired) store().claim("k-foreign", FP, lease())).token();
    DedupStore store = store();

    // A token that would make the prefix check cover part of the fingerprint.
    assertThat(store.complete("k-foreign", token + ":finger", retention())).isFalse();
    assertThat(store.release("k-foreign", "")).isFalse();
    assertThat(store.claim("k-foreign", FP, lease())).isInstanceOf(ClaimResult.InProgress.class);
  }
}
