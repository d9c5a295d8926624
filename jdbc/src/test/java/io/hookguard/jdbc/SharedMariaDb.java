package io.hookguard.jdbc;

import javax.sql.DataSource;

/**
 * One MariaDB server for the whole test run (started on first use, stopped at JVM exit), as
 * {@link SharedPostgres}; each case drops the stores' tables with {@link SharedPostgres#dropTables}.
 * Cases that stop the server start their own instead.
 */
final class SharedMariaDb {
  private static MariaDbServer server;
  private static DataSource dataSource;

  private SharedMariaDb() {}

  static synchronized DataSource dataSource() {
    if (server == null) {
      server = MariaDbServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      dataSource = server.dataSource(40);
    }
    return dataSource;
  }
}
