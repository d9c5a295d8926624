package io.hookguard.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Hookguard's configuration under {@code hookguard.*}. */
@ConfigurationProperties("hookguard")
public class HookguardProperties {

  /** Webhook endpoints by name; @Webhook("name") marks the controller methods of one. */
  private Map<String, Endpoint> endpoints = new LinkedHashMap<>();

  /** How deliveries are deduplicated. */
  private Dedup dedup = new Dedup();

  /**
   * The proxies in front of the application, trusted to report the client address (for
   * allowed-sources) and the public URL (for Twilio, Square and HubSpot, which sign it).
   */
  private Proxies proxies = new Proxies();

  /** The audit trail: one record per delivery, logged and published as an application event. */
  private Audit audit = new Audit();

  /** @return the proxy settings */
  public Proxies getProxies() {
    return proxies;
  }

  /** @param proxies the proxy settings */
  public void setProxies(Proxies proxies) {
    this.proxies = proxies;
  }

  /**
   * The proxies in front of the application. Forwarded information is believed only from a peer
   * in a trusted range, and only from the header family those proxies write. Without trusted
   * proxies the client is the peer and the URL the container's, which is also the setting when
   * the container handles forwarded headers itself (server.forward-headers-strategy=native).
   */
  public static class Proxies {
    /** Proxy ranges (IPv4/IPv6 CIDR) trusted to report the client and the public URL; none when empty. */
    private List<String> trusted = new ArrayList<>();

    /** The header family the trusted proxies write: x-forwarded (X-Forwarded-For/-Proto/-Host/-Port) or forwarded (RFC 7239). */
    private io.hookguard.TrustedProxies.Headers headers = io.hookguard.TrustedProxies.Headers.X_FORWARDED;

    /** @return the trusted proxy ranges */
    public List<String> getTrusted() {
      return trusted;
    }

    /** @param trusted the trusted proxy ranges */
    public void setTrusted(List<String> trusted) {
      this.trusted = trusted;
    }

    /** @return the header family the proxies write */
    public io.hookguard.TrustedProxies.Headers getHeaders() {
      return headers;
    }

    /** @param headers the header family the proxies write */
    public void setHeaders(io.hookguard.TrustedProxies.Headers headers) {
      this.headers = headers;
    }
  }

  /** @return the audit settings */
  public Audit getAudit() {
    return audit;
  }

  /** @param audit the audit settings */
  public void setAudit(Audit audit) {
    this.audit = audit;
  }

  /** @return the endpoints by name */
  public Map<String, Endpoint> getEndpoints() {
    return endpoints;
  }

  /** @param endpoints the endpoints by name */
  public void setEndpoints(Map<String, Endpoint> endpoints) {
    this.endpoints = endpoints;
  }

  /** @return the dedup settings */
  public Dedup getDedup() {
    return dedup;
  }

  /** @param dedup the dedup settings */
  public void setDedup(Dedup dedup) {
    this.dedup = dedup;
  }


  /** One endpoint: its sender, secrets and limits. */
  public static class Endpoint {
    /** The sender's scheme id, e.g. stripe, github, slack, standard-webhooks (svix), shopify. */
    private @Nullable String provider;

    /** Signing secrets (or public keys, for Ed25519/ECDSA senders); several while rotating. */
    private List<String> secrets = new ArrayList<>();

    /**
     * Meta's verify tokens (the text sent back as hub.verify_token in its subscription check),
     * for provider meta only; several while rotating. Without one, subscription checks get 403.
     */
    private List<String> verifyTokens = new ArrayList<>();

    /**
     * For provider google-id-token only: the audience the Pub/Sub subscription (by default its
     * push endpoint URL) or Dialogflow CX agent puts in the token; required.
     */
    private @Nullable String audience;

    /**
     * For provider google-id-token only: the service account the subscription pushes as; tokens of
     * any other account, or without email_verified, are refused.
     */
    private @Nullable String serviceAccount;

    /**
     * For senders that sign with a JWT (plaid, google-id-token): the name of the application's
     * JwtKeySource bean the keys are fetched from by key id and cached (Plaid's
     * /webhook_verification_key/get, for instance). Secrets may then be left out.
     */
    private @Nullable String keySource;

    /** How far in the past and future a signed timestamp may be; the scheme's default if unset. */
    private @Nullable Duration tolerance;

    /** How old a signed timestamp may be; overrides tolerance for the past side. */
    private @Nullable Duration pastTolerance;

    /** How far in the future a signed timestamp may be; overrides tolerance for the future side. */
    private @Nullable Duration futureTolerance;

    /** The largest body accepted; larger ones are answered 413. */
    private DataSize maxBodySize = DataSize.ofMegabytes(1);

    /** Whether a retried delivery of an event already processed is acknowledged without running the handler. */
    private boolean dedup = true;

    /** Source addresses (IPv4/IPv6 CIDR) deliveries are accepted from; any when empty. Others get 403. */
    private List<String> allowedSources = new ArrayList<>();

    /**
     * For providers that sign the URL (twilio, square, hubspot): the scheme and host the sender was
     * configured with, e.g. https://hooks.example.com; the signed URL is then this plus the path and
     * query received, never the client's Host header.
     */
    private @Nullable String publicOrigin;

    /** How long the whole body may take to arrive; slower senders are answered 408. */
    private Duration readTimeout = Duration.ofSeconds(10);

    /** The most form parameters a delivery may carry; more are answered 413. */
    private int maxParameters = io.hookguard.delivery.WebhookEndpoint.DEFAULT_MAX_PARAMETERS;

    /**
     * Whether dedup also keys on the body's SHA-256, so a captured delivery replayed under a
     * fresh, unsigned event id is a duplicate. Unset: exactly for providers whose event id is not
     * signed (github, shopify, twilio, gitlab, linear, mailgun).
     */
    private @Nullable Boolean dedupOnBody;

    /** Event types handed to the handler, e.g. invoice.paid or customer.*; all when empty. */
    private List<String> eventTypes = new ArrayList<>();

    /** What deliveries of other event types get: acknowledge (200, not handled) or reject (422). */
    private UnexpectedEventTypePolicy unexpectedEventType = UnexpectedEventTypePolicy.ACKNOWLEDGE;

    /** @return the allowed sources */
    public List<String> getAllowedSources() {
      return allowedSources;
    }

    /** @param allowedSources the allowed sources */
    public void setAllowedSources(List<String> allowedSources) {
      this.allowedSources = allowedSources;
    }

    /** @return the public origin of URL-signing providers, if set */
    public @Nullable String getPublicOrigin() {
      return publicOrigin;
    }

    /** @param publicOrigin the public origin of URL-signing providers */
    public void setPublicOrigin(@Nullable String publicOrigin) {
      this.publicOrigin = publicOrigin;
    }

    /** @return how long the whole body may take to arrive */
    public Duration getReadTimeout() {
      return readTimeout;
    }

    /** @param readTimeout how long the whole body may take to arrive */
    public void setReadTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
    }

    /** @return the most form parameters a delivery may carry */
    public int getMaxParameters() {
      return maxParameters;
    }

    /** @param maxParameters the most form parameters a delivery may carry */
    public void setMaxParameters(int maxParameters) {
      this.maxParameters = maxParameters;
    }

    /** @return whether dedup also keys on the body, or null for the provider's default */
    public @Nullable Boolean getDedupOnBody() {
      return dedupOnBody;
    }

    /** @param dedupOnBody whether dedup also keys on the body */
    public void setDedupOnBody(@Nullable Boolean dedupOnBody) {
      this.dedupOnBody = dedupOnBody;
    }

    /** @return the expected event types */
    public List<String> getEventTypes() {
      return eventTypes;
    }

    /** @param eventTypes the expected event types */
    public void setEventTypes(List<String> eventTypes) {
      this.eventTypes = eventTypes;
    }

    /** @return the unexpected-event-type policy */
    public UnexpectedEventTypePolicy getUnexpectedEventType() {
      return unexpectedEventType;
    }

    /** @param unexpectedEventType the unexpected-event-type policy */
    public void setUnexpectedEventType(UnexpectedEventTypePolicy unexpectedEventType) {
      this.unexpectedEventType = unexpectedEventType;
    }

    /**
     * What this endpoint does with a verified delivery without an event id (e.g. Slack's
     * url_verification); hookguard.dedup.missing-event-id if unset.
     */
    private @Nullable MissingEventIdPolicy missingEventId;

    /** @return the endpoint's missing-event-id policy, if set */
    public @Nullable MissingEventIdPolicy getMissingEventId() {
      return missingEventId;
    }

    /** @param missingEventId the endpoint's missing-event-id policy */
    public void setMissingEventId(@Nullable MissingEventIdPolicy missingEventId) {
      this.missingEventId = missingEventId;
    }

    /**
     * Inbox mode: each verified delivery is stored durably (hookguard.inbox.*) and acknowledged
     * once committed; the endpoint's @InboxListener methods then run in the background, with
     * retries and dead letters. Needs a path; dedup is the inbox's own.
     */
    private boolean inbox;

    /**
     * The path the starter serves this endpoint at, e.g. /webhooks/orders, without a controller;
     * required in inbox mode. Unset: the endpoint is served by its @Webhook controller methods.
     */
    private @Nullable String path;

    /** @return whether the endpoint is in inbox mode */
    public boolean isInbox() {
      return inbox;
    }

    /** @param inbox whether the endpoint is in inbox mode */
    public void setInbox(boolean inbox) {
      this.inbox = inbox;
    }

    /** @return the path the starter serves the endpoint at, if any */
    public @Nullable String getPath() {
      return path;
    }

    /** @param path the path the starter serves the endpoint at */
    public void setPath(@Nullable String path) {
      this.path = path;
    }

    /** @return the provider id */
    public @Nullable String getProvider() {
      return provider;
    }

    /** @param provider the provider id */
    public void setProvider(@Nullable String provider) {
      this.provider = provider;
    }

    /** @return the secrets */
    public List<String> getSecrets() {
      return secrets;
    }

    /** @param secrets the secrets */
    public void setSecrets(List<String> secrets) {
      this.secrets = secrets;
    }

    /** @return Meta's verify tokens */
    public List<String> getVerifyTokens() {
      return verifyTokens;
    }

    /** @param verifyTokens Meta's verify tokens */
    public void setVerifyTokens(List<String> verifyTokens) {
      this.verifyTokens = verifyTokens;
    }

    /** @return the audience of Google-issued ID tokens */
    public @Nullable String getAudience() {
      return audience;
    }

    /** @param audience the audience of Google-issued ID tokens */
    public void setAudience(@Nullable String audience) {
      this.audience = audience;
    }

    /** @return the name of the JwtKeySource bean the endpoint's keys come from */
    public @Nullable String getKeySource() {
      return keySource;
    }

    /** @param keySource the name of the JwtKeySource bean the endpoint's keys come from */
    public void setKeySource(@Nullable String keySource) {
      this.keySource = keySource;
    }

    /** @return the service account Google-issued ID tokens must be of */
    public @Nullable String getServiceAccount() {
      return serviceAccount;
    }

    /** @param serviceAccount the service account Google-issued ID tokens must be of */
    public void setServiceAccount(@Nullable String serviceAccount) {
      this.serviceAccount = serviceAccount;
    }

    /** @return the two-sided tolerance */
    public @Nullable Duration getTolerance() {
      return tolerance;
    }

    /** @param tolerance the two-sided tolerance */
    public void setTolerance(@Nullable Duration tolerance) {
      this.tolerance = tolerance;
    }

    /** @return the past tolerance */
    public @Nullable Duration getPastTolerance() {
      return pastTolerance;
    }

    /** @param pastTolerance the past tolerance */
    public void setPastTolerance(@Nullable Duration pastTolerance) {
      this.pastTolerance = pastTolerance;
    }

    /** @return the future tolerance */
    public @Nullable Duration getFutureTolerance() {
      return futureTolerance;
    }

    /** @param futureTolerance the future tolerance */
    public void setFutureTolerance(@Nullable Duration futureTolerance) {
      this.futureTolerance = futureTolerance;
    }

    /** @return the body limit */
    public DataSize getMaxBodySize() {
      return maxBodySize;
    }

    /** @param maxBodySize the body limit */
    public void setMaxBodySize(DataSize maxBodySize) {
      this.maxBodySize = maxBodySize;
    }

    /** @return whether the endpoint deduplicates */
    public boolean isDedup() {
      return dedup;
    }

    /** @param dedup whether the endpoint deduplicates */
    public void setDedup(boolean dedup) {
      this.dedup = dedup;
    }
  }

  /** What a verified delivery of an unexpected event type gets. */
  public enum UnexpectedEventTypePolicy {
    /** 200 with Hookguard-Ignored: event-type; the handler does not run and the sender does not retry. */
    ACKNOWLEDGE,
    /** 422 problem: the sender sees it (and retries). */
    REJECT
  }

  /** The audit trail. */
  public static class Audit {
    /** Whether every delivery is logged on the io.hookguard.audit logger (INFO accepted, WARN rejected). */
    private boolean log = true;

    /** @return whether deliveries are logged */
    public boolean isLog() {
      return log;
    }

    /** @param log whether deliveries are logged */
    public void setLog(boolean log) {
      this.log = log;
    }
  }

  /** Which store holds dedup records. */
  public enum Store {
    /** In-process (Caffeine): one instance only. */
    CAFFEINE,
    /** Redis, shared by every instance. */
    REDIS
  }

  /** What a duplicate gets while the first delivery of its event is still running. */
  public enum InProgressPolicy {
    /** 409 with Retry-After at once. */
    REJECT,
    /** Wait up to wait-timeout for the first delivery's outcome. */
    WAIT
  }

  /** What happens while the dedup store is unreachable. */
  public enum OutagePolicy {
    /** 503 with Retry-After; the handler does not run. */
    FAIL_CLOSED,
    /** Run the handler without dedup, counted. */
    FAIL_OPEN
  }

  /** What happens to a verified delivery without an event id. */
  public enum MissingEventIdPolicy {
    /** 400. */
    REJECT,
    /** Run the handler without dedup. */
    RUN
  }

  /** Dedup settings. */
  public static class Dedup {
    /** Where dedup records live: caffeine (in-process, default) or redis (shared). */
    private Store store = Store.CAFFEINE;

    /** How long a claim holds while its handler runs; longer than the slowest handler. */
    private Duration lease = Duration.ofMinutes(5);

    /** How long a processed event is remembered; Stripe retries for three days. */
    private Duration retention = Duration.ofHours(72);

    /** Prefix of every key. */
    private String keyPrefix = "hookguard:";

    /** What a duplicate gets while the first delivery runs. */
    private InProgressPolicy inProgress = InProgressPolicy.REJECT;

    /** How long a duplicate waits for the first delivery when in-progress is wait. */
    private Duration waitTimeout = Duration.ofSeconds(5);

    /** What happens while the store is unreachable. */
    private OutagePolicy onOutage = OutagePolicy.FAIL_CLOSED;

    /** The Retry-After given while the store is unreachable. */
    private Duration outageRetryAfter = Duration.ofSeconds(30);

    /** What happens to a verified delivery without an event id. */
    private MissingEventIdPolicy missingEventId = MissingEventIdPolicy.REJECT;

    /** Extend the lease of a running handler this often; off when unset. */
    private @Nullable Duration heartbeat;

    /** The in-process store. */
    private CaffeineStore caffeine = new CaffeineStore();

    /** The Redis store, used when no UnifiedJedis bean is defined. */
    private RedisStore redis = new RedisStore();

    /** The purge of a JdbcDedupStore bean's expired keys. */
    private JdbcStore jdbc = new JdbcStore();

    /** @return the store */
    public Store getStore() {
      return store;
    }

    /** @param store the store */
    public void setStore(Store store) {
      this.store = store;
    }

    /** @return the lease */
    public Duration getLease() {
      return lease;
    }

    /** @param lease the lease */
    public void setLease(Duration lease) {
      this.lease = lease;
    }

    /** @return the retention */
    public Duration getRetention() {
      return retention;
    }

    /** @param retention the retention */
    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    /** @return the key prefix */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /** @param keyPrefix the key prefix */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** @return the in-progress policy */
    public InProgressPolicy getInProgress() {
      return inProgress;
    }

    /** @param inProgress the in-progress policy */
    public void setInProgress(InProgressPolicy inProgress) {
      this.inProgress = inProgress;
    }

    /** @return the wait timeout */
    public Duration getWaitTimeout() {
      return waitTimeout;
    }

    /** @param waitTimeout the wait timeout */
    public void setWaitTimeout(Duration waitTimeout) {
      this.waitTimeout = waitTimeout;
    }

    /** @return the outage policy */
    public OutagePolicy getOnOutage() {
      return onOutage;
    }

    /** @param onOutage the outage policy */
    public void setOnOutage(OutagePolicy onOutage) {
      this.onOutage = onOutage;
    }

    /** @return the outage Retry-After */
    public Duration getOutageRetryAfter() {
      return outageRetryAfter;
    }

    /** @param outageRetryAfter the outage Retry-After */
    public void setOutageRetryAfter(Duration outageRetryAfter) {
      this.outageRetryAfter = outageRetryAfter;
    }

    /** @return the missing-event-id policy */
    public MissingEventIdPolicy getMissingEventId() {
      return missingEventId;
    }

    /** @param missingEventId the missing-event-id policy */
    public void setMissingEventId(MissingEventIdPolicy missingEventId) {
      this.missingEventId = missingEventId;
    }

    /** @return the heartbeat interval */
    public @Nullable Duration getHeartbeat() {
      return heartbeat;
    }

    /** @param heartbeat the heartbeat interval */
    public void setHeartbeat(@Nullable Duration heartbeat) {
      this.heartbeat = heartbeat;
    }

    /** @return the Caffeine settings */
    public CaffeineStore getCaffeine() {
      return caffeine;
    }

    /** @param caffeine the Caffeine settings */
    public void setCaffeine(CaffeineStore caffeine) {
      this.caffeine = caffeine;
    }

    /** @return the Redis settings */
    public RedisStore getRedis() {
      return redis;
    }

    /** @param redis the Redis settings */
    public void setRedis(RedisStore redis) {
      this.redis = redis;
    }

    /** @return the JDBC store's purge settings */
    public JdbcStore getJdbc() {
      return jdbc;
    }

    /** @param jdbc the JDBC store's purge settings */
    public void setJdbc(JdbcStore jdbc) {
      this.jdbc = jdbc;
    }
  }

  /** The purge of expired keys, when the application defines a {@code JdbcDedupStore} bean. */
  public static class JdbcStore {
    /** How often expired keys are deleted. */
    private Duration purgeInterval = Duration.ofMinutes(10);

    /** The most keys one delete statement removes; a purge runs batches until one comes back short. */
    private int purgeBatch = 1_000;

    /** @return the interval */
    public Duration getPurgeInterval() {
      return purgeInterval;
    }

    /** @param purgeInterval the interval */
    public void setPurgeInterval(Duration purgeInterval) {
      this.purgeInterval = purgeInterval;
    }

    /** @return the batch size */
    public int getPurgeBatch() {
      return purgeBatch;
    }

    /** @param purgeBatch the batch size */
    public void setPurgeBatch(int purgeBatch) {
      this.purgeBatch = purgeBatch;
    }
  }

  /** The in-process store's settings. */
  public static class CaffeineStore {
    /** The most events remembered; beyond it the least recently used are evicted (and counted). */
    private long maximumSize = 100_000;

    /** @return the size bound */
    public long getMaximumSize() {
      return maximumSize;
    }

    /** @param maximumSize the size bound */
    public void setMaximumSize(long maximumSize) {
      this.maximumSize = maximumSize;
    }
  }

  /** The Redis store's connection, when no UnifiedJedis bean is defined. */
  public static class RedisStore {
    /** Redis host (standalone). */
    private String host = "localhost";

    /** Redis port (standalone). */
    private int port = 6379;

    /** Cluster seed nodes as host:port; when set, a cluster client is used instead of host/port. */
    private List<String> clusterNodes = new ArrayList<>();

    /** ACL user name. */
    private @Nullable String username;

    /** Password. */
    private @Nullable String password;

    /** Whether to connect with TLS. */
    private boolean ssl;

    /** Connect and reply timeout; a hung Redis answers 503 after this long. */
    private Duration timeout = Duration.ofSeconds(1);

    /**
     * Whether completions are written by a background thread in pipelined batches, so that a
     * delivery waits for one Redis round trip instead of two; until written, a finished event
     * still reads as in progress.
     */
    private boolean completeInBackground;

    /** @return the host */
    public String getHost() {
      return host;
    }

    /** @param host the host */
    public void setHost(String host) {
      this.host = host;
    }

    /** @return the port */
    public int getPort() {
      return port;
    }

    /** @param port the port */
    public void setPort(int port) {
      this.port = port;
    }

    /** @return the cluster nodes */
    public List<String> getClusterNodes() {
      return clusterNodes;
    }

    /** @param clusterNodes the cluster nodes */
    public void setClusterNodes(List<String> clusterNodes) {
      this.clusterNodes = clusterNodes;
    }

    /** @return the user name */
    public @Nullable String getUsername() {
      return username;
    }

    /** @param username the user name */
    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    /** @return the password */
    public @Nullable String getPassword() {
      return password;
    }

    /** @param password the password */
    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /** @return whether TLS is used */
    public boolean isSsl() {
      return ssl;
    }

    /** @param ssl whether TLS is used */
    public void setSsl(boolean ssl) {
      this.ssl = ssl;
    }

    /** @return the timeout */
    public Duration getTimeout() {
      return timeout;
    }

    /** @param timeout the timeout */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /** @return whether completions are written in the background */
    public boolean isCompleteInBackground() {
      return completeInBackground;
    }

    /** @param completeInBackground whether completions are written in the background */
    public void setCompleteInBackground(boolean completeInBackground) {
      this.completeInBackground = completeInBackground;
    }
  }
}
