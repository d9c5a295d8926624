package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The event types an endpoint expects, e.g. {@code invoice.paid} or {@code customer.*}: exact
 * names, or a prefix followed by {@code *}, which matches any type starting with the prefix
 * ({@code customer.*} matches {@code customer.created} and {@code customer.subscription.updated},
 * not {@code customer}). A lone {@code *} matches every type. Names compare case-sensitively,
 * as senders spell them. Immutable and thread-safe.
 */
public final class EventTypeFilter {
  private final List<String> exact;
  private final List<String> prefixes;
  private final List<String> patterns;

  private EventTypeFilter(List<String> patterns) {
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String pattern : patterns) {
      String p = requireNonNull(pattern, "pattern").strip();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("an event type pattern must not be empty");
      }
      int star = p.indexOf('*');
      if (star >= 0 && star != p.length() - 1) {
        throw new IllegalArgumentException("'*' may only end a pattern: '" + pattern + "'");
      }
      if (star >= 0) {
        prefixes.add(p.substring(0, star));
      } else {
        exact.add(p);
      }
    }
    if (exact.isEmpty() && prefixes.isEmpty()) {
      throw new IllegalArgumentException("configure at least one event type pattern");
    }
    this.exact = List.copyOf(exact);
    this.prefixes = List.copyOf(prefixes);
    this.patterns = List.copyOf(patterns);
  }

  /**
   * A filter of the given patterns.
   *
   * @param patterns exact types or {@code prefix*} patterns
   * @return the filter
   * @throws IllegalArgumentException when a pattern is empty or has {@code *} elsewhere than at its end
   */
  public static EventTypeFilter of(List<String> patterns) {
    return new EventTypeFilter(List.copyOf(patterns));
  }

  /**
   * A filter of the given patterns.
   *
   * @param patterns exact types or {@code prefix*} patterns
   * @return the filter
   */
  public static EventTypeFilter of(String... patterns) {
    return of(List.of(patterns));
  }

  /**
   * Whether a type is expected.
   *
   * @param eventType the delivery's type
   * @return whether a pattern matches it
   */
  public boolean matches(String eventType) {
    if (exact.contains(eventType)) {
      return true;
    }
    for (String prefix : prefixes) {
      if (eventType.startsWith(prefix) && eventType.length() > prefix.length() || prefix.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "EventTypeFilter" + patterns;
  }
}
