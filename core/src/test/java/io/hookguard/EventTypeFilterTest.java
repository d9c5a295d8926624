package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventTypeFilterTest {

  @Test
  void exactNamesAndPrefixWildcards() {
    EventTypeFilter filter = EventTypeFilter.of("invoice.paid", "customer.*");

    assertThat(filter.matches("invoice.paid")).isTrue();
    assertThat(filter.matches("invoice.payment_failed")).isFalse();
    assertThat(filter.matches("Invoice.paid")).isFalse();
    assertThat(filter.matches("customer.created")).isTrue();
    assertThat(filter.matches("customer.subscription.updated")).isTrue();
    assertThat(filter.matches("customer.")).isFalse();
    assertThat(filter.matches("customer")).isFalse();
    assertThat(filter.matches("customers.created")).isFalse();
  }

  @Test
  void aLoneStarMatchesEverything() {
    assertThat(EventTypeFilter.of("*").matches("anything.at.all")).isTrue();
  }

  @Test
  void malformedPatternsAreRefused() {
    assertThatThrownBy(() -> EventTypeFilter.of("cus*tomer")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventTypeFilter.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventTypeFilter.of()).isInstanceOf(IllegalArgumentException.class);
  }
}
