package io.hookguard.spring;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Sees every WebFlux exchange end, so that a delivery started inside it is finished whatever
 * happens: gives the exchange a {@link DeliverySlot} (in its Reactor context), releases a delivery
 * the handler did not answer (an error, a client that went away: cancellation), and answers a
 * {@link WebhookRejectedException} no {@code @ControllerAdvice} rendered with its problem
 * ({@code application/problem+json}). Finishing may block on the store, so it runs on the
 * scheduler, never on the event loop.
 */
final class WebhookWebFilter implements WebFilter, Ordered {
  private final Scheduler scheduler;

  WebhookWebFilter(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    DeliverySlot slot = new DeliverySlot();
    return chain.filter(exchange)
        .onErrorResume(WebhookRejectedException.class, rejected -> ReactiveExchange.write(rejected.answer(), exchange))
        // Whatever renders another error (Boot's error handler) writes from the connection's loop.
        .onErrorResume(error -> ReactiveExchange.failOnEventLoop(error, exchange))
        .doFinally(signal -> {
          if (slot.endedBeforeStart() || !slot.running()) {
            return; // no delivery (one claimed later is released at once), or finished as its answer was committed
          }
          if (signal == SignalType.ON_COMPLETE) {
            HookguardWebFlux.finish(scheduler, () -> slot.answered(HookguardWebFlux.status(exchange.getResponse())));
          } else {
            slot.failed();
            int status = signal == SignalType.CANCEL ? DeliverySlot.CLIENT_CLOSED : 500;
            HookguardWebFlux.finish(scheduler, () -> slot.abandoned(status));
          }
        })
        .contextWrite(Context.of(DeliverySlot.class, slot));
  }

  @Override
  public int getOrder() {
    // Early, so that it sees the end of everything a later filter does with the exchange.
    return Ordered.HIGHEST_PRECEDENCE + 100;
  }
}
