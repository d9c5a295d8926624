/**
 * Hookguard's test kit, for the tests of applications that receive webhooks: {@link TestWebhook}
 * signs deliveries the way each built-in sender does (event id, timestamp and type filled in),
 * for core-level tests ({@link TestWebhook#request()}), plain {@code java.net.http}
 * ({@link TestWebhook#httpRequest}), MockMvc ({@link WebhookMockMvc}), {@code WebTestClient}
 * ({@link WebhookWebTestClient}) and {@code RestTestClient} ({@link WebhookRestTestClient}, Spring
 * Framework 7); tampering helpers for negative tests; {@link TestKeys} for the keys to configure;
 * {@link TestClock} to pin the verifier's clock; and {@link DedupStoreContract} and
 * {@link InboxStoreContract}, the suites a custom {@code DedupStore} or {@code InboxStore} proves
 * itself with. The Spring classes need Spring on the test
 * classpath (the application's own, Boot 4 or 3.5); nothing else does.
 */
@NullMarked
package io.hookguard.test;

import org.jspecify.annotations.NullMarked;
