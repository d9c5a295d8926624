package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.inbox.InboxStore;
import io.hookguard.test.InboxStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The inbox store contract (hookguard-test), unchanged, on Postgres. */
class JdbcInboxStorePostgresTest extends InboxStoreContract {
  private javax.sql.DataSource dataSource;
  private JdbcInboxStore store;

  @BeforeEach
  void createStore() {
    SharedPostgres.dropTables(SharedPostgres.dataSource());
    dataSource = SharedPostgres.dataSource();
    store = JdbcInboxStore.builder(dataSource).clock(clock).createTables().build();
  }

  @Override
  protected InboxStore store() {
    return store;
  }
}
