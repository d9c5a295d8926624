package io.hookguard;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
   * The names present, as received (the first spelling of each), in the order first received.
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
    // Keyed by the lower-case name; each entry keeps the first spelling received.
    private final Map<String, Map.Entry<String, List<String>>> values = new LinkedHashMap<>();

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
      // get-then-put rather than computeIfAbsent: no capturing lambda per header of every request.
      String key = name.toLowerCase(Locale.ROOT);
      Map.Entry<String, List<String>> entry = values.get(key);
      if (entry == null) {
        entry = Map.entry(name, new ArrayList<>(1));
        values.put(key, entry);
      }
      entry.getValue().add(value);
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
      values.remove(requireNonNull(name, "name").toLowerCase(Locale.ROOT));
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
      int size = values.size();
      String[] names = new String[size];
      List<?>[] lists = new List<?>[size];
      int i = 0;
      for (Map.Entry<String, List<String>> entry : values.values()) {
        names[i] = entry.getKey();
        lists[i] = List.copyOf(entry.getValue());
        i++;
      }
      return new MapHeaders(names, lists);
    }
  }
}

/**
 * The immutable implementation behind {@link WebhookHeaders#builder()}: parallel arrays searched
 * for the exact name, then case-insensitively. A request has a handful of headers, and a scheme looks
 * up two or three of them on every delivery; this needs no lower-cased copy of the name asked for.
 */
final class MapHeaders implements WebhookHeaders {
  private final String[] names;
  private final List<?>[] values;

  MapHeaders(String[] names, List<?>[] values) {
    this.names = names;
    this.values = values;
  }

  @Override
  @SuppressWarnings("unchecked") // every element is a List<String>, see Builder.build()
  public List<String> all(String name) {
    // Exact spelling first: senders and HTTP/2 mostly send the spelling schemes ask for, and an
    // exact comparison is far cheaper than a case-insensitive one.
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return (List<String>) values[i];
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return (List<String>) values[i];
      }
    }
    return List.of();
  }

  @Override
  public Set<String> names() {
    // Insertion-ordered and unmodifiable; built on demand because verification never asks.
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
  }

  @Override
  public String toString() {
    // Header values may carry signatures or tokens; names are enough to debug.
    return "WebhookHeaders" + Arrays.toString(names);
  }
}
