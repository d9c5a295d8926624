package io.hookguard.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import javax.sql.DataSource;

/**
 * How the transactional inbox store opens one transaction around a handler and its "done" mark.
 * {@link #of(DataSource)} does it with plain JDBC; a framework that manages transactions plugs
 * its own in, so that a handler's framework-managed writes (Spring's {@code JdbcTemplate}, say)
 * join the same transaction: run {@code work} inside the framework's transaction and pass it the
 * connection the framework bound to that transaction, on the store's data source.
 */
@FunctionalInterface
public interface JdbcTransactions {

  /**
   * Runs work in one transaction: commits when it returns, rolls back when it throws (and
   * rethrows what it threw).
   *
   * @param <T> the result's type
   * @param work the work, given the transaction's connection
   * @return what the work returned
   * @throws Exception what the work threw, or the database's failure to commit
   */
  <T> T inTransaction(Work<T> work) throws Exception;

  /**
   * Work inside a transaction.
   *
   * @param <T> the result's type
   */
  @FunctionalInterface
  interface Work<T> {
    /**
     * Does the work.
     *
     * @param connection the transaction's connection: do not commit, roll back or close it
     * @return the result
     * @throws Exception to roll the transaction back
     */
    T run(Connection connection) throws Exception;
  }

  /**
   * Plain JDBC: a connection of the data source with auto-commit off, committed or rolled back,
   * then closed (auto-commit restored first, for pools).
   *
   * @param dataSource the data source
   * @return the transactions
   */
  static JdbcTransactions of(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource");
    return new JdbcTransactions() {
      @Override
      public <T> T inTransaction(Work<T> work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
          boolean autoCommit = connection.getAutoCommit();
          connection.setAutoCommit(false);
          try {
            T result = work.run(connection);
            connection.commit();
            return result;
          } catch (Throwable failure) {
            try {
              connection.rollback();
            } catch (java.sql.SQLException rollback) {
              failure.addSuppressed(rollback);
            }
            throw failure;
          } finally {
            try {
              connection.setAutoCommit(autoCommit);
            } catch (java.sql.SQLException ignored) {
              // the connection is broken: closing it is all that is left
            }
          }
        }
      }

      @Override
      public String toString() {
        return "JdbcTransactions[plain JDBC]";
      }
    };
  }
}
