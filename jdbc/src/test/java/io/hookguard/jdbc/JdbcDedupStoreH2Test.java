package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.dedup.DedupStore;
import io.hookguard.test.DedupStoreContract;
import io.hookguard.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The dedup store contract (hookguard-test), unchanged, on H2. */
class JdbcDedupStoreH2Test extends DedupStoreContract {
  private final TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private HikariDataSource dataSource;
  private JdbcDedupStore store;

  @BeforeEach
  void createStore() {
    dataSource = Pools.h2();
    store = JdbcDedupStore.builder(dataSource).clock(clock).createTables().build();
  }

  @AfterEach
  void closeDatabase() {
    dataSource.close();
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
