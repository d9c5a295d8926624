package io.hookguard.servlet.internal;

import static java.util.Objects.requireNonNull;

import io.hookguard.WebhookHeaders;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A servlet request's headers as the lifecycle reads them: each header is looked up in the
 * container when first asked for and kept, instead of copying every header of every request up
 * front. Profiled at 4 KiB under load, that copy (every name and value through the container's
 * enumerations, lower-cased and indexed) cost as much as the body's SHA-256, while a scheme reads
 * three or four headers.
 *
 * <p>A container recycles its request objects once the exchange ends, so a lazy view must not
 * outlive the lifecycle's call: {@link #detach()} keeps what was read and cuts the container off.
 * After it, a header not read before fails with {@link IllegalStateException} rather than reaching
 * a request object that may already serve another exchange. The lifecycle reads everything a
 * delivery carries on (its event id and type) before it returns, so nothing asks after that.
 */
final class ContainerHeaders implements WebhookHeaders {
  private @Nullable HttpServletRequest container;
  /** The names asked for, as asked, and the values the container gave for each. */
  private final List<String> asked = new ArrayList<>(6);
  private final List<List<String>> answers = new ArrayList<>(6);
  private @Nullable Set<String> names;

  ContainerHeaders(HttpServletRequest container) {
    this.container = requireNonNull(container, "container");
  }

  @Override
  public synchronized List<String> all(String name) {
    requireNonNull(name, "name");
    for (int i = 0; i < asked.size(); i++) {
      if (asked.get(i).equalsIgnoreCase(name)) {
        return answers.get(i);
      }
    }
    // Case-insensitive in the container, by the Servlet specification; null where it denies access.
    Enumeration<String> values = attached().getHeaders(name);
    List<String> found = values == null || !values.hasMoreElements() ? List.of() : List.copyOf(Collections.list(values));
    asked.add(name);
    answers.add(found);
    return found;
  }

  @Override
  public synchronized Set<String> names() {
    if (names == null) {
      // The first spelling of each name, merged case-insensitively as WebhookHeaders.builder() does.
      Map<String, String> spellings = new LinkedHashMap<>();
      Enumeration<String> received = attached().getHeaderNames();
      while (received != null && received.hasMoreElements()) {
        String name = received.nextElement();
        spellings.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      }
      names = Collections.unmodifiableSet(new LinkedHashSet<>(spellings.values()));
    }
    return names;
  }

  /** Keeps what was read and lets go of the container request; later reads of others fail. */
  synchronized void detach() {
    container = null;
  }

  private HttpServletRequest attached() {
    HttpServletRequest request = container;
    if (request == null) {
      throw new IllegalStateException("a request's headers were read after the lifecycle received it; "
          + "the container may have recycled the request");
    }
    return request;
  }

  @Override
  public synchronized String toString() {
    // Header values may carry signatures or tokens; names are enough to debug.
    return "WebhookHeaders(servlet request, read " + asked + ")";
  }
}
