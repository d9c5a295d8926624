package io.hookguard.spring;

import static java.util.Objects.requireNonNull;

import io.hookguard.RejectionReason;
import io.hookguard.VerifiedWebhook;
import io.hookguard.delivery.Answer;
import io.hookguard.delivery.BodyCollector;
import io.hookguard.delivery.BodySource;
import io.hookguard.delivery.DeliveryLifecycle;
import io.hookguard.delivery.Reception;
import io.hookguard.delivery.RunningDelivery;
import io.hookguard.delivery.Screening;
import io.hookguard.delivery.WebhookEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Hookguard on Spring WebFlux. {@code @Webhook} handler methods are protected without it; this
 * bean is the way in for functional endpoints, a {@link HandlerFilterFunction}:
 *
 * <pre>{@code
 * @Bean
 * RouterFunction<ServerResponse> webhooks(HookguardWebFlux hookguard) {
 *   return RouterFunctions.route()
 *       .POST("/webhooks/stripe", request -> request.bodyToMono(Event.class)
 *           .flatMap(event -> ServerResponse.ok().build()))
 *       .filter(hookguard.verified("stripe"))
 *       .build();
 * }
 * }</pre>
 *
 * <p>Either way, each delivery's body is read once without blocking, within the endpoint's size
 * limit ({@code Content-Length} first, then as it arrives) and read deadline. The checks that
 * need no body (source, encoding: no I/O) run on the server's event loop; then, in one hop, the
 * verification, the dedup claim and the audit listeners run on the starter's
 * {@linkplain reactor.core.scheduler.Scheduler scheduler} (bounded elastic by default; bean
 * {@code hookguardScheduler}) — never on the event loop, since the dedup store may block (Redis)
 * and listeners are the application's code — and the handler runs there too, with a request
 * whose body is the verified bytes. Rejections are {@link WebhookRejectedException}s. The event is completed
 * just before a 2xx answer from the handler itself is committed, and released on every other end:
 * another status, an error, an exception handler's answer, a client that went away.
 */
public final class HookguardWebFlux {
  private final WebhookEndpoints endpoints;
  private final DeliveryLifecycle lifecycle;
  private final Scheduler scheduler;
  private final Set<String> filtered = ConcurrentHashMap.newKeySet();

  HookguardWebFlux(WebhookEndpoints endpoints, DeliveryLifecycle lifecycle, Scheduler scheduler) {
    this.endpoints = endpoints;
    this.lifecycle = lifecycle;
    this.scheduler = scheduler;
  }

  /**
   * A filter that runs a functional endpoint only for verified, first-seen deliveries to the
   * configured endpoint; its handler reads the verified bytes ({@code bodyToMono},
   * {@code formData()}) and {@link #verifiedWebhook(ServerRequest)}. Place it as the route's
   * innermost filter: whatever answer reaches it from the handler counts as the handler's.
   *
   * @param endpointName the endpoint's name under {@code hookguard.endpoints}
   * @return the filter
   * @throws HookguardConfigurationException when no such endpoint is configured (at startup,
   *     where the router is built)
   */
  public HandlerFilterFunction<ServerResponse, ServerResponse> verified(String endpointName) {
    requireNonNull(endpointName, "endpointName");
    WebhookEndpoint endpoint = endpoints.get(endpointName).orElseThrow(() -> new HookguardConfigurationException(
        "hookguard.endpoints." + endpointName,
        "HookguardWebFlux.verified(\"" + endpointName + "\") names no configured endpoint",
        "Configure hookguard.endpoints." + endpointName + ".provider and .secrets, or fix the name."));
    filtered.add(endpointName);
    return (request, next) -> receive(endpoint, request.exchange()).flatMap(verified -> invoking(verified.slot(),
        () -> next.handle(ServerRequest.create(verified.exchange(), request.messageReaders())))
        .doOnNext(response -> verified.slot().returned())
        .transform(ReactiveExchange.resultOnEventLoop(request.exchange())));
  }

  /**
   * The verified delivery of a request a Hookguard check let through.
   *
   * @param request the request
   * @return the provider, event id, timestamp and type; empty when Hookguard did not check it
   */
  public static Optional<VerifiedWebhook> verifiedWebhook(ServerRequest request) {
    return request.attribute(ReactiveExchange.VERIFIED_WEBHOOK_ATTRIBUTE).map(VerifiedWebhook.class::cast);
  }

  /**
   * The verified delivery of an exchange a Hookguard check let through.
   *
   * @param exchange the exchange
   * @return the provider, event id, timestamp and type; empty when Hookguard did not check it
   */
  public static Optional<VerifiedWebhook> verifiedWebhook(ServerWebExchange exchange) {
    return Optional.ofNullable(exchange.getAttribute(ReactiveExchange.VERIFIED_WEBHOOK_ATTRIBUTE));
  }

  /** @return the endpoints functional routes were filtered for (the startup check's "unused" warning) */
  Set<String> filteredEndpoints() {
    return Set.copyOf(filtered);
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /** A delivery that passed: the exchange its handler sees, and where its outcome goes. */
  record Verified(ServerWebExchange exchange, DeliverySlot slot) {}

  /**
   * Runs the lifecycle for a request to an endpoint: emits the exchange the handler sees,
   * completes empty after writing an acknowledgement (a replay, an ignored type), or fails with
   * the {@link WebhookRejectedException} of a refusal.
   */
  Mono<Verified> receive(WebhookEndpoint endpoint, ServerWebExchange exchange) {
    return Mono.deferContextual(context -> {
      DeliverySlot slot = context.getOrDefault(DeliverySlot.class, null);
      if (slot == null) {
        // Without the filter nobody would finish the delivery: its claim would hold until the lease ends.
        return Mono.error(new IllegalStateException("Hookguard's web filter (hookguardWebFilter) is not in this "
            + "application's filter chain, so a delivery to " + endpoint.name() + " could not be finished"));
      }
      ServerHttpRequest request = exchange.getRequest();
      BodyCollector body = BodyCollector.forEndpoint(endpoint, request.getHeaders().getContentLength());
      // Screening tells no listener and never blocks: here, on the event loop, and the body is
      // read here too. Only then one hop to the scheduler, for everything that may block: the
      // audit listeners (the application's code), the store, the handler.
      Screening screening = lifecycle.screen(endpoint, ReactiveExchange.incoming(request, body));
      if (screening instanceof Screening.Answered early) {
        return onScheduler(early::answer).<Verified>flatMap(answer -> answered(answer, exchange))
            .onErrorResume(error -> ReactiveExchange.failOnEventLoop(error, exchange));
      }
      Screening.Passed passed = (Screening.Passed) screening;
      Mono<Void> read = body.refusesDeclaredLength() ? Mono.empty()
          : collect(request.getBody(), body, endpoint.readTimeout());
      return read.then(onScheduler(() -> {
        // Verification is CPU, the claim may block on the store. Null (empty): the client
        // left while the delivery was claimed, and it was released.
        Reception reception = passed.receive();
        return reception instanceof RunningDelivery delivery && !slot.start(delivery) ? null : reception;
      })).flatMap(reception -> reception instanceof Answer answer ? answered(answer, exchange)
          : Mono.just(running(exchange, (RunningDelivery) reception, slot)))
          // A refusal (or any failure) is rendered, by the application's advice or the web filter, on the loop.
          .onErrorResume(error -> ReactiveExchange.failOnEventLoop(error, exchange));
    });
  }

  private Verified running(ServerWebExchange exchange, RunningDelivery delivery, DeliverySlot slot) {
    ServerHttpResponse response = exchange.getResponse();
    // Finished before the answer leaves: a sender that sees the 2xx and retries finds it completed.
    // The handler's answer is committed on the connection's event loop; the store call goes to the
    // scheduler, and the write back to the loop (ReactiveExchange.onEventLoop).
    response.beforeCommit(() -> finishing(() -> {
      slot.answered(status(response));
      return null;
    }).then(ReactiveExchange.onEventLoop(exchange)));
    return new Verified(ReactiveExchange.verified(exchange, delivery), slot);
  }

  /**
   * Runs a handler on this (scheduler) thread, telling the slot while its synchronous part runs:
   * a release asked for meanwhile (the client went away) waits until it returned.
   */
  static <T> Mono<T> invoking(DeliverySlot slot, Supplier<Mono<T>> handler) {
    return Mono.from(subscriber -> {
      slot.entered();
      try {
        // Left as soon as the handler's result (or failure) comes out, before its answer is
        // written; or at the latest when the subscription returns (a cancelled exchange).
        Mono.defer(handler).doOnEach(signal -> slot.left()).subscribe(subscriber);
      } finally {
        slot.left();
      }
    });
  }

  /**
   * Runs work on the scheduler and goes on there (the handler too). Not with {@code subscribeOn}:
   * a cancelled exchange would interrupt the thread, and with it a store call or the handler
   * halfway; here a client that goes away never interrupts either. Emits nothing for null. A
   * saturated scheduler refuses the work with {@link #BUSY} (a typed 503): use it only for steps
   * before the claim, where refusing loses nothing.
   */
  <T> Mono<T> onScheduler(Callable<@Nullable T> work) {
    return on(scheduler, work, true);
  }

  /**
   * Runs finishing work (completing or releasing a claim) on the scheduler, never refused: when
   * the scheduler is saturated it runs on a thread of its own, since a dropped outcome would hold
   * the claim until its lease ends. Such threads are bounded by the deliveries in flight, which
   * the scheduler bounds.
   */
  <T> Mono<T> finishing(Callable<@Nullable T> work) {
    return on(scheduler, work, false);
  }

  /** {@link #finishing} for work nobody waits for. */
  static void finish(Scheduler scheduler, Runnable work) {
    on(scheduler, () -> {
      work.run();
      return null;
    }, false).subscribe();
  }

  private static <T> Mono<T> on(Scheduler scheduler, Callable<@Nullable T> work, boolean refusable) {
    return Mono.create(sink -> {
      Runnable task = () -> {
        T value;
        try {
          value = work.call();
        } catch (Throwable e) {
          sink.error(e);
          return;
        }
        sink.success(value);
      };
      try {
        scheduler.schedule(task);
      } catch (RejectedExecutionException e) {
        if (refusable) {
          // Saturated (bounded elastic: every thread busy, its queue full): a typed 503 the
          // sender retries, not a 500. Nothing was verified or claimed yet.
          sink.error(new WebhookRejectedException(BUSY));
        } else {
          Thread thread = new Thread(task, "hookguard-finish");
          thread.setDaemon(true);
          thread.start();
        }
      }
    });
  }

  /** The answer while the scheduler is saturated. */
  static final Answer BUSY = Answer.refuse(RejectionReason.SERVER_BUSY,
      "the receiver is busy: retry later", Duration.ofSeconds(5));

  static int status(ServerHttpResponse response) {
    HttpStatusCode status = response.getStatusCode();
    return status == null ? 200 : status.value();
  }

  private static <T> Mono<T> answered(Answer answer, ServerWebExchange exchange) {
    return answer.reason().isPresent() ? Mono.error(new WebhookRejectedException(answer))
        : ReactiveExchange.write(answer, exchange).then(Mono.empty());
  }

  /**
   * Collects the body as it arrives: stops reading at the limit (nothing past it is buffered) and
   * at the read deadline. Completes once the collector holds the body or its failure.
   */
  private static Mono<Void> collect(Flux<DataBuffer> chunks, BodyCollector body, Duration deadline) {
    return chunks.<Void>handle((chunk, sink) -> {
          try (DataBuffer.ByteBufferIterator buffers = chunk.readableByteBuffers()) {
            while (buffers.hasNext()) {
              if (!body.offer(buffers.next())) {
                sink.complete(); // past the limit: cancels the rest of the body
                return;
              }
            }
          } finally {
            DataBufferUtils.release(chunk);
          }
        })
        .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
        .then()
        .timeout(deadline)
        .doOnSuccess(done -> body.complete())
        .onErrorResume(error -> {
          body.fail(error instanceof TimeoutException ? new BodySource.BodyReadTimeoutException(deadline)
              : error instanceof IOException io ? io : new IOException("the body could not be read", error));
          return Mono.empty();
        });
  }
}
