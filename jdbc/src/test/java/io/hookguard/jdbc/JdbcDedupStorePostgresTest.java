package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.dedup.DedupStore;
import io.hookguard.test.DedupStoreContract;
import io.hookguard.inbox.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The dedup store contract (hookguard-test), unchanged, on Postgres. */
class JdbcDedupStorePostgresTest extends DedupStoreContract {
  private final TestClock clock = new TestClock();
  private javax.sql.DataSource dataSource;
  private JdbcDedupStore store;

  @BeforeEach
  void createStore() {
    SharedPostgres.dropTables(SharedPostgres.dataSource());
    dataSource = SharedPostgres.dataSource();
    store = JdbcDedupStore.builder(dataSource).clock(clock).createTables().build();
  }

  @Override
  protected DedupStore store() {
    return store;
  }

  @Override
  protected void advance(Duration duration) {
    clock.advance(duration);
  }
}
