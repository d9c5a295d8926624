package io.hookguard.jdbc;

import java.sql.SQLException;
import javax.sql.DataSource;

class InboxOnPostgresTest extends InboxScenarios {

  @Override
  void emptyDatabase() throws SQLException {
    SharedPostgres.dropTables(SharedPostgres.dataSource());
    execute(SharedPostgres.dataSource(), "DROP TABLE IF EXISTS processed");
  }

  @Override
  DataSource dataSource() {
    return SharedPostgres.dataSource();
  }
}
