package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.hookguard.inbox.Acceptance;
import io.hookguard.inbox.InboxLease;
import io.hookguard.inbox.InboxState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2 as the embedded default: a file database keeps the inbox across a restart. */
class H2FileDatabaseTest {

  @Test
  void aStoredDeliveryIsStillThereAfterTheProcessRestarts(@TempDir Path directory) throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("inbox").toAbsolutePath();
    long id;
    try (HikariDataSource first = Pools.pool(url, "sa", 4, Duration.ofSeconds(10))) {
      JdbcInboxStore store = JdbcInboxStore.builder(first).createTables().build();
      id = ((Acceptance.Stored) store.store(InboxScenarioDeliveries.of("orders", "msg_file"))).id();
    }
    assertThat(Files.list(directory)).isNotEmpty();

    try (HikariDataSource second = Pools.pool(url, "sa", 4, Duration.ofSeconds(10))) {
      JdbcInboxStore store = JdbcInboxStore.builder(second).createTables().build(); // tables exist: no-op
      assertThat(store.store(InboxScenarioDeliveries.of("orders", "msg_file"))).isEqualTo(new Acceptance.Duplicate(id));
      List<InboxLease> taken = store.take(List.of("orders"), 5, Duration.ofSeconds(30));
      assertThat(taken).singleElement().extracting(InboxLease::id).isEqualTo(id);
      assertThat(store.markDone(taken.get(0))).isTrue();
      assertThat(store.depth()).containsEntry(InboxState.DONE, 1L);
    }
  }

  @Test
  void anUnreachableDatabaseFailsTheStoresBuildLoudly() {
    JdbcDataSource unreachable = new JdbcDataSource();
    unreachable.setURL("jdbc:h2:tcp://127.0.0.1:1/nothing-listens-here");
    assertThatThrownBy(() -> JdbcInboxStore.builder(unreachable).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot reach the database");
  }
}
