package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.inbox.InboxStore;
import io.hookguard.test.InboxStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The inbox store contract (hookguard-test), unchanged, on MariaDB 10.11 (the MySQL dialect). */
class JdbcInboxStoreMariaDbTest extends InboxStoreContract {
  private javax.sql.DataSource dataSource;
  private JdbcInboxStore store;

  @BeforeEach
  void createStore() {
    SharedPostgres.dropTables(SharedMariaDb.dataSource());
    dataSource = SharedMariaDb.dataSource();
    store = JdbcInboxStore.builder(dataSource).clock(clock).createTables().build();
  }

  @Override
  protected InboxStore store() {
    return store;
  }
}
