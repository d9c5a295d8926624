package io.hookguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
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
 *
 * <p>It also gives the server's share alone ({@code server.cpu.us.per.op}): the CPU of every Java
 * thread except JMH's workers, which run the client. That leaves out the client, whose own cost
 * per request grows on a saturated machine when the server takes longer (more of its requests
 * wait, are woken and rescheduled), and the JVM's own GC and compiler threads, which are not Java
 * threads. It is the figure of what a request costs a server that does nothing else.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;
  private long wallAtStart;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Map<Long, Long> serverCpuAtStart = Map.of();

  @Override
  public String getDescription() {
    return "process CPU time per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = os.getProcessCpuTime();
    wallAtStart = System.nanoTime();
    serverCpuAtStart = serverThreadCpu();
  }

  /** CPU time so far of each live Java thread that is not a JMH worker (the client). */
  private Map<Long, Long> serverThreadCpu() {
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null || info.getThreadName().contains("jmh-worker")) {
        continue;
      }
      long time = threads.getThreadCpuTime(info.getThreadId());
      if (time >= 0) {
        cpu.put(info.getThreadId(), time);
      }
    }
    return cpu;
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuAtStart;
    long wall = System.nanoTime() - wallAtStart;
    long server = 0;
    int survivors = 0;
    for (Map.Entry<Long, Long> thread : serverThreadCpu().entrySet()) {
      // A thread started during the iteration counts from zero; one that ended is lost (the
      // servers' pools keep theirs).
      Long before = serverCpuAtStart.get(thread.getKey());
      survivors += before != null ? 1 : 0;
      server += thread.getValue() - (before != null ? before : 0L);
    }
    // After the last iteration the trial's tear-down has stopped the server already: its threads,
    // and their CPU, are gone, and the figure would read as zero.
    boolean serverMeasured = survivors * 2 > serverCpuAtStart.size();
    long ops = result.getMetadata().getAllOps();
    if (ops <= 0 || cpu < 0) {
      return List.of();
    }
    List<Result> results = new java.util.ArrayList<>(List.of(
        new ScalarResult("cpu.us.per.op", cpu / 1_000.0 / ops, "µs/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.cores.busy", (double) cpu / wall, "cores", AggregationPolicy.AVG)));
    if (serverMeasured) {
      results.add(new ScalarResult("server.cpu.us.per.op", server / 1_000.0 / ops, "µs/op", AggregationPolicy.AVG));
    }
    return results;
  }
}
