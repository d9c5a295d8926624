package io.hookguard.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.HostAndPort;

/**
 * A real {@code redis-server} process on a free loopback port, started and stopped by a test.
 *
 * <p>The binary is {@code $HOOKGUARD_REDIS_SERVER} when set, else {@code redis-server} on the
 * {@code PATH}, else the one shipped in the test-scope {@code embedded-redis} jar (Redis 6.2 for
 * Linux x86-64/arm64 and macOS), so {@code ./mvnw verify} needs nothing installed.
 */
public final class RedisProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(15);

  private final Path binary;
  private final Path dir;
  private final int port;
  private final List<String> options;
  private Process process;

  private RedisProcess(Path binary, Path dir, int port, List<String> options) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.options = options;
  }

  /**
   * Starts a server with no persistence.
   *
   * @param options extra {@code redis-server} options, e.g. {@code "--appendonly", "yes"}
   * @return the running server
   */
  public static RedisProcess start(String... options) {
    return start(freePort(false), options);
  }

  static RedisProcess start(int port, String... options) {
    try {
      Path dir = Files.createTempDirectory("hookguard-redis-" + port + "-");
      RedisProcess redis = new RedisProcess(binary(), dir, port, List.of(options));
      redis.launch();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the port the server listens on */
  public int port() {
    return port;
  }

  /** @return the server's address */
  public HostAndPort address() {
    return new HostAndPort("127.0.0.1", port);
  }

  /** Kills the server at once (SIGKILL): no shutdown, no final save. */
  public void kill() {
    process.destroyForcibly();
    waitFor(process);
  }

  /** Starts the server again on the same port and directory, after {@link #kill()}. */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("still running");
    }
    launch();
  }

  /**
   * Pauses or resumes the process (SIGSTOP / SIGCONT): a server that accepts connections but
   * never answers.
   *
   * @param paused whether to pause
   */
  public void pause(boolean paused) {
    try {
      Process signal = new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", Long.toString(process.pid()))
          .inheritIO().start();
      if (!signal.waitFor(10, TimeUnit.SECONDS) || signal.exitValue() != 0) {
        throw new IllegalStateException("could not signal redis-server");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      pause(false);
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless.
    }
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--save", "", "--daemonize", "no", "--logfile", "redis.log"));
    command.addAll(options);
    try {
      process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port + ": " + log());
      }
      sleep(20);
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] reply = new byte[7];
      InputStream in = socket.getInputStream();
      int read = in.readNBytes(reply, 0, 7);
      return new String(reply, 0, read, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private String log() {
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /**
   * A loopback port that is free now; with {@code withBus}, port + 10000 too (Redis Cluster's
   * bus port).
   */
  static int freePort(boolean withBus) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (bindable(port) && (!withBus || bindable(port + 10_000))) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port");
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static synchronized Path binary() throws IOException {
    String configured = System.getenv("HOOKGUARD_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(entry, "redis-server");
      if (!entry.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return shippedBinary();
  }

  /** Copies the embedded-redis jar's binary for this platform out once per JVM. */
  private static Path shippedBinary() throws IOException {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm64");
    String resource;
    if (os.contains("linux")) {
      resource = arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    } else if (os.contains("mac")) {
      resource = arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    } else {
      throw new IllegalStateException("no shipped redis-server for " + os + "/" + arch
          + "; put one on the PATH or set HOOKGUARD_REDIS_SERVER");
    }
    if (extracted == null) {
      Path target = Files.createTempDirectory("hookguard-redis-bin-").resolve("redis-server");
      try (InputStream in = RedisProcess.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is not on the test classpath (embedded-redis)");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
      target.toFile().deleteOnExit();
      target.getParent().toFile().deleteOnExit();
      extracted = target;
    }
    return extracted;
  }

  private static Path extracted;

  private static void waitFor(Process process) {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "redis-server on 127.0.0.1:" + port;
  }
}
