/**
 * Internal to Hookguard: what its servlet adapters share. Not an API; it changes without notice.
 */
@NullMarked
package io.hookguard.servlet.internal;

import org.jspecify.annotations.NullMarked;
