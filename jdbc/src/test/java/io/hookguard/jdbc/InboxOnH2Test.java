package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

class InboxOnH2Test extends InboxScenarios {
  private HikariDataSource dataSource;

  @Override
  void emptyDatabase() {
    dataSource = Pools.h2();
  }

  @AfterEach
  void closeDatabase() {
    dataSource.close();
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }
}
