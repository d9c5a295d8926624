/**
 * The durable inbox: acknowledge a verified delivery once it is stored, process it in the
 * background. An endpoint in inbox mode ({@code WebhookEndpoint.Builder.inbox}) has the delivery
 * lifecycle {@linkplain io.hookguard.inbox.Inbox#accept store} each verified delivery — unique on
 * its dedup key, so a sender's retry is an acknowledged duplicate — and answer 2xx only once the
 * store committed. The {@link io.hookguard.inbox.Inbox}'s workers then take stored deliveries
 * under a fenced lease, run the endpoint's {@link io.hookguard.inbox.InboxHandler}, and mark them
 * done; a failure is retried with backoff per the {@link io.hookguard.inbox.RetryPolicy} until
 * it becomes a dead letter, which can be listed, inspected, replayed and purged. Where deliveries
 * live is an {@link io.hookguard.inbox.InboxStore}: {@link io.hookguard.inbox.InMemoryInboxStore}
 * for tests, {@code hookguard-jdbc} for PostgreSQL and H2.
 */
@NullMarked
package io.hookguard.inbox;

import org.jspecify.annotations.NullMarked;
