package io.hookguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The forked JVM's own CPU time per operation ({@code -prof io.hookguard.benchmarks.CpuTimeProfiler}),
 * as {@code -prof gc} gives allocation per operation. On a machine shared with other work, a
 * throughput score moves with what the neighbours do; the CPU the benchmark's own process spends
 * on one request moves far less, so the ratio of two paths' CPU per request is the steadier
 * figure of what one path costs over the other. Both client and server run in the fork: their
 * shared part (signing, the HTTP client) is in every path's figure alike.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;
  private long wallAtStart;

  @Override
  public String getDescription() {
    return "process CPU time per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = os.getProcessCpuTime();
    wallAtStart = System.nanoTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuAtStart;
    long wall = System.nanoTime() - wallAtStart;
    long ops = result.getMetadata().getAllOps();
    if (ops <= 0 || cpu < 0) {
      return List.of();
    }
    return List.of(
        new ScalarResult("cpu.us.per.op", cpu / 1_000.0 / ops, "µs/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.cores.busy", (double) cpu / wall, "cores", AggregationPolicy.AVG));
  }
}
