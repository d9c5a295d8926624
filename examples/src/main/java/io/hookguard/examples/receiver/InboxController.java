package io.hookguard.examples.receiver;

import io.hookguard.inbox.DeadLetterFilter;
import io.hookguard.inbox.Inbox;
import io.hookguard.inbox.InboxEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The inbox's dead letters for the demo, through the inbox's Java API. Unauthenticated because
 * the receiver listens on loopback only; a real application puts these behind its own security
 * (or uses the Actuator's {@code hookguardinbox} endpoint, whose replay is a write operation).
 */
@RestController
public class InboxController {
  private final ObjectProvider<Inbox> inboxes;

  /**
   * Created by Spring.
   *
   * @param inboxes the inbox, absent where no endpoint is in inbox mode (the receiver on WebFlux)
   */
  public InboxController(ObjectProvider<Inbox> inboxes) {
    this.inboxes = inboxes;
  }

  /** @return the dead letters, oldest first, without bodies */
  @GetMapping("/inbox/dead-letters")
  public List<Map<String, Object>> deadLetters() {
    Inbox inbox = inboxes.getIfAvailable();
    return inbox == null ? List.of()
        : inbox.deadLetters(DeadLetterFilter.all(), 100).stream().map(InboxController::describe).toList();
  }

  /**
   * Puts a dead letter back to be processed.
   *
   * @param id its id
   * @return 202 when replayed, 404 when there is no such dead letter
   */
  @PostMapping("/inbox/dead-letters/{id}/replay")
  public ResponseEntity<Map<String, Object>> replay(@PathVariable("id") long id) {
    Inbox inbox = inboxes.getIfAvailable();
    if (inbox == null || !inbox.replay(id)) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("id", id, "error", "no such dead letter"));
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id, "replayed", true));
  }

  private static Map<String, Object> describe(InboxEntry entry) {
    Map<String, Object> letter = new LinkedHashMap<>();
    letter.put("id", entry.id());
    letter.put("endpoint", entry.endpoint());
    letter.put("eventId", entry.eventId());
    letter.put("eventType", entry.eventType());
    letter.put("attempts", entry.attempts());
    letter.put("lastError", entry.lastError());
    letter.put("receivedAt", entry.receivedAt().toString());
    letter.put("deadAt", entry.updatedAt().toString());
    return letter;
  }
}
