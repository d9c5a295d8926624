package io.hookguard.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The databases the stores run on, and the little that differs between them. Both take work
 * with {@code SELECT … FOR UPDATE SKIP LOCKED} (H2 has it since 2.2.220) and fence every change
 * on the lease token; both report a unique violation as SQLState 23505.
 */
enum Dialect {
  POSTGRESQL("postgresql"),
  H2("h2");

  private final String scriptSuffix;

  Dialect(String scriptSuffix) {
    this.scriptSuffix = scriptSuffix;
  }

  static Dialect of(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName();
      String name = product.toLowerCase(Locale.ROOT);
      if (name.contains("postgresql")) {
        return POSTGRESQL;
      }
      if (name.equals("h2")) {
        int major = connection.getMetaData().getDatabaseMajorVersion();
        if (major < 2) {
          throw new IllegalStateException("hookguard-jdbc needs H2 2.x (SKIP LOCKED), not " + major + ".x");
        }
        return H2;
      }
      throw new IllegalStateException("hookguard-jdbc runs on PostgreSQL and H2 2.x, not on " + product);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the database to tell which it is: " + e.getMessage(), e);
    }
  }

  /** The bundled schema script of a store, e.g. {@code inbox-postgresql.sql}. */
  String script(String store) {
    return store + "-" + scriptSuffix + ".sql";
  }

  /** Runs a bundled schema script (statements separated by ';' at line ends, '--' comments). */
  void createTables(DataSource dataSource, String store) {
    String resource = script(store);
    String sql;
    try (InputStream in = Dialect.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema script " + resource);
      }
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema script " + resource, e);
    }
    StringBuilder uncommented = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        uncommented.append(line).append('\n');
      }
    }
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      for (String part : uncommented.toString().split(";\\s*\n")) {
        if (!part.isBlank()) {
          statement.execute(part.strip());
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the " + store + " tables from " + resource + ": "
          + e.getMessage(), e);
    }
  }

  static boolean isUniqueViolation(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if ("23505".equals(next.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
