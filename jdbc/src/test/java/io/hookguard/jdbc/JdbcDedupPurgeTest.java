package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.dedup.ClaimResult;
import io.hookguard.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcDedupStore#purgeExpired(int)} on each database (its bounded delete is written
 * differently on MySQL/MariaDB, which refuse a LIMIT in an IN subquery).
 */
class JdbcDedupPurgeTest {
  abstract static class Cases {
    private final TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));

    abstract DataSource emptyDatabase();

    @Test
    void onlyExpiredKeysAreDeletedAtMostABatchPerCall() {
      JdbcDedupStore store = JdbcDedupStore.builder(emptyDatabase()).clock(clock).createTables().build();
      for (int i = 0; i < 5; i++) {
        assertThat(store.claim("k-old-" + i, "fp", Duration.ofSeconds(10))).isInstanceOf(ClaimResult.Acquired.class);
      }
      clock.advance(Duration.ofSeconds(5));
      assertThat(store.claim("k-new", "fp", Duration.ofSeconds(60))).isInstanceOf(ClaimResult.Acquired.class);
      clock.advance(Duration.ofSeconds(10));

      assertThat(store.purgeExpired(2)).isEqualTo(2);
      assertThat(store.purgeExpired(2)).isEqualTo(2);
      assertThat(store.purgeExpired(2)).isEqualTo(1);
      assertThat(store.purgeExpired(2)).isZero();
      assertThat(store.claim("k-new", "fp", Duration.ofSeconds(60))).isInstanceOf(ClaimResult.InProgress.class);
    }
  }

  @Nested
  class OnH2 extends Cases {
    private HikariDataSource dataSource;

    @Override
    DataSource emptyDatabase() {
      dataSource = Pools.h2();
      return dataSource;
    }

    @AfterEach
    void close() {
      dataSource.close();
    }
  }

  @Nested
  class OnPostgres extends Cases {
    @Override
    DataSource emptyDatabase() {
      SharedPostgres.dropTables(SharedPostgres.dataSource());
      return SharedPostgres.dataSource();
    }
  }

  @Nested
  class OnMariaDb extends Cases {
    @Override
    DataSource emptyDatabase() {
      SharedPostgres.dropTables(SharedMariaDb.dataSource());
      return SharedMariaDb.dataSource();
    }
  }
}
