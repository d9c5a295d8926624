package io.hookguard.jdbc;

import java.sql.SQLException;
import javax.sql.DataSource;

/** The inbox scenarios on MariaDB 10.11 at its defaults (REPEATABLE READ, gap locks and all). */
class InboxOnMariaDbTest extends InboxScenarios {

  @Override
  void emptyDatabase() throws SQLException {
    SharedPostgres.dropTables(SharedMariaDb.dataSource());
    execute(SharedMariaDb.dataSource(), "DROP TABLE IF EXISTS processed");
  }

  @Override
  DataSource dataSource() {
    return SharedMariaDb.dataSource();
  }
}
