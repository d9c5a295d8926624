package io.hookguard;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key text that is obviously not what the user meant (blank, an unresolved placeholder) is refused when configured. */
class SecretTextTest {

  /** Every way a core builder takes key text, for one scheme. */
  static Stream<Consumer<String>> keyEntries(WebhookScheme scheme) {
    return Stream.of(
        text -> WebhookVerifier.builder(scheme).secret(text),
        text -> WebhookVerifier.builder(scheme).secrets(List.of(text)),
        text -> WebhookVerifier.builder(scheme).publicKey(text),
        text -> WebhookSigner.builder(scheme).secret(text),
        text -> WebhookSigner.builder(scheme).privateKey(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"${STRIPE_WEBHOOK_SECRET}", "${}", " ${HOOKGUARD_SECRET:} ",
      "${a.b.c}", "${nested-${x}}"})
  void anUnresolvedPlaceholderIsRefusedByEveryBuilder(String placeholder) {
    for (WebhookScheme scheme : Providers.all()) {
      keyEntries(scheme).forEach(entry -> assertThatThrownBy(() -> entry.accept(placeholder))
          .as(scheme.id())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("looks like an unresolved ${…} placeholder")
          .hasMessageContaining(placeholder.strip()));
    }
  }

  @Test
  void aPlaceholderInsideARealSecretIsNotAPlaceholder() {
    assertThatCode(() -> WebhookVerifier.builder(Providers.GITHUB).secret("abc${X}").build())
        .doesNotThrowAnyException();
    assertThatCode(() -> WebhookVerifier.builder(Providers.GITHUB).secret("${X}abc").build())
        .doesNotThrowAnyException();
    assertThatCode(() -> WebhookVerifier.builder(Providers.GITHUB).secret("$X").build())
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "\n \r"})
  void aBlankKeyIsRefusedByEveryBuilder(String blank) {
    for (WebhookScheme scheme : Providers.all()) {
      keyEntries(scheme).forEach(entry -> assertThatThrownBy(() -> entry.accept(blank))
          .as(scheme.id())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must not be empty or blank"));
    }
  }
}
