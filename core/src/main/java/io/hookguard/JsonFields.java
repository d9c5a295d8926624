package io.hookguard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a few scalar fields from a JSON object body in one streaming pass, without binding the
 * document: it stops as soon as every field is found and skips sub-trees that hold none of them.
 * A body that is not a JSON object, or is malformed past a point, yields what was read before it.
 */
final class JsonFields {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  /** Dotted paths into nested objects, e.g. {@code event.id}; arrays are not entered. */
  private final String[][] paths;

  JsonFields(List<String> dottedPaths) {
    this.paths = new String[dottedPaths.size()][];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = dottedPaths.get(i).split("\\.");
    }
  }

  boolean isEmpty() {
    return paths.length == 0;
  }

  /** The text of each path's value (numbers as written, strings unescaped), or null. */
  @Nullable String[] read(byte[] body) {
    String[] values = new String[paths.length];
    if (paths.length == 0) {
      return values;
    }
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return values;
      }
      walk(parser, new ArrayList<>(4), new boolean[paths.length], (index, value) -> values[index] = value.getText());
    } catch (IOException | RuntimeException e) {
      // Malformed JSON is data, not a failure of ours: keep what was found before it.
    }
    return values;
  }

  /**
   * The body with the value of each path replaced by one NUL byte: the text of the value
   * {@link #read} takes (the first non-null scalar at the path; objects and arrays are never cut).
   * Everything else is kept as it is, so two bodies that differ elsewhere still differ. A body that is not a JSON
   * object, or is malformed before the last value is found, is returned whole, as is one holding
   * none of the paths; like {@link #read}, the walk stops at the last value.
   *
   * @param body the body
   * @return the remaining bytes, or {@code body} itself
   */
  byte[] without(byte[] body) {
    long[] cuts = new long[paths.length * 2];
    Arrays.fill(cuts, -1);
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return body;
      }
      walk(parser, new ArrayList<>(4), new boolean[paths.length], (index, value) -> {
        long start = value.currentTokenLocation().getByteOffset();
        value.finishToken(); // a string is read lazily: its end is known once it is read
        cuts[2 * index] = start;
        cuts[2 * index + 1] = value.currentLocation().getByteOffset();
      });
    } catch (IOException | RuntimeException e) {
      return body; // nothing cut: a malformed body only ever differs from more bodies, never from fewer
    }
    List<long[]> extents = new ArrayList<>(paths.length);
    for (int i = 0; i < paths.length; i++) {
      if (cuts[2 * i] >= 0) {
        extents.add(new long[] {cuts[2 * i], cuts[2 * i + 1]});
      }
    }
    if (extents.isEmpty()) {
      return body;
    }
    extents.sort(Comparator.comparingLong(extent -> extent[0]));
    ByteArrayOutputStream kept = new ByteArrayOutputStream(body.length);
    int from = 0;
    for (long[] extent : extents) {
      kept.write(body, from, (int) extent[0] - from);
      // A NUL where the value was, a byte no JSON text holds: the cut is marked, so bodies that
      // differ outside the values cut never come out the same.
      kept.write(0);
      from = (int) extent[1];
    }
    kept.write(body, from, body.length - from);
    return kept.toByteArray();
  }

  /** What the walk does with the value found at a wanted path. */
  private interface Visitor {
    void visit(int index, JsonParser value) throws IOException;
  }

  /**
   * The one walk of {@link #read} and {@link #without}, so that what is cut is exactly what was
   * read (and verified): objects on the way to a wanted path are entered, other objects and every
   * array skipped, and the first non-null scalar at each wanted path is visited. Returns false
   * once every path was visited, to stop early.
   */
  private boolean walk(JsonParser parser, List<String> prefix, boolean[] found, Visitor visitor)
      throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      prefix.add(parser.currentName());
      JsonToken valueToken = parser.nextToken();
      if (valueToken == JsonToken.START_OBJECT) {
        if (isPrefixOfWanted(prefix)) {
          if (!walk(parser, prefix, found, visitor)) {
            return false;
          }
        } else {
          parser.skipChildren();
        }
      } else if (valueToken == JsonToken.START_ARRAY) {
        parser.skipChildren();
      } else if (valueToken != null && valueToken.isScalarValue() && valueToken != JsonToken.VALUE_NULL) {
        int index = wanted(prefix);
        if (index >= 0 && !found[index]) {
          found[index] = true;
          visitor.visit(index, parser);
          if (allTrue(found)) {
            return false;
          }
        }
      }
      prefix.remove(prefix.size() - 1);
    }
    if (token != JsonToken.END_OBJECT) {
      throw new IOException("truncated object");
    }
    return true;
  }

  // Called for every field of the body: index loops, no views or iterators allocated.
  private int wanted(List<String> path) {
    for (int i = 0; i < paths.length; i++) {
      if (paths[i].length == path.size() && startsWith(paths[i], path)) {
        return i;
      }
    }
    return -1;
  }

  private boolean isPrefixOfWanted(List<String> prefix) {
    for (String[] path : paths) {
      if (path.length > prefix.size() && startsWith(path, prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(String[] path, List<String> prefix) {
    for (int i = 0; i < prefix.size(); i++) {
      if (!path[i].equals(prefix.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean allTrue(boolean[] found) {
    for (boolean one : found) {
      if (!one) {
        return false;
      }
    }
    return true;
  }
}
