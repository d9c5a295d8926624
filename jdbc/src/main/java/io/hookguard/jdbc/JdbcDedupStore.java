package io.hookguard.jdbc;

import static io.hookguard.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupStore;
import io.hookguard.dedup.DedupStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A shared {@link DedupStore} on PostgreSQL, MySQL/MariaDB or H2 2.x through plain JDBC, for
 * teams with a database and no Redis. One row per key in {@code hookguard_dedup} (create it with the bundled
 * {@code io/hookguard/jdbc/dedup-<db>.sql} or {@link Builder#createTables()}). A claim is a
 * unique insert; a key whose lease or retention ran out is taken over by an update conditioned
 * on the row being exactly as read (token and expiry), so of racing claims one wins. Complete,
 * release and extend check the token, the state and that the lease has not run out, in the
 * {@code WHERE} of one statement: a holder whose lease ran out can never touch the next claim.
 *
 * <p>Expired rows are taken over in place; {@link #purgeExpired(int)} deletes them in bounded
 * batches (call it now and then). Times are this JVM's {@link Clock}; every instance's clock
 * should be synchronised to well within the lease. A failing database call throws
 * {@link DedupStoreException}. Thread-safe.
 */
public final class JdbcDedupStore implements DedupStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;

  private JdbcDedupStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.dialect = Dialect.of(dataSource);
    this.clock = builder.clock;
    if (builder.createTables) {
      dialect.createTables(dataSource, "dedup");
    }
  }

  /**
   * Starts configuring a store.
   *
   * @param dataSource the database (PostgreSQL, MySQL 8.0.1+, MariaDB 10.6+ or H2 2.x)
   * @return a builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  @Override
  public ClaimResult claim(String key, String fingerprint, Duration lease) {
    requireNonNull(key, "key");
    requireNonNull(fingerprint, "fingerprint");
    positive(lease, "lease");
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      for (int round = 0; round < 10; round++) {
        long now = clock.millis();
        String token = DedupStore.newClaimToken();
        if (insert(connection, key, fingerprint, token, now + lease.toMillis())) {
          return new ClaimResult.Acquired(token);
        }
        try (PreparedStatement read = connection.prepareStatement(
            "SELECT fingerprint, state, token, expires_at FROM hookguard_dedup WHERE dedup_key = ?")) {
          read.setString(1, key);
          try (ResultSet row = read.executeQuery()) {
            if (!row.next()) {
              continue; // deleted in between: insert again
            }
            String heldFingerprint = row.getString(1);
            String state = row.getString(2);
            String heldToken = row.getString(3);
            long expiresAt = row.getLong(4);
            if (expiresAt <= now) {
              if (takeOver(connection, key, heldToken, expiresAt, fingerprint, token, now + lease.toMillis())) {
                return new ClaimResult.Acquired(token);
              }
              continue; // another claim took it over first: read again
            }
            if (!heldFingerprint.equals(fingerprint)) {
              return new ClaimResult.FingerprintMismatch();
            }
            return "C".equals(state) ? new ClaimResult.Completed()
                : new ClaimResult.InProgress(Duration.ofMillis(expiresAt - now));
          }
        }
      }
      throw new DedupStoreException("the dedup key kept changing under the claim");
    } catch (SQLException e) {
      throw new DedupStoreException("the dedup store could not claim a key: " + e.getMessage(), e);
    }
  }

  private static boolean insert(Connection connection, String key, String fingerprint, String token, long expiresAt)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hookguard_dedup "
        + "(dedup_key, fingerprint, state, token, expires_at) VALUES (?, ?, 'P', ?, ?)")) {
      insert.setString(1, key);
      insert.setString(2, fingerprint);
      insert.setString(3, token);
      insert.setLong(4, expiresAt);
      insert.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (Dialect.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  private static boolean takeOver(Connection connection, String key, String heldToken, long heldExpiry,
      String fingerprint, String token, long expiresAt) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE hookguard_dedup SET fingerprint = ?, "
        + "state = 'P', token = ?, expires_at = ? WHERE dedup_key = ? AND token = ? AND expires_at = ?")) {
      update.setString(1, fingerprint);
      update.setString(2, token);
      update.setLong(3, expiresAt);
      update.setString(4, key);
      update.setString(5, heldToken);
      update.setLong(6, heldExpiry);
      return update.executeUpdate() == 1;
    }
  }

  @Override
  public boolean complete(String key, String token, Duration retention) {
    positive(retention, "retention");
    long now = clock.millis();
    return update("UPDATE hookguard_dedup SET state = 'C', expires_at = ? "
        + "WHERE dedup_key = ? AND token = ? AND state = 'P' AND expires_at > ?", now + retention.toMillis(), key,
        token, now) == 1;
  }

  @Override
  public boolean release(String key, String token) {
    long now = clock.millis();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(
            "DELETE FROM hookguard_dedup WHERE dedup_key = ? AND token = ? AND state = 'P' AND expires_at > ?")) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      delete.setString(1, key);
      delete.setString(2, token);
      delete.setLong(3, now);
      return delete.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new DedupStoreException("the dedup store could not release a key: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean extend(String key, String token, Duration lease) {
    positive(lease, "lease");
    long now = clock.millis();
    return update("UPDATE hookguard_dedup SET expires_at = ? "
        + "WHERE dedup_key = ? AND token = ? AND state = 'P' AND expires_at > ?", now + lease.toMillis(), key, token,
        now) == 1;
  }

  /**
   * Deletes at most {@code limit} rows whose lease or retention ran out, oldest first.
   *
   * @param limit the most to delete, positive
   * @return how many were deleted (fewer than {@code limit}: none is left)
   * @throws DedupStoreException when the database cannot answer
   */
  public int purgeExpired(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement(dialect == Dialect.MYSQL
            // MySQL and MariaDB refuse a LIMIT in an IN subquery, but delete in order with a LIMIT of their own.
            ? "DELETE FROM hookguard_dedup WHERE expires_at <= ? ORDER BY expires_at" + dialect.limit(limit)
            : "DELETE FROM hookguard_dedup WHERE dedup_key IN (SELECT dedup_key FROM hookguard_dedup "
                + "WHERE expires_at <= ? ORDER BY expires_at" + dialect.limit(limit) + ")")) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      delete.setLong(1, clock.millis());
      return delete.executeUpdate();
    } catch (SQLException e) {
      throw new DedupStoreException("the dedup store could not purge expired keys: " + e.getMessage(), e);
    }
  }

  private int update(String sql, long expiresAt, String key, String token, long now) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(sql)) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      update.setLong(1, expiresAt);
      update.setString(2, key);
      update.setString(3, token);
      update.setLong(4, now);
      return update.executeUpdate();
    } catch (SQLException e) {
      throw new DedupStoreException("the dedup store could not update a key: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JdbcDedupStore[" + dialect + "]";
  }

  /** Configures a {@link JdbcDedupStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private boolean createTables;

    private Builder(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /**
     * Creates the table and index at {@link #build()} if they do not exist, from the bundled
     * script; off by default (ship the script through your migrations instead).
     *
     * @return this builder
     */
    public Builder createTables() {
      this.createTables = true;
      return this;
    }

    /**
     * The clock of leases and retention.
     *
     * @param clock the clock, the system's by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes the store: connects once to tell the database (and to create the table, if asked).
     *
     * @return the store
     * @throws IllegalStateException when the database is not PostgreSQL, MySQL 8.0.1+, MariaDB 10.6+
     *     or H2 2.x, cannot be
     *     reached, or the table cannot be created
     */
    public JdbcDedupStore build() {
      return new JdbcDedupStore(this);
    }
  }
}
