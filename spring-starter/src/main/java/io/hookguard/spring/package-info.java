/**
 * Spring Boot auto-configuration for Hookguard: {@code hookguard.*} properties, the
 * {@link io.hookguard.spring.Webhook} annotation for controller methods, metrics and health.
 */
@NullMarked
package io.hookguard.spring;

import org.jspecify.annotations.NullMarked;
