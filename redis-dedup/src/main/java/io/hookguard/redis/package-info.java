/**
 * The shared {@link io.hookguard.dedup.DedupStore} on Redis, for services with more than one
 * instance: {@link io.hookguard.redis.RedisDedupStore}.
 */
@NullMarked
package io.hookguard.redis;

import org.jspecify.annotations.NullMarked;
