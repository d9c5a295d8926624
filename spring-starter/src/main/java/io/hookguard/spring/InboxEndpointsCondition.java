package io.hookguard.spring;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when some {@code hookguard.endpoints.<name>.inbox} is true. */
final class InboxEndpointsCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Switch> endpoints = Binder.get(context.getEnvironment())
        .bind("hookguard.endpoints", Bindable.mapOf(String.class, Switch.class)).orElse(Map.of());
    for (Map.Entry<String, Switch> endpoint : endpoints.entrySet()) {
      if (endpoint.getValue().isInbox()) {
        return ConditionOutcome.match("hookguard.endpoints." + endpoint.getKey() + ".inbox is true");
      }
    }
    return ConditionOutcome.noMatch("no hookguard.endpoints.<name>.inbox is true");
  }

  /** The one setting the condition reads of an endpoint; the others are ignored here. */
  public static final class Switch {
    private boolean inbox;

    /** Created by the binder. */
    public Switch() {}

    /** @return whether the endpoint is in inbox mode */
    public boolean isInbox() {
      return inbox;
    }

    /** @param inbox whether the endpoint is in inbox mode */
    public void setInbox(boolean inbox) {
      this.inbox = inbox;
    }
  }
}
