/**
 * The life of one delivery, framework-neutral: {@link io.hookguard.delivery.DeliveryLifecycle}
 * takes an {@link io.hookguard.delivery.IncomingRequest} for a
 * {@link io.hookguard.delivery.WebhookEndpoint} and returns an
 * {@link io.hookguard.delivery.Answer} or a {@link io.hookguard.delivery.RunningDelivery};
 * adapters (the servlet filter, Spring MVC, Spring WebFlux) only translate HTTP in and out.
 * Non-blocking adapters run it in two halves ({@code screen}, then
 * {@link io.hookguard.delivery.Screening.Passed#receive()}) around a body they collect themselves
 * ({@link io.hookguard.delivery.BodyCollector}). One
 * {@link io.hookguard.delivery.DeliveryAudit} per delivery goes to every listener.
 */
@NullMarked
package io.hookguard.delivery;

import org.jspecify.annotations.NullMarked;
