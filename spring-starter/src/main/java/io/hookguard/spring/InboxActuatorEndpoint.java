package io.hookguard.spring;

import io.hookguard.inbox.DeadLetterFilter;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxEntry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The inbox's dead letters on the Actuator ({@code /actuator/hookguardinbox}, exposed like any
 * endpoint with {@code management.endpoints.web.exposure.include}): listing and inspection are
 * read operations, replay and purge write operations, so the application's actuator security
 * can tell them apart. Bodies are never listed; inspecting one delivery shows its body only with
 * {@code ?body=true}.
 *
 * <ul>
 *   <li>{@code GET /actuator/hookguardinbox[?endpoint=&eventType=&limit=]}: depth by state and the
 *       dead letters (oldest first, 100 by default), without bodies;</li>
 *   <li>{@code GET /actuator/hookguardinbox/{id}[?body=true]}: one stored delivery in any state;</li>
 *   <li>{@code POST /actuator/hookguardinbox/replay} with {@code {"id": 42}} or a filter
 *       ({@code endpoint}, {@code eventType}, {@code deadBefore}: an ISO instant) or
 *       {@code {"all": true}}: puts dead letters back to be processed;</li>
 *   <li>{@code POST /actuator/hookguardinbox/purge} with a filter or {@code {"all": true}}:
 *       deletes dead letters.</li>
 * </ul>
 */
@Endpoint(id = "hookguardinbox")
// Boot 3.5 finds optional operation parameters by Spring's own @Nullable (deprecated on Spring 7,
// whose Boot 4 accepts it too): JSpecify's type-use annotation is not seen there.
@SuppressWarnings({"deprecation", "removal"})
public final class InboxActuatorEndpoint {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final Inbox inbox;

  /**
   * Creates the endpoint.
   *
   * @param inbox the inbox
   */
  public InboxActuatorEndpoint(Inbox inbox) {
    this.inbox = inbox;
  }

  /**
   * Depth by state and the matching dead letters, without bodies.
   *
   * @param endpoint only this endpoint's, if given
   * @param eventType only this exact event type, if given
   * @param limit the most to list (1 to 1000, 100 by default)
   * @return {@code depth}, {@code oldestReadyAge} and {@code deadLetters}
   */
  @ReadOperation
  public Map<String, Object> deadLetters(@org.springframework.lang.Nullable String endpoint,
      @org.springframework.lang.Nullable String eventType, @org.springframework.lang.Nullable Integer limit) {
    int most = limit == null ? DEFAULT_LIMIT : limit;
    if (most < 1 || most > MAX_LIMIT) {
      throw new InvalidEndpointRequestException("limit must be between 1 and " + MAX_LIMIT, "bad limit");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    Map<String, Object> depth = new LinkedHashMap<>();
    inbox.depth().forEach((state, count) -> depth.put(InboxStatus.jsonName(state), count));
    answer.put("depth", depth);
    answer.put("oldestReadyAge", inbox.oldestReadyAge().map(Object::toString).orElse(null));
    List<Map<String, Object>> letters = inbox.deadLetters(filter(endpoint, eventType, null), most).stream()
        .map(entry -> describe(entry, false)).toList();
    answer.put("deadLetters", letters);
    return answer;
  }

  /**
   * One stored delivery, in any state.
   *
   * @param id its id
   * @param body whether to include the body ({@code body} as text when it is UTF-8, else
   *     {@code bodyBase64}); only on this explicit request
   * @return the delivery, or {@code null} (404) when there is none
   */
  @ReadOperation
  public @org.springframework.lang.Nullable Map<String, Object> delivery(@Selector long id,
      @org.springframework.lang.Nullable Boolean body) {
    boolean withBody = Boolean.TRUE.equals(body);
    return inbox.find(id, withBody).map(entry -> describe(entry, withBody)).orElse(null);
  }

  /**
   * Replays or purges dead letters.
   *
   * @param action {@code replay} or {@code purge}
   * @param id the one dead letter to replay
   * @param endpoint only this endpoint's
   * @param eventType only this exact event type
   * @param deadBefore only those that became dead letters before this ISO-8601 instant
   * @param all every dead letter, when no filter is given (never implied)
   * @return {@code replayed} or {@code purged}: how many
   */
  @WriteOperation
  public Map<String, Object> act(@Selector String action, @org.springframework.lang.Nullable Long id,
      @org.springframework.lang.Nullable String endpoint, @org.springframework.lang.Nullable String eventType,
      @org.springframework.lang.Nullable String deadBefore, @org.springframework.lang.Nullable Boolean all) {
    boolean filtered = endpoint != null || eventType != null || deadBefore != null;
    switch (action) {
      case "replay" -> {
        if (id != null) {
          if (filtered) {
            throw new InvalidEndpointRequestException("give an id or a filter, not both", "id and filter");
          }
          return Map.of("replayed", inbox.replay(id) ? 1 : 0);
        }
        return Map.of("replayed", inbox.replay(requireChoice(filtered, all, endpoint, eventType, deadBefore)));
      }
      case "purge" -> {
        if (id != null) {
          throw new InvalidEndpointRequestException("purge takes a filter, not an id", "purge by id");
        }
        return Map.of("purged", inbox.purgeDeadLetters(requireChoice(filtered, all, endpoint, eventType, deadBefore)));
      }
      default -> throw new InvalidEndpointRequestException("no such action: use replay or purge", "unknown action");
    }
  }

  private static DeadLetterFilter requireChoice(boolean filtered, @org.springframework.lang.Nullable Boolean all,
      @org.springframework.lang.Nullable String endpoint, @org.springframework.lang.Nullable String eventType,
      @org.springframework.lang.Nullable String deadBefore) {
    if (!filtered && !Boolean.TRUE.equals(all)) {
      throw new InvalidEndpointRequestException("give an id, a filter (endpoint, eventType, deadBefore) or "
          + "\"all\": true", "no filter");
    }
    Instant before = null;
    if (deadBefore != null) {
      try {
        before = Instant.parse(deadBefore);
      } catch (DateTimeParseException e) {
        throw new InvalidEndpointRequestException("deadBefore is not an ISO-8601 instant", "bad deadBefore");
      }
    }
    return filter(endpoint, eventType, before);
  }

  private static DeadLetterFilter filter(@org.springframework.lang.Nullable String endpoint,
      @org.springframework.lang.Nullable String eventType, @org.springframework.lang.Nullable Instant deadBefore) {
    return new DeadLetterFilter(endpoint, eventType, deadBefore);
  }

  private static Map<String, Object> describe(InboxEntry entry, boolean withBody) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("id", entry.id());
    described.put("endpoint", entry.endpoint());
    described.put("provider", entry.provider());
    described.put("eventId", entry.eventId());
    described.put("eventType", entry.eventType());
    described.put("contentType", entry.contentType());
    described.put("receivedAt", entry.receivedAt().toString());
    described.put("source", entry.source());
    described.put("state", InboxStatus.jsonName(entry.state()));
    described.put("attempts", entry.attempts());
    described.put("lastError", entry.lastError());
    described.put("updatedAt", entry.updatedAt().toString());
    described.put("nextAttemptAt", entry.nextAttemptAt() == null ? null : entry.nextAttemptAt().toString());
    if (withBody) {
      entry.optionalBody().ifPresent(body -> {
        try {
          described.put("body", StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
          described.put("bodyBase64", Base64.getEncoder().encodeToString(body));
        }
      });
    }
    return described;
  }
}
