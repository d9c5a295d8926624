package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.inbox.InboxStore;
import io.hookguard.test.InboxStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The inbox store contract (hookguard-test), unchanged, on H2. */
class JdbcInboxStoreH2Test extends InboxStoreContract {
  private HikariDataSource dataSource;
  private JdbcInboxStore store;

  @BeforeEach
  void createStore() {
    dataSource = Pools.h2();
    store = JdbcInboxStore.builder(dataSource).clock(clock).createTables().build();
  }

  @AfterEach
  void closeDatabase() {
    dataSource.close();
  }

  @Override
  protected InboxStore store() {
    return store;
  }
}
