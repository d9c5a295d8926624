package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresServerSmokeTest {
  @Test
  void startsStopsAndStartsAgain() throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      var ds = server.dataSource(4);
      try (Connection c = ds.getConnection(); ResultSet r = c.createStatement().executeQuery("select version()")) {
        r.next();
        assertThat(r.getString(1)).startsWith("PostgreSQL 14");
      }
      server.stop();
      server.startAgain();
      // A pooled connection from before the restart fails once and is evicted, as in production.
      try (Connection c = ds.getConnection(); ResultSet r = c.createStatement().executeQuery("select 1")) {
        assertThat(r.next()).isTrue();
      } catch (java.sql.SQLException stale) {
        try (Connection c = ds.getConnection(); ResultSet r = c.createStatement().executeQuery("select 1")) {
          assertThat(r.next()).isTrue();
        }
      }
    }
  }
}
