package io.hookguard.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hookguard.inbox.*}: the durable inbox of endpoints in inbox mode
 * ({@code hookguard.endpoints.<name>.inbox=true}). Defaults are those of
 * {@code io.hookguard.inbox.Inbox.Builder} and {@code RetryPolicy}.
 */
@ConfigurationProperties("hookguard.inbox")
public class HookguardInboxProperties {
  /** Worker threads in this instance (every instance over one database runs its own; they share the work). */
  private int workers = 2;

  /** How long a worker holds a delivery before another may take it over: the longest a crashed instance's work waits. */
  private Duration lease = Duration.ofMinutes(1);

  /** How often an idle worker looks for deliveries stored by other instances or due for retry. */
  private Duration pollInterval = Duration.ofSeconds(1);

  /** Retries of failed deliveries: exponential backoff with jitter, then a dead letter. */
  private Retry retry = new Retry();

  /** The most ready and in-flight deliveries; past it, receipts are answered 503 with Retry-After. */
  private long maxBacklog = 100_000;

  /** How long done deliveries are kept, so that a sender's retry is still an acknowledged duplicate. */
  private Duration retention = Duration.ofHours(72);

  /** How often done deliveries past the retention are purged (in bounded batches). */
  private Duration purgeInterval = Duration.ofMinutes(10);

  /** How long shutdown waits for running handlers before it gives their leases back. */
  private Duration shutdownTimeout = Duration.ofSeconds(30);

  /** The Retry-After of receipts refused because the store is down or the backlog full. */
  private Duration outageRetryAfter = Duration.ofSeconds(5);

  /** Whether to create the inbox tables at startup from the bundled script; off: ship it through your migrations. */
  private boolean createTables;

  /**
   * Whether each handler and its delivery's "done" mark run in one transaction on the inbox's
   * DataSource, so that the handler's JDBC writes there (JdbcTemplate, JPA) commit exactly once.
   */
  private boolean transactional = true;

  /** @return the workers */
  public int getWorkers() {
    return workers;
  }

  /** @param workers the workers */
  public void setWorkers(int workers) {
    this.workers = workers;
  }

  /** @return the lease */
  public Duration getLease() {
    return lease;
  }

  /** @param lease the lease */
  public void setLease(Duration lease) {
    this.lease = lease;
  }

  /** @return the poll interval */
  public Duration getPollInterval() {
    return pollInterval;
  }

  /** @param pollInterval the poll interval */
  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  /** @return the retry settings */
  public Retry getRetry() {
    return retry;
  }

  /** @param retry the retry settings */
  public void setRetry(Retry retry) {
    this.retry = retry;
  }

  /** @return the backlog bound */
  public long getMaxBacklog() {
    return maxBacklog;
  }

  /** @param maxBacklog the backlog bound */
  public void setMaxBacklog(long maxBacklog) {
    this.maxBacklog = maxBacklog;
  }

  /** @return the retention */
  public Duration getRetention() {
    return retention;
  }

  /** @param retention the retention */
  public void setRetention(Duration retention) {
    this.retention = retention;
  }

  /** @return the purge interval */
  public Duration getPurgeInterval() {
    return purgeInterval;
  }

  /** @param purgeInterval the purge interval */
  public void setPurgeInterval(Duration purgeInterval) {
    this.purgeInterval = purgeInterval;
  }

  /** @return the shutdown timeout */
  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  /** @param shutdownTimeout the shutdown timeout */
  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  /** @return the Retry-After of refused receipts */
  public Duration getOutageRetryAfter() {
    return outageRetryAfter;
  }

  /** @param outageRetryAfter the Retry-After of refused receipts */
  public void setOutageRetryAfter(Duration outageRetryAfter) {
    this.outageRetryAfter = outageRetryAfter;
  }

  /** @return whether the tables are created at startup */
  public boolean isCreateTables() {
    return createTables;
  }

  /** @param createTables whether the tables are created at startup */
  public void setCreateTables(boolean createTables) {
    this.createTables = createTables;
  }

  /** @return whether handlers run in one transaction with the "done" mark */
  public boolean isTransactional() {
    return transactional;
  }

  /** @param transactional whether handlers run in one transaction with the "done" mark */
  public void setTransactional(boolean transactional) {
    this.transactional = transactional;
  }

  /** {@code hookguard.inbox.retry.*}. */
  public static class Retry {
    /** The delay after the first failed attempt, before jitter. */
    private Duration initialDelay = Duration.ofSeconds(10);

    /** How much each delay grows over the one before (at least 1). */
    private double factor = 2;

    /** The longest delay, before jitter. */
    private Duration maxDelay = Duration.ofHours(1);

    /** The share of each delay taken off at random, between 0 and 1. */
    private double jitter = 0.5;

    /** How many attempts a delivery gets in all, the first included. */
    private int maxAttempts = 10;

    /** How long a delivery is retried, from its arrival or last replay; 0 bounds retries by max-attempts alone. */
    private Duration maxAge = Duration.ofDays(3);

    /** @return the initial delay */
    public Duration getInitialDelay() {
      return initialDelay;
    }

    /** @param initialDelay the initial delay */
    public void setInitialDelay(Duration initialDelay) {
      this.initialDelay = initialDelay;
    }

    /** @return the factor */
    public double getFactor() {
      return factor;
    }

    /** @param factor the factor */
    public void setFactor(double factor) {
      this.factor = factor;
    }

    /** @return the longest delay */
    public Duration getMaxDelay() {
      return maxDelay;
    }

    /** @param maxDelay the longest delay */
    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    /** @return the jitter */
    public double getJitter() {
      return jitter;
    }

    /** @param jitter the jitter */
    public void setJitter(double jitter) {
      this.jitter = jitter;
    }

    /** @return the attempts in all */
    public int getMaxAttempts() {
      return maxAttempts;
    }

    /** @param maxAttempts the attempts in all */
    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /** @return the longest time a delivery is retried; zero: unbounded */
    public Duration getMaxAge() {
      return maxAge;
    }

    /** @param maxAge the longest time a delivery is retried; zero: unbounded */
    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }
  }
}
