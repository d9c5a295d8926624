package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Request headers, looked up case-insensitively, with every value of a repeated header kept in
 * the order received. Implementations must be immutable or effectively so while verifying.
 */
public interface WebhookHeaders {

  /**
   * All values of a header, in the order received.
   *
   * @param name the header name, in any case
   * @return the values, empty when the header is absent
   */
  List<String> all(String name);

  /**
   * The first value of a header.
   *
   * @param name the header name, in any case
   * @return the first value, or {@code null} when the header is absent
   */
  default @Nullable String first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * The names present, as received.
   *
   * @return the header names
   */
  Set<String> names();

  /**
   * Copies a map of header names to values into an immutable, case-insensitive view. Names that
   * differ only in case are merged.
   *
   * @param headers header names and their values
   * @return the headers
   */
  static WebhookHeaders of(Map<String, ? extends List<String>> headers) {
    Builder builder = builder();
    headers.forEach((name, values) -> values.forEach(value -> builder.add(name, value)));
    return builder.build();
  }

  /**
   * No headers at all.
   *
   * @return an empty header set
   */
  static WebhookHeaders empty() {
    return builder().build();
  }

  /**
   * A builder for immutable headers.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /** Collects header values; {@link #build()} makes an immutable copy. */
  final class Builder {
    private final TreeMap<String, List<String>> values =
        new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private Builder() {}

    /**
     * Adds one value of a header, keeping earlier values of the same name.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder add(String name, String value) {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
      return this;
    }

    /**
     * Replaces every value of a header with one value.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder set(String name, String value) {
      values.remove(requireNonNull(name, "name"));
      return add(name, value);
    }

    /**
     * Adds every value of other headers.
     *
     * @param headers the headers to copy
     * @return this builder
     */
    public Builder addAll(WebhookHeaders headers) {
      for (String name : headers.names()) {
        headers.all(name).forEach(value -> add(name, value));
      }
      return this;
    }

    /**
     * Makes the immutable headers.
     *
     * @return the headers
     */
    public WebhookHeaders build() {
      TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
      return new MapHeaders(Collections.unmodifiableSortedMap(copy));
    }
  }
}

/** The immutable, case-insensitive implementation behind {@link WebhookHeaders#builder()}. */
final class MapHeaders implements WebhookHeaders {
  private final Map<String, List<String>> values;

  MapHeaders(Map<String, List<String>> values) {
    this.values = values;
  }

  @Override
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  @Override
  public Set<String> names() {
    return values.keySet();
  }

  @Override
  public String toString() {
    // Header values may carry signatures or tokens; names are enough to debug.
    return "WebhookHeaders" + values.keySet();
  }
}
