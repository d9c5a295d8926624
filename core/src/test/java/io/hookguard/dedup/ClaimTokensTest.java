package io.hookguard.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClaimTokensTest {

  @Test
  void tokensAreUniqueAcrossThreadsAndCarryNoColon() {
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 200_000).parallel().forEach(i -> tokens.add(DedupStore.newClaimToken()));
    assertThat(tokens).hasSize(200_000);
    assertThat(tokens).allSatisfy(token -> assertThat(token).doesNotContain(":").isNotBlank());
    // One process prefix, so that tokens of two instances sharing a store differ.
    assertThat(tokens.stream().map(token -> token.substring(0, token.indexOf('-'))).distinct()).hasSize(1);
  }
}
