package io.hookguard.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real Redis Cluster of three masters (no replicas) on free loopback ports, with the 16384
 * slots split between them, started and stopped by a test.
 */
public final class RedisClusterProcesses implements AutoCloseable {
  private static final int SLOTS = 16_384;

  private final List<RedisProcess> nodes;

  private RedisClusterProcesses(List<RedisProcess> nodes) {
    this.nodes = nodes;
  }

  /** @return a cluster whose state is {@code ok} on every node */
  public static RedisClusterProcesses start() {
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(RedisProcess.start(RedisProcess.freePort(true), "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
            "--appendonly", "no"));
      }
      RedisClusterProcesses cluster = new RedisClusterProcesses(nodes);
      cluster.form();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::close);
      throw e;
    }
  }

  private void form() {
    for (int i = 0; i < nodes.size(); i++) {
      try (Jedis node = new Jedis(nodes.get(i).address())) {
        int from = i * SLOTS / nodes.size();
        int to = (i + 1) * SLOTS / nodes.size();
        node.clusterAddSlots(IntStream.range(from, to).toArray());
        if (i > 0) {
          node.clusterMeet("127.0.0.1", nodes.get(0).port());
        }
      }
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!formed()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cluster did not reach state ok");
      }
      RedisProcess.sleep(50);
    }
  }

  private boolean formed() {
    for (RedisProcess process : nodes) {
      try (Jedis node = new Jedis(process.address())) {
        String info = node.clusterInfo();
        if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + nodes.size())) {
          return false;
        }
      }
    }
    return true;
  }

  /** @return every node's address, to seed a cluster client */
  public Set<HostAndPort> addresses() {
    Set<HostAndPort> addresses = new LinkedHashSet<>();
    nodes.forEach(node -> addresses.add(node.address()));
    return addresses;
  }

  /** @return the node processes */
  public List<RedisProcess> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public void close() {
    nodes.forEach(RedisProcess::close);
  }
}
