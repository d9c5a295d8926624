package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.dedup.DedupStore;
import io.hookguard.test.DedupStoreContract;
import io.hookguard.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The dedup store contract (hookguard-test), unchanged, on MariaDB 10.11 (the MySQL dialect). */
class JdbcDedupStoreMariaDbTest extends DedupStoreContract {
  private final TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private javax.sql.DataSource dataSource;
  private JdbcDedupStore store;

  @BeforeEach
  void createStore() {
    SharedPostgres.dropTables(SharedMariaDb.dataSource());
    dataSource = SharedMariaDb.dataSource();
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
