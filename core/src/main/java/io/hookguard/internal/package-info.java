/** Internal to Hookguard: shared by its packages and modules. Not an API; it changes without notice. */
@NullMarked
package io.hookguard.internal;

import org.jspecify.annotations.NullMarked;
