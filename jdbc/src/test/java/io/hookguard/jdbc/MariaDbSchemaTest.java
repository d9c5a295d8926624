package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.InboxState;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the MySQL scripts must get right that PostgreSQL and H2 give for free: keys compared byte
 * for byte (MariaDB's and MySQL's default utf8mb4 collations ignore case and accents, so
 * {@code evt_A} would be a "duplicate" of {@code evt_a}, acknowledged and never stored), on a
 * server whose own default character set is not utf8mb4.
 */
class MariaDbSchemaTest {
  private DataSource dataSource;

  @BeforeEach
  void emptyDatabase() {
    dataSource = SharedMariaDb.dataSource();
    SharedPostgres.dropTables(dataSource);
  }

  @Test
  void inboxKeysThatDifferOnlyInCaseAreTwoDeliveries() {
    JdbcInboxStore store = JdbcInboxStore.builder(dataSource).createTables().build();
    assertThat(store.store(InboxScenarioDeliveries.of("orders", "evt_a"))).isInstanceOf(Acceptance.Stored.class);
    assertThat(store.store(InboxScenarioDeliveries.of("orders", "evt_A"))).isInstanceOf(Acceptance.Stored.class);
    assertThat(store.store(InboxScenarioDeliveries.of("orders", "evt_\u00e1"))).isInstanceOf(Acceptance.Stored.class);
    assertThat(store.store(InboxScenarioDeliveries.of("orders", "evt_A"))).isInstanceOf(Acceptance.Duplicate.class);
    assertThat(store.depth().get(InboxState.READY)).isEqualTo(3);
  }

  @Test
  void dedupKeysThatDifferOnlyInCaseAreTwoKeys() {
    JdbcDedupStore store = JdbcDedupStore.builder(dataSource).createTables().build();
    assertThat(store.claim("hookguard:orders:stripe:evt_a", "fp", Duration.ofMinutes(1)))
        .isInstanceOf(ClaimResult.Acquired.class);
    assertThat(store.claim("hookguard:orders:stripe:evt_A", "fp", Duration.ofMinutes(1)))
        .isInstanceOf(ClaimResult.Acquired.class);
    assertThat(store.claim("hookguard:orders:stripe:evt_A", "fp", Duration.ofMinutes(1)))
        .isInstanceOf(ClaimResult.InProgress.class);
  }

  @Test
  void theScriptsRunAgainOnExistingTables() {
    JdbcInboxStore.builder(dataSource).createTables().build();
    JdbcDedupStore.builder(dataSource).createTables().build();
    JdbcInboxStore.builder(dataSource).createTables().build();
    JdbcDedupStore.builder(dataSource).createTables().build();
  }
}
