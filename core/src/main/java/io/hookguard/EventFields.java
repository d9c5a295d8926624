package io.hookguard;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads a verified delivery's event id, event type and (for senders that put it there) the body
 * timestamp, reading a JSON body at most once.
 */
final class EventFields {
  /** The values found for one delivery. */
  record Values(@Nullable String id, @Nullable String type, @Nullable String bodyTimestamp) {}

  /** A scheme that carries neither id nor type (HubSpot, SendGrid batches). */
  static final EventFields NONE = new EventFields(List.of(), List.of(), null);

  private final List<FieldSource> idSources;
  private final List<FieldSource> typeSources;
  private final @Nullable String bodyTimestampPath;
  private final List<String> jsonPaths = new ArrayList<>();
  private final JsonFields json;
  /** A scheme's own reader, for values no dotted path reaches (Adyen's items in an array). */
  private final @Nullable Function<WebhookRequest, Values> reader;

  EventFields(List<FieldSource> idSources, List<FieldSource> typeSources,
      @Nullable String bodyTimestampPath) {
    this(idSources, typeSources, bodyTimestampPath, null);
  }

  /**
   * Values read by the scheme itself; the sources (body fields) say only where they are, for the
   * signer's messages.
   */
  static EventFields readBy(List<FieldSource> idSources, List<FieldSource> typeSources,
      Function<WebhookRequest, Values> reader) {
    return new EventFields(idSources, typeSources, null, reader);
  }

  private EventFields(List<FieldSource> idSources, List<FieldSource> typeSources,
      @Nullable String bodyTimestampPath, @Nullable Function<WebhookRequest, Values> reader) {
    this.reader = reader;
    this.idSources = List.copyOf(idSources);
    this.typeSources = List.copyOf(typeSources);
    this.bodyTimestampPath = bodyTimestampPath;
    if (bodyTimestampPath != null) {
      jsonPaths.add(bodyTimestampPath);
    }
    for (FieldSource source : idSources) {
      addPath(source);
    }
    for (FieldSource source : typeSources) {
      addPath(source);
    }
    this.json = new JsonFields(jsonPaths);
  }

  /** Where the event id may be, in the order tried. */
  List<FieldSource> idSources() {
    return idSources;
  }

  /** Where the event type may be, in the order tried. */
  List<FieldSource> typeSources() {
    return typeSources;
  }

  private void addPath(FieldSource source) {
    if (source.jsonPath() != null && !jsonPaths.contains(source.jsonPath())) {
      jsonPaths.add(source.jsonPath());
    }
  }

  Values read(WebhookRequest request) {
    if (reader != null) {
      return reader.apply(request);
    }
    @Nullable String[] jsonValues = json.isEmpty() ? new String[0] : json.read(request.body());
    return new Values(
        resolve(idSources, request, jsonValues),
        resolve(typeSources, request, jsonValues),
        bodyTimestampPath == null ? null : jsonValues[0]);
  }

  private @Nullable String resolve(List<FieldSource> sources, WebhookRequest request,
      @Nullable String[] jsonValues) {
    for (FieldSource source : sources) {
      String value = source.header() != null
          ? request.headers().first(source.header())
          : jsonValues[jsonPaths.indexOf(source.jsonPath())];
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }
}
