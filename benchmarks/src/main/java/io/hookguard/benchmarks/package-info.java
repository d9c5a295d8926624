/** JMH benchmarks of verification and deduplication against baselines measured in the same run. */
@NullMarked
package io.hookguard.benchmarks;

import org.jspecify.annotations.NullMarked;
