/** Runnable examples of Hookguard. */
@NullMarked
package io.hookguard.examples;

import org.jspecify.annotations.NullMarked;
