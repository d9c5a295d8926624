package io.hookguard.jdbc;

import static io.hookguard.internal.Checks.positive;
import static java.util.Objects.requireNonNull;

import io.hookguard.dedup.DedupStore;
import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.DeadLetterFilter;
import io.hookguard.inbox.InboxDelivery;
import io.hookguard.inbox.InboxEntry;
import io.hookguard.inbox.InboxHandler;
import io.hookguard.inbox.InboxLease;
import io.hookguard.inbox.InboxState;
import io.hookguard.inbox.InboxStore;
import io.hookguard.inbox.InboxStoreException;
import io.hookguard.inbox.ReceivedDelivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The inbox's store on PostgreSQL, MySQL 8.0.1+ / MariaDB 10.6+ or H2 2.x, through plain JDBC
 * over a {@link DataSource} (give it a pooled one). One table, {@code hookguard_inbox}, one row
 * per delivery with its dedup keys in two unique columns (the event id's key; the signed
 * content's key, where the scheme's id is unsigned or there is none), so that a receipt is one
 * {@code INSERT} in one round trip and only a conflict reads the row it met, to tell a duplicate
 * from a mismatch; create it with the bundled {@code io/hookguard/jdbc/inbox-<db>.sql} or
 * {@link Builder#createTables()}.
 *
 * <p><b>Taking work.</b> Due deliveries are selected with {@code FOR UPDATE SKIP LOCKED} — on
 * PostgreSQL, MySQL/MariaDB and H2 (since 2.2.220) alike — so concurrent workers in any number of
 * instances skip each other's rows instead of queueing on them, and every taken row is then
 * updated under a condition that it is still due (a fence, should a database not honour the lock
 * as expected). On MySQL/MariaDB a take runs in READ COMMITTED (InnoDB's REPEATABLE READ would also
 * lock the gaps receipts insert into) and every change of one row names the primary key as its
 * index. Every later change checks the lease token in its {@code WHERE}: a worker whose lease was
 * taken over changes nothing.
 *
 * <p><b>Guarantee.</b> By default at-least-once: the handler runs, then "done" is written; a
 * crash or lost lease between the two runs the handler again. With {@link Builder#transactional}
 * the handler runs inside a transaction on this database that also writes "done" (only while the
 * lease is still the worker's, else everything rolls back): a handler that writes through
 * {@link #currentConnection()} (or, with a framework's {@link JdbcTransactions}, through the
 * framework's transaction-bound connection) has its writes committed exactly once per delivery.
 * Effects outside this database stay at-least-once.
 *
 * <p>Times are this JVM's {@link Clock} (every instance's clock should be synchronised, as NTP
 * does, to well within the lease). A failing database call throws {@link InboxStoreException}.
 * Thread-safe.
 */
public final class JdbcInboxStore implements InboxStore {
  private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();
  /**
   * The due time of a done or dead delivery: never. It keeps such rows out of the range an
   * endpoint's take scans in the {@code (endpoint, due_at)} index (H2 has no partial indexes).
   */
  private static final long NEVER = Long.MAX_VALUE;
  private static final String COLUMNS = "id, endpoint, provider, event_id, event_type, content_type, received_at, "
      + "source, state, attempts, last_error, updated_at, due_at, retrying_since";

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final @Nullable JdbcTransactions transactions;
  /** The table, in a statement that changes one row by its id. */
  private final String oneRow;
  private final String done;

  private JdbcInboxStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.dialect = Dialect.of(dataSource);
    this.oneRow = dialect.byPrimaryKey("hookguard_inbox");
    this.done = "UPDATE " + oneRow + " SET state = 'DONE', lease_token = NULL, due_at = " + NEVER
        + ", updated_at = ? WHERE id = ? AND lease_token = ? AND state = 'IN_FLIGHT'";
    this.clock = builder.clock;
    this.transactions = builder.transactions;
    if (builder.createTables) {
      dialect.createTables(dataSource, "inbox");
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

  /**
   * The connection of the transaction the current handler runs in, in transactional mode: write
   * through it for the writes to commit together with the delivery's "done" mark. Do not commit,
   * roll back or close it.
   *
   * @return the connection, or empty outside a transactional handler
   */
  public static Optional<Connection> currentConnection() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** @return whether handlers run in one transaction with the "done" mark */
  public boolean isTransactional() {
    return transactions != null;
  }

  private long now() {
    return clock.millis();
  }

  @Override
  public Acceptance store(ReceivedDelivery delivery) {
    String eventKey = delivery.eventId() == null ? null : delivery.key();
    String bodyKey = delivery.eventId() == null ? delivery.key() : delivery.bodyKey();
    for (int round = 0; round < 3; round++) {
      try (Connection connection = dataSource.getConnection()) {
        if (!connection.getAutoCommit()) {
          connection.setAutoCommit(true);
        }
        Optional<Long> stored = insert(connection, delivery, eventKey, bodyKey);
        if (stored.isPresent()) {
          return new Acceptance.Stored(stored.get());
        }
        Acceptance existing = existing(connection, delivery, eventKey, bodyKey);
        if (existing != null) {
          return existing;
        }
        // The conflicting delivery was purged in between: store it anew.
      } catch (SQLException e) {
        throw new InboxStoreException("the inbox could not store a delivery: " + e.getMessage(), e);
      }
    }
    throw new InboxStoreException("the inbox could not store a delivery: its keys kept changing");
  }

  @Override
  public Optional<Acceptance> stored(ReceivedDelivery delivery) {
    String eventKey = delivery.eventId() == null ? null : delivery.key();
    String bodyKey = delivery.eventId() == null ? delivery.key() : delivery.bodyKey();
    try (Connection connection = dataSource.getConnection()) {
      return Optional.ofNullable(existing(connection, delivery, eventKey, bodyKey));
    } catch (SQLException e) {
      throw new InboxStoreException("the inbox could not look a delivery up: " + e.getMessage(), e);
    }
  }

  private static final String INSERT = "INSERT INTO hookguard_inbox (endpoint, provider, event_id, event_type, "
      + "content_type, body, received_at, source, event_key, body_key, fingerprint, state, attempts, due_at, "
      + "updated_at, retrying_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'READY', 0, ?, ?, ?)";

  /**
   * One statement in autocommit, so one round trip: the new id, or empty when one of the keys is
   * taken (nothing is written then). PostgreSQL skips the conflicting row ({@code ON CONFLICT DO
   * NOTHING}, which also spares the server's log an error per duplicate); H2 reports the unique
   * violation, MySQL and MariaDB their duplicate-key error 1062 (not {@code INSERT IGNORE}, which
   * would also turn other errors — a value too long, a NULL in a NOT NULL column — into warnings
   * and a delivery acknowledged without being stored).
   */
  private Optional<Long> insert(Connection connection, ReceivedDelivery d, @Nullable String eventKey,
      @Nullable String bodyKey) throws SQLException {
    long now = now();
    String sql = dialect == Dialect.POSTGRESQL ? INSERT + " ON CONFLICT DO NOTHING RETURNING id" : INSERT;
    try (PreparedStatement insert = switch (dialect) {
      case POSTGRESQL -> connection.prepareStatement(sql);
      case H2 -> connection.prepareStatement(sql, new String[] {"ID"});
      case MYSQL -> connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }) {
      insert.setString(1, d.endpoint());
      insert.setString(2, d.provider());
      nullable(insert, 3, d.eventId());
      nullable(insert, 4, d.eventType());
      nullable(insert, 5, d.contentType());
      insert.setBytes(6, d.body());
      insert.setLong(7, d.receivedAt().toEpochMilli());
      nullable(insert, 8, d.source());
      nullable(insert, 9, eventKey);
      nullable(insert, 10, bodyKey);
      insert.setString(11, d.fingerprint());
      insert.setLong(12, now);
      insert.setLong(13, now);
      insert.setLong(14, d.receivedAt().toEpochMilli());
      if (dialect == Dialect.POSTGRESQL) {
        try (ResultSet id = insert.executeQuery()) {
          return id.next() ? Optional.of(id.getLong(1)) : Optional.empty();
        }
      }
      try {
        insert.executeUpdate();
      } catch (SQLException e) {
        if (Dialect.isUniqueViolation(e)) {
          return Optional.empty();
        }
        throw e;
      }
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no generated id");
        }
        return Optional.of(keys.getLong(1));
      }
    }
  }

  /** What holds the keys: a duplicate, a mismatch (the event key with another body), or null (gone). */
  private static @Nullable Acceptance existing(Connection connection, ReceivedDelivery d, @Nullable String eventKey,
      @Nullable String bodyKey) throws SQLException {
    try (PreparedStatement find = connection.prepareStatement(
        "SELECT id, event_key, fingerprint FROM hookguard_inbox WHERE event_key = ? OR body_key = ?")) {
      nullable(find, 1, eventKey);
      nullable(find, 2, bodyKey);
      Acceptance found = null;
      try (ResultSet rows = find.executeQuery()) {
        while (rows.next()) {
          // Only an event key can see another body; a body key has its content in the key.
          boolean byEventKey = eventKey != null && eventKey.equals(rows.getString(2));
          if (byEventKey && !rows.getString(3).equals(d.fingerprint())) {
            return new Acceptance.FingerprintMismatch();
          }
          found = new Acceptance.Duplicate(rows.getLong(1));
        }
      }
      return found;
    }
  }

  @Override
  public List<InboxLease> take(Collection<String> endpoints, int max, Duration lease) {
    positive(max, "max");
    positive(lease, "lease");
    if (endpoints.isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(endpoints.size(), "?"));
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        if (dialect == Dialect.MYSQL) {
          // InnoDB's default REPEATABLE READ locks the gaps around the rows a locking read scans:
          // the gap receipts insert into, and those the taken rows' index entries move into (on
          // this take's update and on every later mark), where racing takers and marks then
          // deadlock. READ COMMITTED locks only the rows taken; this next transaction only.
          try (Statement isolation = connection.createStatement()) {
            isolation.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
          }
        }
        long now = now();
        List<Long> ids = new ArrayList<>();
        // Led by the endpoint, as the index is: another endpoint's backlog is never scanned.
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM hookguard_inbox "
            + "WHERE endpoint " + (endpoints.size() == 1 ? "= ?" : "IN (" + marks + ")") + " AND due_at <= ? "
            + "AND state IN ('READY', 'IN_FLIGHT') ORDER BY due_at" + dialect.limit(max) + " FOR UPDATE SKIP LOCKED")) {
          int i = 1;
          for (String endpoint : endpoints) {
            select.setString(i++, endpoint);
          }
          select.setLong(i, now);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getLong(1));
            }
          }
        }
        List<InboxLease> taken = new ArrayList<>(ids.size());
        for (long id : ids) {
          String token = DedupStore.newClaimToken();
          try (PreparedStatement update = connection.prepareStatement("UPDATE " + oneRow + " SET state = 'IN_FLIGHT', "
              + "lease_token = ?, due_at = ?, attempts = attempts + 1, updated_at = ? "
              + "WHERE id = ? AND state IN ('READY', 'IN_FLIGHT') AND due_at <= ?")) {
            update.setString(1, token);
            update.setLong(2, now + lease.toMillis());
            update.setLong(3, now);
            update.setLong(4, id);
            update.setLong(5, now);
            if (update.executeUpdate() != 1) {
              continue; // taken by another worker after all: the fence held
            }
          }
          try (PreparedStatement read = connection.prepareStatement(
              "SELECT " + COLUMNS + ", body FROM hookguard_inbox WHERE id = ?")) {
            read.setLong(1, id);
            try (ResultSet row = read.executeQuery()) {
              if (row.next()) {
                InboxDelivery delivery = new InboxDelivery(row.getLong("id"), row.getString("endpoint"),
                    row.getString("provider"), row.getString("event_id"), row.getString("event_type"),
                    row.getString("content_type"), row.getBytes("body"), Instant.ofEpochMilli(row.getLong("received_at")),
                    row.getString("source"), row.getInt("attempts"));
                taken.add(new InboxLease(delivery, token, Instant.ofEpochMilli(row.getLong("retrying_since"))));
              }
            }
          }
        }
        connection.commit();
        return taken;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new InboxStoreException("the inbox could not take deliveries: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean extend(InboxLease lease, Duration duration) {
    positive(duration, "duration");
    long now = now();
    return fenced("UPDATE " + oneRow + " SET due_at = ? WHERE id = ? AND lease_token = ? AND state = 'IN_FLIGHT'",
        lease, now + duration.toMillis());
  }

  @Override
  public boolean markDone(InboxLease lease) {
    return fenced(done, lease, now());
  }


  @Override
  public boolean handleAndMarkDone(InboxLease lease, InboxHandler handler) throws Exception {
    if (transactions == null) {
      return InboxStore.super.handleAndMarkDone(lease, handler);
    }
    try {
      return transactions.inTransaction(connection -> {
        Connection outer = CURRENT.get();
        CURRENT.set(connection);
        try {
          handler.handle(lease.delivery());
        } finally {
          if (outer == null) {
            CURRENT.remove();
          } else {
            CURRENT.set(outer);
          }
        }
        try (PreparedStatement mark = connection.prepareStatement(done)) {
          mark.setLong(1, now());
          mark.setLong(2, lease.id());
          mark.setString(3, lease.token());
          if (mark.executeUpdate() != 1) {
            throw new LeaseLost(); // another worker has it: roll the handler's writes back
          }
        } catch (SQLException e) {
          throw new MarkFailed(e);
        }
        return true;
      });
    } catch (LeaseLost e) {
      return false;
    } catch (MarkFailed e) {
      throw new InboxStoreException("the inbox could not mark a delivery done: " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  /** Rolls the transaction back when the lease is no longer the worker's. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost() {
      super("lease lost", null, false, false);
    }
  }

  /** The "done" mark itself failed (not the handler): a store failure, not a failed attempt. */
  private static final class MarkFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MarkFailed(SQLException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  @Override
  public boolean retryLater(InboxLease lease, Duration delay, String error) {
    requireNonNull(delay, "delay");
    requireNonNull(error, "error");
    long now = now();
    return update("UPDATE " + oneRow + " SET state = 'READY', lease_token = NULL, due_at = ?, updated_at = ?, "
        + "last_error = ? WHERE id = ? AND lease_token = ? AND state = 'IN_FLIGHT'", statement -> {
          statement.setLong(1, now + Math.max(0, delay.toMillis()));
          statement.setLong(2, now);
          statement.setString(3, truncated(error));
          statement.setLong(4, lease.id());
          statement.setString(5, lease.token());
        }) == 1;
  }

  @Override
  public boolean deadLetter(InboxLease lease, String error) {
    requireNonNull(error, "error");
    long now = now();
    return update("UPDATE " + oneRow + " SET state = 'DEAD', lease_token = NULL, due_at = " + NEVER
        + ", updated_at = ?, last_error = ? WHERE id = ? AND lease_token = ? AND state = 'IN_FLIGHT'", statement -> {
          statement.setLong(1, now);
          statement.setString(2, truncated(error));
          statement.setLong(3, lease.id());
          statement.setString(4, lease.token());
        }) == 1;
  }

  @Override
  public boolean release(InboxLease lease) {
    long now = now();
    return update("UPDATE " + oneRow + " SET state = 'READY', lease_token = NULL, due_at = ?, updated_at = ?, "
        + "attempts = attempts - 1 WHERE id = ? AND lease_token = ? AND state = 'IN_FLIGHT'", statement -> {
          statement.setLong(1, now);
          statement.setLong(2, now);
          statement.setLong(3, lease.id());
          statement.setString(4, lease.token());
        }) == 1;
  }

  private boolean fenced(String sql, InboxLease lease, long time) {
    return update(sql, statement -> {
      statement.setLong(1, time);
      statement.setLong(2, lease.id());
      statement.setString(3, lease.token());
    }) == 1;
  }

  @Override
  public Optional<InboxEntry> find(long id, boolean withBody) {
    return query("SELECT " + COLUMNS + (withBody ? ", body" : "") + " FROM hookguard_inbox WHERE id = ?",
        statement -> statement.setLong(1, id), withBody, 1).stream().findFirst();
  }

  @Override
  public List<InboxEntry> deadLetters(DeadLetterFilter filter, int limit) {
    positive(limit, "limit");
    Where where = where(filter);
    return query("SELECT " + COLUMNS + " FROM hookguard_inbox WHERE " + where.sql + " ORDER BY id"
        + dialect.limit(limit), where::bind, false, limit);
  }

  @Override
  public boolean replay(long id) {
    long now = now();
    return update("UPDATE " + oneRow + " SET state = 'READY', attempts = 0, due_at = ?, updated_at = ?, "
        + "retrying_since = ? WHERE id = ? AND state = 'DEAD'", statement -> {
          statement.setLong(1, now);
          statement.setLong(2, now);
          statement.setLong(3, now);
          statement.setLong(4, id);
        }) == 1;
  }

  @Override
  public int replay(DeadLetterFilter filter) {
    long now = now();
    Where where = where(filter);
    return update("UPDATE hookguard_inbox SET state = 'READY', attempts = 0, due_at = " + now + ", updated_at = "
        + now + ", retrying_since = " + now + " WHERE " + where.sql, where::bind);
  }

  @Override
  public int purgeDeadLetters(DeadLetterFilter filter) {
    Where where = where(filter);
    return update("DELETE FROM hookguard_inbox WHERE " + where.sql, where::bind);
  }

  @Override
  public int purgeDone(Instant doneBefore, int limit) {
    positive(limit, "limit");
    // MySQL and MariaDB refuse a LIMIT in an IN subquery, but delete in order with a LIMIT of their own.
    String sql = dialect == Dialect.MYSQL
        ? "DELETE FROM hookguard_inbox WHERE state = 'DONE' AND updated_at < ? ORDER BY updated_at"
            + dialect.limit(limit)
        : "DELETE FROM hookguard_inbox WHERE id IN (SELECT id FROM hookguard_inbox WHERE state = 'DONE' "
            + "AND updated_at < ? ORDER BY updated_at" + dialect.limit(limit) + ")";
    return update(sql, statement -> statement.setLong(1, doneBefore.toEpochMilli()));
  }

  @Override
  public Map<InboxState, Long> depth() {
    Map<InboxState, Long> depth = new EnumMap<>(InboxState.class);
    for (InboxState state : InboxState.values()) {
      depth.put(state, 0L);
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement count = connection.prepareStatement(
            "SELECT state, COUNT(*) FROM hookguard_inbox GROUP BY state");
        ResultSet rows = count.executeQuery()) {
      while (rows.next()) {
        depth.put(InboxState.valueOf(rows.getString(1)), rows.getLong(2));
      }
      return depth;
    } catch (SQLException | IllegalArgumentException e) {
      throw new InboxStoreException("the inbox could not count deliveries: " + e.getMessage(), e);
    }
  }

  @Override
  public long backlog() {
    // The pending rows only (PostgreSQL's partial index), not a count of every done delivery.
    try (Connection connection = dataSource.getConnection();
        PreparedStatement count = connection.prepareStatement(
            "SELECT COUNT(*) FROM hookguard_inbox WHERE state IN ('READY', 'IN_FLIGHT')");
        ResultSet row = count.executeQuery()) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new InboxStoreException("the inbox could not count its backlog: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Instant> oldestReadySince() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement oldest = connection.prepareStatement(
            "SELECT MIN(due_at) FROM hookguard_inbox WHERE state = 'READY' AND due_at <= ?")) {
      oldest.setLong(1, now());
      try (ResultSet row = oldest.executeQuery()) {
        row.next();
        long since = row.getLong(1);
        return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(since));
      }
    } catch (SQLException e) {
      throw new InboxStoreException("the inbox could not read its oldest ready delivery: " + e.getMessage(), e);
    }
  }

  /** A dead-letter filter as SQL: every condition bound as a parameter. */
  private record Where(String sql, List<Object> values) {
    void bind(PreparedStatement statement) throws SQLException {
      for (int i = 0; i < values.size(); i++) {
        Object value = values.get(i);
        if (value instanceof Long number) {
          statement.setLong(i + 1, number);
        } else {
          statement.setString(i + 1, (String) value);
        }
      }
    }
  }

  private static Where where(DeadLetterFilter filter) {
    StringBuilder sql = new StringBuilder("state = 'DEAD'");
    List<Object> values = new ArrayList<>();
    if (filter.endpoint() != null) {
      sql.append(" AND endpoint = ?");
      values.add(filter.endpoint());
    }
    if (filter.eventType() != null) {
      sql.append(" AND event_type = ?");
      values.add(filter.eventType());
    }
    if (filter.deadBefore() != null) {
      sql.append(" AND updated_at < ?");
      values.add(filter.deadBefore().toEpochMilli());
    }
    return new Where(sql.toString(), values);
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private int update(String sql, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      binder.bind(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new InboxStoreException("the inbox could not update deliveries: " + e.getMessage(), e);
    }
  }

  private List<InboxEntry> query(String sql, Binder binder, boolean withBody, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      List<InboxEntry> entries = new ArrayList<>(Math.min(limit, 100));
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          InboxState state = InboxState.valueOf(row.getString("state"));
          entries.add(new InboxEntry(row.getLong("id"), row.getString("endpoint"), row.getString("provider"),
              row.getString("event_id"), row.getString("event_type"), row.getString("content_type"),
              Instant.ofEpochMilli(row.getLong("received_at")), row.getString("source"), state, row.getInt("attempts"),
              row.getString("last_error"), Instant.ofEpochMilli(row.getLong("updated_at")),
              state == InboxState.READY ? Instant.ofEpochMilli(row.getLong("due_at")) : null,
              withBody ? row.getBytes("body") : null));
        }
      }
      return entries;
    } catch (SQLException | IllegalArgumentException e) {
      throw new InboxStoreException("the inbox could not read deliveries: " + e.getMessage(), e);
    }
  }

  private static void nullable(PreparedStatement statement, int index, @Nullable String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  private static String truncated(String error) {
    return error.length() <= 1000 ? error : error.substring(0, 1000);
  }

  private static void rollbackQuietly(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      failure.addSuppressed(rollback);
    }
  }

  @Override
  public String toString() {
    return "JdbcInboxStore[" + dialect + (transactions == null ? "" : ", transactional") + "]";
  }

  /** Configures a {@link JdbcInboxStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private Clock clock = Clock.systemUTC();
    private @Nullable JdbcTransactions transactions;
    private boolean createTables;

    private Builder(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /**
     * Creates the tables and indexes at {@link #build()} if they do not exist, from the bundled
     * script; off by default (ship the script through your migrations instead).
     *
     * @return this builder
     */
    public Builder createTables() {
      this.createTables = true;
      return this;
    }

    /**
     * Runs each handler and the delivery's "done" mark in one plain-JDBC transaction on this
     * data source; the handler writes through {@link JdbcInboxStore#currentConnection()}.
     *
     * @return this builder
     */
    public Builder transactional() {
      return transactional(JdbcTransactions.of(dataSource));
    }

    /**
     * Runs each handler and the delivery's "done" mark in one transaction opened by
     * {@code transactions} (a framework's, so that the handler's framework-managed writes join
     * it). The connection {@code transactions} hands over must be to this store's database.
     *
     * @param transactions how to open the transaction
     * @return this builder
     */
    public Builder transactional(JdbcTransactions transactions) {
      this.transactions = requireNonNull(transactions, "transactions");
      return this;
    }

    /**
     * The clock of leases, due times and retention.
     *
     * @param clock the clock, the system's by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes the store: connects once to tell the database (and to create the tables, if asked).
     *
     * @return the store
     * @throws IllegalStateException when the database is not PostgreSQL, MySQL 8.0.1+, MariaDB 10.6+
     *     or H2 2.x, cannot be
     *     reached, or the tables cannot be created
     */
    public JdbcInboxStore build() {
      return new JdbcInboxStore(this);
    }
  }
}
