package io.hookguard.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One PostgreSQL server for the whole test run (started on first use, stopped at JVM exit), and
 * helpers to give each case empty tables. Cases that stop the server start their own instead.
 */
final class SharedPostgres {
  private static PostgresServer server;
  private static DataSource dataSource;

  private SharedPostgres() {}

  static synchronized DataSource dataSource() {
    if (server == null) {
      server = PostgresServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      dataSource = server.dataSource(40);
    }
    return dataSource;
  }

  /** Drops the stores' tables, so that each case starts from nothing (and createTables runs). */
  static void dropTables(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS hookguard_inbox");
      statement.execute("DROP TABLE IF EXISTS hookguard_dedup");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
