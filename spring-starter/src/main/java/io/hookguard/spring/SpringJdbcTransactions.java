package io.hookguard.spring;

import io.hookguard.jdbc.JdbcTransactions;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox's handler-and-done transaction as a Spring-managed transaction: a handler's
 * {@code JdbcTemplate} (or JPA, under a JPA transaction manager) joins it, and the "done" mark is
 * written through the connection Spring bound to it, so both commit or roll back together.
 */
final class SpringJdbcTransactions implements JdbcTransactions {
  private final DataSource dataSource;
  private final TransactionTemplate template;

  private SpringJdbcTransactions(DataSource dataSource, PlatformTransactionManager manager) {
    this.dataSource = dataSource;
    this.template = new TransactionTemplate(manager);
  }

  /**
   * The application's transaction manager when it is the only one and manages this data source
   * (or is not a plain JDBC one, e.g. JPA's, which binds the data source's connection too);
   * otherwise a JDBC transaction manager of the inbox's own on the data source.
   */
  static SpringJdbcTransactions on(DataSource dataSource, ObjectProvider<PlatformTransactionManager> managers) {
    PlatformTransactionManager manager = managers.getIfUnique();
    if (manager == null || (manager instanceof DataSourceTransactionManager jdbc && jdbc.getDataSource() != dataSource)) {
      manager = new DataSourceTransactionManager(dataSource);
    }
    return new SpringJdbcTransactions(dataSource, manager);
  }

  @Override
  public <T> T inTransaction(Work<T> work) throws Exception {
    try {
      return template.execute(status -> {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
          return work.run(connection);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new Checked(e); // rolls back, then unwrapped below
        } finally {
          DataSourceUtils.releaseConnection(connection, dataSource);
        }
      });
    } catch (Checked e) {
      throw (Exception) e.getCause();
    }
  }

  @Override
  public String toString() {
    return "JdbcTransactions[Spring " + template.getTransactionManager() + "]";
  }

  /** Carries a checked exception through the transaction template. */
  private static final class Checked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Checked(Exception cause) {
      super(cause);
    }
  }
}
