package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.dedup.ClaimResult;
import io.hookguard.dedup.DedupStore;
import io.hookguard.jdbc.JdbcDedupStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** A JdbcDedupStore bean has its expired keys purged on a schedule, in bounded batches. */
class JdbcDedupPurgeTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HookguardAutoConfiguration.class))
      .withPropertyValues("hookguard.endpoints.orders.provider=standard-webhooks",
          "hookguard.endpoints.orders.secrets=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

  private static DataSource h2(String name) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  private static long rows(DataSource dataSource) throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM hookguard_dedup")) {
      count.next();
      return count.getLong(1);
    }
  }

  @Test
  void expiredKeysOfAJdbcDedupStoreArePurgedInBatchesWhileLiveOnesStay() {
    DataSource dataSource = h2("purge");
    runner.withBean(JdbcDedupStore.class, () -> JdbcDedupStore.builder(dataSource).createTables().build())
        .withPropertyValues("hookguard.dedup.jdbc.purge-interval=100ms", "hookguard.dedup.jdbc.purge-batch=2")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(JdbcDedupPurge.class);
          assertThat(context.getBean(DedupStore.class)).isInstanceOf(JdbcDedupStore.class);
          DedupStore store = context.getBean(DedupStore.class);
          for (int i = 0; i < 5; i++) {
            assertThat(store.claim("hookguard:orders:p:evt_" + i, "fp", Duration.ofMillis(1)))
                .isInstanceOf(ClaimResult.Acquired.class);
          }
          assertThat(store.claim("hookguard:orders:p:live", "fp", Duration.ofMinutes(5)))
              .isInstanceOf(ClaimResult.Acquired.class);
          JdbcDedupPurge purge = context.getBean(JdbcDedupPurge.class);
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (purge.purged() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          assertThat(purge.purged()).isEqualTo(5); // three batches of at most two
          assertThat(rows(dataSource)).isEqualTo(1);
        });
  }

  @Test
  void withoutAJdbcDedupStoreNothingIsScheduledAndABadSettingFailsStartup() {
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JdbcDedupPurge.class));
    DataSource dataSource = h2("purge-settings");
    runner.withBean(JdbcDedupStore.class, () -> JdbcDedupStore.builder(dataSource).createTables().build())
        .withPropertyValues("hookguard.dedup.jdbc.purge-batch=0")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasRootCauseInstanceOf(HookguardConfigurationException.class));
  }
}
