/**
 * A Jakarta Servlet filter that verifies and deduplicates webhook deliveries before the
 * application reads a byte: {@link io.hookguard.servlet.WebhookFilter}, configured with one
 * {@link io.hookguard.delivery.WebhookEndpoint} per path: the servlet adapter of the delivery
 * lifecycle in {@code io.hookguard.delivery}.
 */
@NullMarked
package io.hookguard.servlet;

import org.jspecify.annotations.NullMarked;
