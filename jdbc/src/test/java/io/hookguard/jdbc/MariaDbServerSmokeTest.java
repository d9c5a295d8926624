package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class MariaDbServerSmokeTest {
  @Test
  void startsStopsAndStartsAgainWithMariaDbsDefaults() throws Exception {
    long started = System.nanoTime();
    try (MariaDbServer server = MariaDbServer.start()) {
      System.out.printf("MariaDB started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
      DataSource ds = server.dataSource(4);
      try (Connection c = ds.getConnection(); ResultSet r = c.createStatement()
          .executeQuery("SELECT VERSION(), @@tx_isolation, @@default_storage_engine")) {
        r.next();
        assertThat(r.getString(1)).startsWith("10.11.").contains("MariaDB");
        assertThat(r.getString(2)).isEqualTo("REPEATABLE-READ");
        assertThat(r.getString(3)).isEqualTo("InnoDB");
        assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("MariaDB");
      }
      server.stop();
      server.startAgain();
      // A pooled connection from before the restart fails once and is evicted, as in production.
      try (Connection c = ds.getConnection(); ResultSet r = c.createStatement().executeQuery("SELECT 1")) {
        assertThat(r.next()).isTrue();
      } catch (SQLException stale) {
        try (Connection c = ds.getConnection(); ResultSet r = c.createStatement().executeQuery("SELECT 1")) {
          assertThat(r.next()).isTrue();
        }
      }
    }
  }
}
