package org.plumbline.server.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's configuration (CONTRACT section 4) with its defaults. Every problem in a file is
 * collected and reported at once.
 *
 * @param bodyLimitBytes the largest request body accepted (413 beyond it)
 * @param jwt JWT validation beside the static tokens, or null for static tokens only
 * @param rateLimits per-token request rate limits (429 beyond them)
 * @param graphql limits and switches of the GraphQL endpoint
 * @param maxQueuedRequests requests waiting for or running on a worker thread beyond which new ones
 *     are refused with 503 at once, rather than queueing until clients time out
 * @param compactionInterval how often the store is compacted ({@code scheduler.compaction})
 * @param compactionGrowth {@code scheduler.compactionGrowth}: the TDB2 store also compacts when its
 *     files use this many times what they used after the last compaction (0: never on growth)
 * @param http the connection timeouts ({@code http.idleTimeout}, {@code http.headerTimeout}, {@code
 *     http.bodyTimeout})
 * @param approvals how signatures are taken ({@code approvals})
 * @param hmacKey {@code secrets.hmacKey}: the file holding the key that secret values are hashed
 *     under, or null for {@value #HMAC_KEY_FILE} in the data folder, created at first start
 * @param oidc the console's OpenID Connect sign-in ({@code auth.oidc}), or null for tokens only
 * @param store {@code store.sparql}: a shared SPARQL 1.1 store several servers stand on, or null
 *     for the TDB2 store in the data folder (which then holds the journal and key only)
 * @param auditSigningKey {@code audit.signingKey}: the Ed25519 PKCS#8 PEM file the ledger's
 *     checkpoints and exports are signed with, or null for {@code audit-signing.pem} in the data
 *     folder, created at first start
 * @param auditWitness {@code audit.witness}: where each signed checkpoint is published (a file or a
 *     URL a third party keeps), or null for none
 */
public record ServerConfig(
    int port,
    Path data,
    Path rules,
    List<Token> tokens,
    Duration schedulerInterval,
    long bodyLimitBytes,
    List<Webhook> webhooks,
    Jwt jwt,
    RateLimits rateLimits,
    GraphQLSettings graphql,
    int maxQueuedRequests,
    Duration compactionInterval,
    double compactionGrowth,
    HttpSettings http,
    Approvals approvals,
    Path hmacKey,
    Oidc oidc,
    org.plumbline.ontology.SparqlEndpoint store,
    Path auditSigningKey,
    Witness auditWitness) {

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA = Path.of("data");
  public static final Path DEFAULT_RULES = Path.of("rules");
  public static final Duration DEFAULT_SCHEDULER_INTERVAL = Duration.ofMinutes(1);
  public static final long DEFAULT_BODY_LIMIT = 16L * 1024 * 1024;
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 128;

  /** The secrets key's file in the data folder, when {@code secrets.hmacKey} names none. */
  public static final String HMAC_KEY_FILE = "hmac.key";

  /**
   * TDB2 keeps superseded index blocks of every commit until compacted; once a day bounds the
   * growth of a busy store (a million changes in small commits) without noticeable pauses.
   */
  public static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofDays(1);

  /** Growth between compactions stays under 3x the compacted size (issue 21). */
  public static final double DEFAULT_COMPACTION_GROWTH =
      org.plumbline.ontology.CompactionPolicy.DEFAULT.growth();

  /** The roles of CONTRACT section 4. */
  public static final Set<String> ROLES =
      Set.of("viewer", "loader", "operator", "approver", "model-risk", "auditor", "admin");

  /**
   * A static bearer token and the user and roles it stands for. Only its SHA-256 digest is needed
   * to check a request; {@code token}, the plain text, is kept only for tokens built in code (the
   * demo prints its tokens) and is null for tokens read from a config file.
   *
   * @param sha256 lowercase hex SHA-256 of the token's UTF-8 bytes
   * @param rateLimit this token's own rate limit, or null for its roles' or the default one
   */
  public record Token(
      String token, String sha256, String user, Set<String> roles, RateLimit rateLimit) {
    public Token {
      if (sha256 == null) {
        sha256 = sha256Hex(java.util.Objects.requireNonNull(token, "token or sha256"));
      } else if (token != null && !sha256Hex(token).equalsIgnoreCase(sha256)) {
        throw new IllegalArgumentException("token and sha256 disagree");
      }
      sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
      roles = Set.copyOf(roles);
    }

    /** A token given in plain text, with the default rate limit. */
    public Token(String token, String user, Set<String> roles) {
      this(token, null, user, roles, null);
    }

    /** A token known only by its digest, as a config file should hold it. */
    public static Token hashed(String sha256, String user, Set<String> roles, RateLimit limit) {
      return new Token(null, sha256, user, roles, limit);
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
      return "Token[user=" + user + ", roles=" + roles + ", sha256=" + sha256 + "]";
    }
  }

  /** The lowercase hex SHA-256 of a token's UTF-8 bytes: what {@code tokenSha256} holds. */
  public static String sha256Hex(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * A webhook subscription. An empty {@code events} list means {@link #DEFAULT_EVENTS}; the {@link
   * #OPTIONAL_EVENTS} are sent only to a webhook that lists them.
   */
  public record Webhook(String url, String secret, List<String> events) {
    /** The events of CONTRACT section 4, sent to a webhook that lists none. */
    public static final List<String> DEFAULT_EVENTS =
        List.of(
            "drift.opened",
            "drift.closed",
            "disposition.requested",
            "disposition.approved",
            "disposition.rejected",
            "remediation.planned",
            "exception.expired",
            "environment.expired");

    /** Promotion gates and their overrides (docs/gates.md): sent only when listed. */
    public static final List<String> OPTIONAL_EVENTS =
        List.of(
            "gate.decided",
            "gate.override.requested",
            "gate.override.approved",
            "gate.override.rejected");

    /** Whether an audit action is delivered to this webhook. */
    public boolean wants(String action) {
      return events.isEmpty() ? DEFAULT_EVENTS.contains(action) : events.contains(action);
    }
  }

  /**
   * A token bucket: {@code burst} requests at once, refilled at {@code perSecond}.
   *
   * @param perSecond sustained requests per second, positive
   * @param burst bucket size, at least 1
   */
  public record RateLimit(double perSecond, int burst) {
    public RateLimit {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException("a rate limit needs perSecond > 0 and burst >= 1");
      }
    }
  }

  /**
   * Per-token rate limits. A token's own {@code rateLimit} wins; otherwise the most generous limit
   * among its roles in {@code roles}; otherwise {@code defaultLimit}. JWT callers are limited per
   * user.
   *
   * @param enabled false turns rate limiting off
   */
  public record RateLimits(boolean enabled, RateLimit defaultLimit, Map<String, RateLimit> roles) {
    /** 50 requests a second per token, bursts of 100: far above a dashboard or a loader job. */
    public static final RateLimits DEFAULT = new RateLimits(true, new RateLimit(50, 100), Map.of());

    public RateLimits {
      roles = Map.copyOf(roles);
    }
  }

  /**
   * JWT bearer tokens, validated beside the static tokens. A JWT must be signed by one of the keys,
   * carry {@code exp}, and match the issuer and audience when they are set.
   *
   * @param hs256Secret shared secret for HS256, or null
   * @param publicKeys PEM public keys (RS256, ES256, ...), possibly empty
   * @param userClaim the claim naming the user (default {@code sub})
   * @param rolesClaim the claim listing Plumbline roles, a dotted path such as {@code
   *     realm_access.roles} (default {@code roles}); an array or a space-separated string
   * @param leeway clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
   */
  public record Jwt(
      String issuer,
      String audience,
      String userClaim,
      String rolesClaim,
      String hs256Secret,
      List<JwtKey> publicKeys,
      Duration leeway) {
    public Jwt {
      publicKeys = List.copyOf(publicKeys);
    }

    /** Never prints the shared secret. */
    @Override
    public String toString() {
      return "Jwt[issuer=" + issuer + ", audience=" + audience + ", keys=" + publicKeys + "]";
    }
  }

  /** A public key for JWT signatures: the algorithm ({@code RS256}, {@code ES256}) and PEM text. */
  public record JwtKey(String algorithm, String pem) {}

  /**
   * The GraphQL endpoint's limits.
   *
   * @param introspection false refuses {@code __schema} and {@code __type} queries
   * @param maxDepth deepest field nesting
   * @param maxComplexity most fields one query may resolve, counting aliases and fragments
   * @param maxAliases most aliases in one request
   */
  public record GraphQLSettings(
      boolean introspection, int maxDepth, int maxComplexity, int maxAliases) {
    public static final GraphQLSettings DEFAULT = new GraphQLSettings(true, 15, 1000, 50);
  }

  /**
   * How long a connection may keep the server waiting. Each timeout closes the connection.
   *
   * @param idleTimeout no byte read or written for this long (default 60 s)
   * @param headerTimeout a request line and headers not complete this long after the connection
   *     opened or its previous answer ended (default 10 s): a client trickling headers
   * @param bodyTimeout a request body not complete this long after its headers (default 60 s)
   */
  public record HttpSettings(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout) {
    public static final HttpSettings DEFAULT =
        new HttpSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  /**
   * How e-signatures are taken.
   *
   * @param reauthenticate a signature needs the signer's token entered again ({@code credential});
   *     true by default, false only where a test needs it
   */
  public record Approvals(boolean reauthenticate) {
    public static final Approvals DEFAULT = new Approvals(true);
  }

  /**
   * The console's sign-in through an OpenID Connect provider: authorization code with PKCE (S256).
   *
   * @param name the provider's name on the sign-in button
   * @param issuer the issuer URL; its {@code /.well-known/openid-configuration} is read
   * @param clientId the console's client id at the provider
   * @param clientSecret the client secret, or null for a public client (PKCE only)
   * @param redirectUri this server's {@code /console/oidc/callback} as the browser reaches it
   * @param userClaim the ID token claim naming the user (default {@code preferred_username})
   * @param rolesClaim the claim listing Plumbline roles, a dotted path (default {@code roles})
   * @param scopes the scopes asked for ({@code openid} always among them)
   */
  public record Oidc(
      String name,
      String issuer,
      String clientId,
      String clientSecret,
      String redirectUri,
      String userClaim,
      String rolesClaim,
      List<String> scopes) {
    public Oidc {
      scopes = List.copyOf(scopes);
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
      return "Oidc[issuer=" + issuer + ", clientId=" + clientId + "]";
    }
  }

  public ServerConfig {
    http = http == null ? HttpSettings.DEFAULT : http;
    approvals = approvals == null ? Approvals.DEFAULT : approvals;
    tokens = List.copyOf(tokens);
    webhooks = List.copyOf(webhooks);
  }

  /**
   * The configuration without JWT, with default rate limits, GraphQL limits, queue bound and
   * compaction interval.
   */
  public ServerConfig(
      int port,
      Path data,
      Path rules,
      List<Token> tokens,
      Duration schedulerInterval,
      long bodyLimitBytes,
      List<Webhook> webhooks) {
    this(
        port,
        data,
        rules,
        tokens,
        schedulerInterval,
        bodyLimitBytes,
        webhooks,
        null,
        RateLimits.DEFAULT,
        GraphQLSettings.DEFAULT,
        DEFAULT_MAX_QUEUED_REQUESTS,
        DEFAULT_COMPACTION_INTERVAL,
        DEFAULT_COMPACTION_GROWTH,
        HttpSettings.DEFAULT,
        Approvals.DEFAULT,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * {@code audit.witness}: each signed checkpoint is appended as one JSON line to {@code file}, or
   * POSTed as JSON to {@code url} (exactly one of them).
   */
  public record Witness(Path file, java.net.URI url) {}

  public ServerConfig withAuditWitness(Witness v) {
    return with(b -> b.auditWitness = v);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_PORT,
        DEFAULT_DATA,
        DEFAULT_RULES,
        List.of(),
        DEFAULT_SCHEDULER_INTERVAL,
        DEFAULT_BODY_LIMIT,
        List.of());
  }

  public ServerConfig withPort(int v) {
    return with(b -> b.port = v);
  }

  public ServerConfig withData(Path v) {
    return with(b -> b.data = v);
  }

  public ServerConfig withRules(Path v) {
    return with(b -> b.rules = v);
  }

  public ServerConfig withTokens(List<Token> v) {
    return with(b -> b.tokens = v);
  }

  public ServerConfig withOidc(Oidc v) {
    return with(b -> b.oidc = v);
  }

  public ServerConfig withJwt(Jwt v) {
    return with(b -> b.jwt = v);
  }

  public ServerConfig withRateLimits(RateLimits v) {
    return with(b -> b.rateLimits = v);
  }

  public ServerConfig withGraphQL(GraphQLSettings v) {
    return with(b -> b.graphql = v);
  }

  public ServerConfig withMaxQueuedRequests(int v) {
    return with(b -> b.maxQueuedRequests = v);
  }

  public ServerConfig withBodyLimitBytes(long v) {
    return with(b -> b.bodyLimitBytes = v);
  }

  public ServerConfig withSchedulerInterval(Duration v) {
    return with(b -> b.schedulerInterval = v);
  }

  public ServerConfig withCompactionInterval(Duration v) {
    return with(b -> b.compactionInterval = v);
  }

  public ServerConfig withCompactionGrowth(double v) {
    return with(b -> b.compactionGrowth = v);
  }

  public ServerConfig withHttp(HttpSettings v) {
    return with(b -> b.http = v);
  }

  public ServerConfig withApprovals(Approvals v) {
    return with(b -> b.approvals = v);
  }

  public ServerConfig withWebhooks(List<Webhook> v) {
    return with(b -> b.webhooks = v);
  }

  public ServerConfig withStore(org.plumbline.ontology.SparqlEndpoint v) {
    return with(b -> b.store = v);
  }

  /** Whether the server stands on a shared store rather than its data folder's TDB2. */
  public boolean sharedStore() {
    return store != null;
  }

  public ServerConfig withAuditSigningKey(Path v) {
    return with(b -> b.auditSigningKey = v);
  }

  /** The ledger's signing key file: {@code audit.signingKey}, else the data folder's. */
  public Path auditSigningKeyFile() {
    return auditSigningKey != null ? auditSigningKey : data.resolve("audit-signing.pem");
  }

  public ServerConfig withHmacKey(Path v) {
    return with(b -> b.hmacKey = v);
  }

  /** The file of the key secrets are hashed under: {@code secrets.hmacKey}, else the data's. */
  public Path hmacKeyFile() {
    return hmacKey != null ? hmacKey : data.resolve(HMAC_KEY_FILE);
  }

  private ServerConfig with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** A mutable copy, so that each wither names only the setting it changes. */
  private static final class Copy {
    int port;
    Path data;
    Path rules;
    List<Token> tokens;
    Duration schedulerInterval;
    long bodyLimitBytes;
    List<Webhook> webhooks;
    Jwt jwt;
    RateLimits rateLimits;
    GraphQLSettings graphql;
    int maxQueuedRequests;
    Duration compactionInterval;
    double compactionGrowth;
    HttpSettings http;
    Approvals approvals;
    Path hmacKey;
    Oidc oidc;
    org.plumbline.ontology.SparqlEndpoint store;
    Path auditSigningKey;
    Witness auditWitness;

    Copy(ServerConfig c) {
      port = c.port;
      data = c.data;
      rules = c.rules;
      tokens = c.tokens;
      schedulerInterval = c.schedulerInterval;
      bodyLimitBytes = c.bodyLimitBytes;
      webhooks = c.webhooks;
      jwt = c.jwt;
      rateLimits = c.rateLimits;
      graphql = c.graphql;
      maxQueuedRequests = c.maxQueuedRequests;
      compactionInterval = c.compactionInterval;
      compactionGrowth = c.compactionGrowth;
      http = c.http;
      approvals = c.approvals;
      hmacKey = c.hmacKey;
      oidc = c.oidc;
      store = c.store;
      auditSigningKey = c.auditSigningKey;
      auditWitness = c.auditWitness;
    }

    ServerConfig build() {
      return new ServerConfig(
          port,
          data,
          rules,
          tokens,
          schedulerInterval,
          bodyLimitBytes,
          webhooks,
          jwt,
          rateLimits,
          graphql,
          maxQueuedRequests,
          compactionInterval,
          compactionGrowth,
          http,
          approvals,
          hmacKey,
          oidc,
          store,
          auditSigningKey,
          auditWitness);
    }
  }

  /** Reads a YAML config file; relative paths in it resolve against the file's folder. */
  public static ServerConfig load(Path file) {
    return ServerConfigReader.read(file);
  }
}
