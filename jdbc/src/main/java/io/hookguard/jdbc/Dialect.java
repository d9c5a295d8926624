package io.hookguard.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The databases the stores run on, and the little that differs between them. All take work
 * with {@code SELECT … FOR UPDATE SKIP LOCKED} (H2 has it since 2.2.220, MySQL since 8.0.1,
 * MariaDB since 10.6) and fence every change on the lease token. PostgreSQL and H2 report a
 * unique violation as SQLState 23505, MySQL and MariaDB as error 1062 (SQLState 23000).
 */
enum Dialect {
  POSTGRESQL("postgresql"),
  H2("h2"),
  /**
   * MySQL 8.0.1+ and MariaDB 10.6+ on InnoDB, one script for both ({@code *-mysql.sql}): no
   * {@code ON CONFLICT} (the duplicate-key error is caught), {@code LIMIT} rather than
   * {@code FETCH FIRST} (which MySQL lacks), takes in READ COMMITTED (no gap locks), changes of
   * one row pinned to the primary key ({@link #byPrimaryKey}).
   */
  MYSQL("mysql");

  /** MySQL's and MariaDB's "duplicate entry for key" (ER_DUP_ENTRY), with SQLState 23000. */
  private static final int DUPLICATE_ENTRY = 1062;
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

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
      if (name.contains("mariadb") || name.contains("mysql")) {
        return mysql(product, connection.getMetaData().getDatabaseProductVersion());
      }
      throw new IllegalStateException("hookguard-jdbc runs on PostgreSQL, MySQL 8.0.1+, MariaDB 10.6+ and H2 2.x, "
          + "not on " + product);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the database to tell which it is: " + e.getMessage(), e);
    }
  }

  /**
   * MySQL or MariaDB, old enough for {@code SKIP LOCKED}. MySQL's own driver calls MariaDB
   * "MySQL", and MariaDB 10.x announces itself to MySQL clients as {@code 5.5.5-10.x.y-MariaDB}:
   * the version string, not the product name, tells them apart.
   */
  static Dialect mysql(String product, String version) {
    boolean mariaDb = version.contains("MariaDB") || product.contains("MariaDB");
    String bare = version.startsWith("5.5.5-") ? version.substring("5.5.5-".length()) : version;
    Matcher numbers = VERSION.matcher(bare);
    if (!numbers.find()) {
      throw new IllegalStateException("hookguard-jdbc cannot read the version of " + product + ": " + version);
    }
    int[] found = {Integer.parseInt(numbers.group(1)), Integer.parseInt(numbers.group(2)),
        Integer.parseInt(numbers.group(3))};
    int[] needed = mariaDb ? new int[] {10, 6, 0} : new int[] {8, 0, 1};
    if (Arrays.compare(found, needed) < 0) {
      throw new IllegalStateException("hookguard-jdbc needs " + (mariaDb ? "MariaDB 10.6" : "MySQL 8.0.1")
          + " or later (SKIP LOCKED), not " + version);
    }
    return MYSQL;
  }

  /**
   * A table in an {@code UPDATE} of one row by its primary key. MariaDB's optimizer may scan a
   * secondary index instead when the statement also filters on its leading column (e.g.
   * {@code state}, whose statistics are poor while the table is young): a range scan under
   * REPEATABLE READ locks rows and gaps of that index, and two such marks deadlock. The hint
   * keeps it to the one row's lock.
   */
  String byPrimaryKey(String table) {
    return this == MYSQL ? table + " FORCE INDEX (PRIMARY)" : table;
  }

  /** At most {@code rows} rows, after an {@code ORDER BY}. */
  String limit(int rows) {
    return this == MYSQL ? " LIMIT " + rows : " FETCH FIRST " + rows + " ROWS ONLY";
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

  /**
   * Whether a statement failed on a unique key: SQLState 23505, or MySQL's and MariaDB's error
   * 1062 (its SQLState, 23000, also covers other integrity errors, e.g. a NOT NULL one).
   */
  static boolean isUniqueViolation(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if ("23505".equals(next.getSQLState())
          || ("23000".equals(next.getSQLState()) && next.getErrorCode() == DUPLICATE_ENTRY)) {
        return true;
      }
    }
    return false;
  }
}
