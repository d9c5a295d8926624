/**
 * A Jakarta Servlet filter that verifies and deduplicates webhook deliveries before the
 * application reads a byte: {@link io.hookguard.servlet.WebhookFilter}, configured with one
 * {@link io.hookguard.servlet.WebhookEndpoint} per path.
 */
@NullMarked
package io.hookguard.servlet;

import org.jspecify.annotations.NullMarked;
