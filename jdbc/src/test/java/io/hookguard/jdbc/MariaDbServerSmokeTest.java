package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.InboxStoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB the tests start: MariaDB's own defaults, and a server of its own stopped and
 * started under a store (the outage cases proper run on PostgreSQL: the stores' failure path is
 * the same on every database, a failed call is an {@link InboxStoreException}).
 */
class MariaDbServerSmokeTest {
  @Test
  void runsAtMariaDbsDefaultsAndTheStoreFailsTypedWhileItIsDownAndRecoversAfter() throws Exception {
    long started = System.nanoTime();
    try (MariaDbServer server = MariaDbServer.start()) {
      System.out.printf("MariaDB installed and started in %d ms (binaries unpacked first if this machine had not yet)%n", (System.nanoTime() - started) / 1_000_000);
      DataSource ds = server.dataSource(4);
      try (Connection c = ds.getConnection(); ResultSet r = c.createStatement()
          .executeQuery("SELECT VERSION(), @@tx_isolation, @@default_storage_engine, @@character_set_server")) {
        r.next();
        assertThat(r.getString(1)).startsWith("10.11.").contains("MariaDB");
        assertThat(r.getString(2)).isEqualTo("REPEATABLE-READ");
        assertThat(r.getString(3)).isEqualTo("InnoDB");
        assertThat(r.getString(4)).as("not utf8mb4: the scripts must say so themselves").isNotEqualTo("utf8mb4");
        assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("MariaDB");
      }
      JdbcInboxStore store = JdbcInboxStore.builder(ds).createTables().build();
      assertThat(store.store(InboxScenarioDeliveries.of("orders", "msg_before"))).isInstanceOf(Acceptance.Stored.class);

      server.stop();
      assertThatThrownBy(() -> store.store(InboxScenarioDeliveries.of("orders", "msg_during")))
          .isInstanceOf(InboxStoreException.class);
      long restarting = System.nanoTime();
      server.startAgain();
      System.out.printf("MariaDB started again in %d ms%n", (System.nanoTime() - restarting) / 1_000_000);

      // A pooled connection from before the restart may fail once and is evicted, as in production.
      InboxScenarios.await(() -> {
        try {
          return store.store(InboxScenarioDeliveries.of("orders", "msg_during")) instanceof Acceptance.Stored;
        } catch (InboxStoreException stale) {
          return false;
        }
      }, Duration.ofSeconds(10));
      assertThat(store.store(InboxScenarioDeliveries.of("orders", "msg_before"))).isInstanceOf(Acceptance.Duplicate.class);
      assertThat(store.backlog()).isEqualTo(2);
    }
  }
}
