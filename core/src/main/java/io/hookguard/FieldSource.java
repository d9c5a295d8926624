package io.hookguard;

import org.jspecify.annotations.Nullable;

/** Where a delivery names a value such as its event id: a header, or a field of a JSON body. */
record FieldSource(@Nullable String header, @Nullable String jsonPath) {
  static FieldSource header(String name) {
    return new FieldSource(name, null);
  }

  static FieldSource json(String dottedPath) {
    return new FieldSource(null, dottedPath);
  }
}
