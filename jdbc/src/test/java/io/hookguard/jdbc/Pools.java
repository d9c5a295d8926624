package io.hookguard.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Connection pools for the tests, as applications have them (HikariCP, Spring Boot's default). */
public final class Pools {
  private static final AtomicInteger H2_DATABASES = new AtomicInteger();

  private Pools() {}

  /**
   * A pool that fails fast while the database is down and recovers when it is back.
   *
   * @param url the JDBC URL
   * @param user the user
   * @param size the most connections
   * @return the pool
   */
  public static HikariDataSource pool(String url, String user, int size) {
    return pool(url, user, size, Duration.ofSeconds(1));
  }

  /**
   * A pool with its own wait for a connection.
   *
   * @param url the JDBC URL
   * @param user the user
   * @param size the most connections
   * @param connectionTimeout how long a caller waits for a connection (while the database is
   *     down: how long until it hears so)
   * @return the pool
   */
  public static HikariDataSource pool(String url, String user, int size, Duration connectionTimeout) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /**
   * A fresh in-memory H2 database behind a pool; gone when the pool is closed.
   *
   * @return the pool
   */
  public static HikariDataSource h2() {
    // A generous wait: an in-memory database is never down, but a loaded build machine is slow.
    return pool("jdbc:h2:mem:hookguard-" + H2_DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", 30,
        Duration.ofSeconds(10));
  }
}
