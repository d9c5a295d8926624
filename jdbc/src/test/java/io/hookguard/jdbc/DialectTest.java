package io.hookguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DialectTest {
  @Test
  void mySqlAndMariaDbAreOneDialectFromTheVersionsThatHaveSkipLocked() {
    assertThat(Dialect.mysql("MariaDB", "10.11.5-MariaDB")).isEqualTo(Dialect.MYSQL);
    assertThat(Dialect.mysql("MariaDB", "10.6.0-MariaDB-log")).isEqualTo(Dialect.MYSQL);
    assertThat(Dialect.mysql("MariaDB", "11.4.2-MariaDB")).isEqualTo(Dialect.MYSQL);
    assertThat(Dialect.mysql("MySQL", "8.0.1")).isEqualTo(Dialect.MYSQL);
    assertThat(Dialect.mysql("MySQL", "8.4.3")).isEqualTo(Dialect.MYSQL);
    // MySQL's own driver on MariaDB 10.x: product "MySQL", version as MariaDB announces it.
    assertThat(Dialect.mysql("MySQL", "5.5.5-10.11.5-MariaDB")).isEqualTo(Dialect.MYSQL);
  }

  @Test
  void olderServersWithoutSkipLockedAreRefusedAtBuild() {
    assertThatThrownBy(() -> Dialect.mysql("MySQL", "8.0.0")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MySQL 8.0.1");
    assertThatThrownBy(() -> Dialect.mysql("MySQL", "5.7.44")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Dialect.mysql("MariaDB", "10.5.27-MariaDB")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MariaDB 10.6");
    assertThatThrownBy(() -> Dialect.mysql("MySQL", "5.5.5-10.4.34-MariaDB")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MariaDB 10.6");
    assertThatThrownBy(() -> Dialect.mysql("MySQL", "unknown")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onlyADuplicateKeyIsAUniqueViolationNotEveryIntegrityError() {
    assertThat(Dialect.isUniqueViolation(new SQLException("dup", "23505"))).isTrue(); // PostgreSQL, H2
    assertThat(Dialect.isUniqueViolation(new SQLException("Duplicate entry", "23000", 1062))).isTrue();
    assertThat(Dialect.isUniqueViolation(new SQLException("Column cannot be null", "23000", 1048))).isFalse();
    assertThat(Dialect.isUniqueViolation(new SQLException("Data too long", "22001", 1406))).isFalse();
  }

  @Test
  void mySqlHasLimitWhereTheOthersHaveFetchFirst() {
    assertThat(Dialect.MYSQL.limit(5)).isEqualTo(" LIMIT 5");
    assertThat(Dialect.POSTGRESQL.limit(5)).isEqualTo(" FETCH FIRST 5 ROWS ONLY");
    assertThat(Dialect.H2.limit(5)).isEqualTo(" FETCH FIRST 5 ROWS ONLY");
  }
}
