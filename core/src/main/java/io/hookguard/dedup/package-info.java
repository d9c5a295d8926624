/**
 * Deduplication of retried deliveries: the store SPI ({@link io.hookguard.dedup.DedupStore}) and
 * the embedded default on Caffeine ({@link io.hookguard.dedup.CaffeineDedupStore}).
 *
 * <p>Each event key moves {@code ABSENT → IN_PROGRESS(token, fingerprint) [lease] →
 * COMPLETED(fingerprint) [retention]}; a released claim goes back to {@code ABSENT}.
 */
@NullMarked
package io.hookguard.dedup;

import org.jspecify.annotations.NullMarked;
