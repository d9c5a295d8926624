/**
 * Verification of signed webhook deliveries over the exact bytes received.
 *
 * <p>Start with {@link io.hookguard.WebhookVerifier#builder(WebhookScheme)} and a scheme from
 * {@link io.hookguard.Providers}, or describe another sender with {@link io.hookguard.WebhookScheme#builder(String)}.
 * Everything not public here is an implementation detail.
 */
@NullMarked
package io.hookguard;

import org.jspecify.annotations.NullMarked;
