package io.hookguard.spring;

import io.hookguard.EventTypeFilter;
import io.hookguard.Handshake;
import io.hookguard.JwtKeySource;
import io.hookguard.Providers;
import io.hookguard.RemoteDocuments;
import io.hookguard.SourceAllowlist;
import io.hookguard.TrustedProxies;
import io.hookguard.WebhookScheme;
import io.hookguard.WebhookVerifier;
import io.hookguard.dedup.DedupEngine;
import io.hookguard.delivery.WebhookEndpoint;
import io.hookguard.inbox.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The configured endpoints by name, built and checked once at startup from
 * {@code hookguard.endpoints.*}: every mistake fails startup naming the property.
 */
public final class WebhookEndpoints {
  /** What Spring Boot leaves of {@code ${NAME}} when nothing resolves it: the text itself. */
  private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private final Map<String, WebhookEndpoint> endpoints;

  private WebhookEndpoints(Map<String, WebhookEndpoint> endpoints) {
    this.endpoints = Collections.unmodifiableMap(endpoints);
  }

  /**
   * Builds every endpoint of the properties; they share one engine, each with its own
   * missing-event-id policy where configured.
   *
   * @param properties the properties
   * @param dedup the engine endpoints with dedup use
   * @param clock the clock of the timestamp windows
   * @return the endpoints
   * @throws HookguardConfigurationException naming the first wrong property
   */
  public static WebhookEndpoints from(HookguardProperties properties, DedupEngine dedup, Clock clock) {
    return from(properties, dedup, null, clock);
  }

  /**
   * Builds every endpoint of the properties; endpoints in inbox mode
   * ({@code hookguard.endpoints.<name>.inbox}) store their deliveries in the inbox.
   *
   * @param properties the properties
   * @param dedup the engine endpoints with dedup use
   * @param inbox the inbox, when some endpoint is in inbox mode
   * @param clock the clock of the timestamp windows
   * @return the endpoints
   * @throws HookguardConfigurationException naming the first wrong property
   */
  public static WebhookEndpoints from(HookguardProperties properties, DedupEngine dedup, @Nullable Inbox inbox,
      Clock clock) {
    return from(properties, dedup, inbox, clock, null);
  }

  /**
   * Builds every endpoint of the properties; the endpoints of schemes that fetch their signing
   * certificate or key (AWS SNS, PayPal) fetch through {@code documents}.
   *
   * @param properties the properties
   * @param dedup the engine endpoints with dedup use
   * @param inbox the inbox, when some endpoint is in inbox mode
   * @param clock the clock of the timestamp windows
   * @param documents the fetched documents' cache (a {@code RemoteDocuments} bean), or null for
   *     {@link RemoteDocuments#shared()}
   * @return the endpoints
   * @throws HookguardConfigurationException naming the first wrong property
   */
  public static WebhookEndpoints from(HookguardProperties properties, DedupEngine dedup, @Nullable Inbox inbox,
      Clock clock, @Nullable RemoteDocuments documents) {
    return from(properties, dedup, inbox, clock, documents, name -> null);
  }

  /**
   * Builds every configured endpoint, with the application's beans that endpoints name.
   *
   * @param properties the properties
   * @param dedup the engine endpoints with dedup use
   * @param inbox the inbox, when some endpoint is in inbox mode
   * @param clock the clock of the timestamp windows
   * @param documents the fetched documents' cache (a {@code RemoteDocuments} bean), or null for
   *     {@link RemoteDocuments#shared()}
   * @param keySources the {@link JwtKeySource} bean of a name ({@code hookguard.endpoints.<name>.key-source}),
   *     or null when there is none
   * @return the endpoints
   * @throws HookguardConfigurationException naming the first wrong property
   */
  public static WebhookEndpoints from(HookguardProperties properties, DedupEngine dedup, @Nullable Inbox inbox,
      Clock clock, @Nullable RemoteDocuments documents, Function<String, @Nullable JwtKeySource> keySources) {
    Map<String, WebhookEndpoint> built = new LinkedHashMap<>();
    properties.getEndpoints().forEach((name, endpoint) ->
        built.put(name, build(name, endpoint, dedup, inbox, clock, documents, keySources)));
    return new WebhookEndpoints(built);
  }

  /**
   * The endpoint of a name.
   *
   * @param name the name under {@code hookguard.endpoints}
   * @return the endpoint, if configured
   */
  public Optional<WebhookEndpoint> get(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }

  /** @return every endpoint by name */
  public Map<String, WebhookEndpoint> all() {
    return endpoints;
  }

  /**
   * The proxies model of {@code hookguard.proxies.*}.
   *
   * @param proxies the properties
   * @return the model, {@link TrustedProxies#none()} without trusted ranges
   * @throws HookguardConfigurationException naming a wrong range
   */
  public static TrustedProxies proxies(HookguardProperties.Proxies proxies) {
    if (proxies.getTrusted().isEmpty()) {
      return TrustedProxies.none();
    }
    TrustedProxies.Builder builder = TrustedProxies.builder(proxies.getHeaders());
    addRanges(proxies.getTrusted(), "hookguard.proxies.trusted", builder::trust);
    return builder.build();
  }

  static void addRanges(List<String> ranges, String property, java.util.function.Consumer<String> add) {
    for (int i = 0; i < ranges.size(); i++) {
      try {
        add.accept(ranges.get(i));
      } catch (IllegalArgumentException e) {
        throw new HookguardConfigurationException(property + "[" + i + "]", e.getMessage(),
            "Use an IP address or CIDR range such as 192.30.252.0/22 or 2a0a:a440::/29.");
      }
    }
  }

  /** Not a built-in constant: the scheme is made per endpoint, with the endpoint's audience. */
  static final String GOOGLE_ID_TOKEN = "google-id-token";

  private static WebhookScheme googleIdToken(String prefix, HookguardProperties.Endpoint config) {
    String audience = config.getAudience();
    if (audience == null || audience.isBlank()) {
      throw new HookguardConfigurationException(prefix + "audience", "Google-issued ID tokens need the audience"
          + " this endpoint is", "Set it to the subscription's audience (by default its push endpoint URL).");
    }
    String account = config.getServiceAccount();
    try {
      return account == null ? Providers.googleIdToken(audience.strip())
          : Providers.googleIdToken(audience.strip(), account.strip());
    } catch (IllegalArgumentException e) {
      throw new HookguardConfigurationException(prefix + "service-account", e.getMessage(),
          "Set it to the service account's email address.");
    }
  }

  private static WebhookEndpoint build(String name, HookguardProperties.Endpoint config, DedupEngine dedup,
      @Nullable Inbox inbox, Clock clock, @Nullable RemoteDocuments documents,
      Function<String, @Nullable JwtKeySource> keySources) {
    String prefix = "hookguard.endpoints." + name + ".";
    String providerId = config.getProvider();
    String known = Providers.all().stream().map(WebhookScheme::id).collect(Collectors.joining(", "));
    if (providerId == null || providerId.isBlank()) {
      throw new HookguardConfigurationException(prefix + "provider", "no provider is set",
          "Set it to one of: " + known + ".");
    }
    WebhookScheme scheme = GOOGLE_ID_TOKEN.equals(providerId.strip()) ? googleIdToken(prefix, config)
        : Providers.byId(providerId.strip()).orElseThrow(() -> new HookguardConfigurationException(
            prefix + "provider", "unknown provider '" + providerId + "'", "Use one of: " + known + ", "
            + GOOGLE_ID_TOKEN + "."));
    if (!GOOGLE_ID_TOKEN.equals(scheme.id())
        && (config.getAudience() != null || config.getServiceAccount() != null)) {
      throw new HookguardConfigurationException(prefix + (config.getAudience() != null ? "audience" : "service-account"),
          "an audience and a service account are for Google-issued ID tokens, which " + scheme.id() + " does not send",
          "Remove it, or set " + prefix + "provider=" + GOOGLE_ID_TOKEN + ".");
    }
    WebhookVerifier.Builder verifier = WebhookVerifier.builder(scheme).clock(clock);
    if (documents != null && scheme.fetchesDocuments()) {
      verifier.remoteDocuments(documents);
    }
    List<String> secrets = config.getSecrets();
    String kind = scheme.usesPublicKeys() ? "public key" : "secret";
    String keySourceName = config.getKeySource();
    if (keySourceName != null) {
      JwtKeySource source = keySourceName.isBlank() ? null : keySources.apply(keySourceName.strip());
      if (source == null) {
        throw new HookguardConfigurationException(prefix + "key-source", "no JwtKeySource bean named '"
            + keySourceName.strip() + "'", "Declare a @Bean JwtKeySource of that name (see JwtKeySource's Javadoc"
            + " for Plaid's key API), or fix the name.");
      }
      try {
        verifier.keySource(source);
      } catch (IllegalArgumentException e) {
        throw new HookguardConfigurationException(prefix + "key-source", e.getMessage(),
            "Remove " + prefix + "key-source: a key source is for senders that sign with a JWT (plaid, "
                + GOOGLE_ID_TOKEN + ").");
      }
    } else if (secrets.isEmpty() && GOOGLE_ID_TOKEN.equals(scheme.id())) {
      // Google's published key set, fetched from its pinned URL and cached by kid.
      verifier.keySource(JwtKeySource.google());
    } else if (secrets.isEmpty()) {
      throw new HookguardConfigurationException(prefix + "secrets", "no " + kind + " is configured",
          "Set " + prefix + "secrets[0] (and [1] while rotating), e.g. from an environment variable"
              + (scheme.id().equals("plaid") ? ", or name a JwtKeySource bean in " + prefix + "key-source." : "."));
    }
    for (int i = 0; i < secrets.size(); i++) {
      String secret = secrets.get(i);
      String property = prefix + "secrets[" + i + "]";
      if (secret == null || secret.isBlank()) {
        throw new HookguardConfigurationException(property, "the " + kind + " is empty",
            "Set it to the " + kind + " from the " + scheme.id() + " dashboard; an unset environment variable is the usual cause.");
      }
      Matcher placeholder = UNRESOLVED_PLACEHOLDER.matcher(secret);
      if (placeholder.find()) {
        // Only the placeholder is named, never the rest of the value.
        String variable = placeholder.group(1).strip();
        throw new HookguardConfigurationException(property, "the " + kind + " is the unresolved placeholder ${"
            + variable + "}", "Set the environment variable (or property) " + variable + " to the " + kind
            + " from the " + scheme.id() + " dashboard; Spring Boot keeps an unresolvable placeholder as"
            + " literal text, which anyone could sign with.");
      }
      try {
        if (scheme.usesPublicKeys()) {
          verifier.publicKey(secret.strip());
        } else {
          verifier.secret(secret.strip());
        }
      } catch (IllegalArgumentException e) {
        // The core's messages describe the encoding problem and never echo the secret.
        throw new HookguardConfigurationException(property, e.getMessage(),
            "Copy the " + kind + " exactly as the " + scheme.id() + " dashboard shows it.");
      }
    }
    List<String> verifyTokens = config.getVerifyTokens();
    if (!verifyTokens.isEmpty() && scheme.handshake().orElse(null) != Handshake.META_SUBSCRIBE) {
      throw new HookguardConfigurationException(prefix + "verify-tokens", "a verify token is for Meta's"
          + " subscription check, which " + scheme.id() + " does not send", "Remove " + prefix + "verify-tokens.");
    }
    for (int i = 0; i < verifyTokens.size(); i++) {
      try {
        verifier.verifyToken(verifyTokens.get(i) == null ? "" : verifyTokens.get(i).strip());
      } catch (IllegalArgumentException e) {
        // The core's message names an unresolved placeholder or an empty token, never the token.
        throw new HookguardConfigurationException(prefix + "verify-tokens[" + i + "]", e.getMessage(),
            "Set it to the verify token entered in Meta's webhook settings.");
      }
    }
    window(verifier::tolerance, config.getTolerance(), prefix + "tolerance");
    window(verifier::pastTolerance, config.getPastTolerance(), prefix + "past-tolerance");
    window(verifier::futureTolerance, config.getFutureTolerance(), prefix + "future-tolerance");
    WebhookVerifier built;
    try {
      built = verifier.build();
    } catch (IllegalStateException e) {
      throw new HookguardConfigurationException(prefix + "tolerance", e.getMessage(),
          "Remove the tolerance settings of this endpoint.");
    }
    long maxBody = config.getMaxBodySize().toBytes();
    if (maxBody <= 0 || maxBody > Integer.MAX_VALUE - 16) {
      throw new HookguardConfigurationException(prefix + "max-body-size", "must be between 1B and 2GB: "
          + config.getMaxBodySize(), "Use a size such as 1MB.");
    }
    WebhookEndpoint.Builder endpoint = WebhookEndpoint.builder(name, built).maxBodyBytes((int) maxBody);
    if (!config.getAllowedSources().isEmpty()) {
      SourceAllowlist.Builder sources = SourceAllowlist.builder();
      addRanges(config.getAllowedSources(), prefix + "allowed-sources", sources::allow);
      endpoint.sources(sources.build());
    }
    try {
      endpoint.readTimeout(config.getReadTimeout());
    } catch (IllegalArgumentException e) {
      throw new HookguardConfigurationException(prefix + "read-timeout", e.getMessage(), "Use a positive duration such as 10s.");
    }
    try {
      endpoint.maxParameters(config.getMaxParameters());
    } catch (IllegalArgumentException e) {
      throw new HookguardConfigurationException(prefix + "max-parameters", e.getMessage(), "Use a positive count such as 1000.");
    }
    if (config.getPublicOrigin() != null) {
      try {
        endpoint.publicOrigin(config.getPublicOrigin());
      } catch (IllegalArgumentException e) {
        throw new HookguardConfigurationException(prefix + "public-origin", e.getMessage(),
            "Use the scheme and host the sender calls, such as https://hooks.example.com.");
      }
    }
    if (config.getDedupOnBody() != null) {
      endpoint.dedupOnBody(config.getDedupOnBody());
    }
    if (!config.getEventTypes().isEmpty()) {
      try {
        endpoint.eventTypes(EventTypeFilter.of(config.getEventTypes()));
      } catch (IllegalArgumentException e) {
        throw new HookguardConfigurationException(prefix + "event-types", e.getMessage(),
            "Use exact types such as invoice.paid or prefixes such as customer.*");
      }
      if (config.getUnexpectedEventType() == HookguardProperties.UnexpectedEventTypePolicy.REJECT) {
        endpoint.rejectUnexpectedEventTypes();
      }
    }
    if (config.isInbox()) {
      if (config.getPath() == null || !config.getPath().startsWith("/")) {
        throw new HookguardConfigurationException(prefix + "path", "an endpoint in inbox mode needs the path it is"
            + " served at", "Set it to the path the sender posts to, such as /webhooks/" + name + ".");
      }
      if (inbox == null || !inbox.handles(name)) {
        throw new HookguardConfigurationException(prefix + "inbox", "no inbox handles this endpoint",
            "Add hookguard-jdbc and a DataSource (or an InboxStore bean), and an @InboxListener(\"" + name
                + "\") method on a bean.");
      }
      // The inbox deduplicates by itself, on the keys dedup would claim.
      endpoint.inbox(inbox);
    } else if (config.getPath() != null && !config.getPath().isBlank()) {
      throw new HookguardConfigurationException(prefix + "path", "only endpoints in inbox mode are served at a path",
          "Set " + prefix + "inbox=true, or remove the path and map a @Webhook(\"" + name + "\") controller method.");
    } else if (config.isDedup()) {
      endpoint.dedup(dedup);
    }
    if (config.getMissingEventId() != null) {
      endpoint.missingEventId(config.getMissingEventId() == HookguardProperties.MissingEventIdPolicy.RUN
          ? WebhookEndpoint.MissingEventId.RUN : WebhookEndpoint.MissingEventId.REJECT);
    }
    return endpoint.build();
  }

  private static void window(java.util.function.Consumer<Duration> setter, @Nullable Duration value,
      String property) {
    if (value == null) {
      return;
    }
    if (value.isNegative()) {
      throw new HookguardConfigurationException(property, "must not be negative: " + value,
          "Use a positive duration such as 5m.");
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new HookguardConfigurationException(property, e.getMessage(), "Use a positive duration such as 5m.");
    }
  }

  @Override
  public String toString() {
    return "WebhookEndpoints" + endpoints.keySet();
  }
}
