package org.plumbline.server.config;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.yaml.snakeyaml.LoaderOptions;

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
 * @param http the connection timeouts ({@code http.idleTimeout}, {@code http.headerTimeout}, {@code
 *     http.bodyTimeout})
 * @param approvals how signatures are taken ({@code approvals})
 * @param hmacKey {@code secrets.hmacKey}: the file holding the key that secret values are hashed
 *     under, or null for {@value #HMAC_KEY_FILE} in the data folder, created at first start
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
    HttpSettings http,
    Approvals approvals,
    Path hmacKey) {

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

  /** The roles of CONTRACT section 4. */
  public static final Set<String> ROLES =
      Set.of("viewer", "loader", "operator", "approver", "model-risk", "auditor", "admin");

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

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

  /** A webhook subscription. */
  public record Webhook(String url, String secret, List<String> events) {}

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

  /** As the canonical constructor, with default approval settings. */
  public ServerConfig(
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
      HttpSettings http) {
    this(
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
        http,
        Approvals.DEFAULT,
        null);
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
        HttpSettings.DEFAULT,
        null,
        null);
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

  public ServerConfig withCompactionInterval(Duration v) {
    return with(b -> b.compactionInterval = v);
  }

  public ServerConfig withHttp(HttpSettings v) {
    return with(b -> b.http = v);
  }

  public ServerConfig withApprovals(Approvals v) {
    return with(b -> b.approvals = v);
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
    HttpSettings http;
    Approvals approvals;
    Path hmacKey;

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
      http = c.http;
      approvals = c.approvals;
      hmacKey = c.hmacKey;
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
          http,
          approvals,
          hmacKey);
    }
  }

  /** Reads a YAML config file; relative paths in it resolve against the file's folder. */
  public static ServerConfig load(Path file) {
    JsonNode root;
    try {
      root = yaml().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new PlumblineException(
          ServerError.INVALID_CONFIG, "cannot read config " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new PlumblineException(ServerError.INVALID_CONFIG, file + " must be a YAML mapping");
    }
    Path base = file.toAbsolutePath().getParent();
    List<String> problems = new ArrayList<>();
    ServerConfig d = defaults();
    unknown(
        root,
        "",
        Set.of(
            "port",
            "data",
            "rules",
            "auth",
            "scheduler",
            "webhooks",
            "bodyLimitBytes",
            "rateLimits",
            "graphql",
            "maxQueuedRequests",
            "http",
            "approvals",
            "secrets"),
        problems);
    unknown(root.path("approvals"), "/approvals", Set.of("reauthenticate"), problems);
    boolean reauthenticate = d.approvals().reauthenticate();
    JsonNode ra = root.path("approvals").path("reauthenticate");
    if (!ra.isMissingNode()) {
      if (ra.isBoolean()) {
        reauthenticate = ra.asBoolean();
      } else {
        problems.add("/approvals/reauthenticate: must be true or false");
      }
    }
    unknown(root.path("secrets"), "/secrets", Set.of("hmacKey"), problems);
    Path hmacKey = null;
    JsonNode hk = root.path("secrets").path("hmacKey");
    if (!hk.isMissingNode()) {
      if (!hk.isTextual() || hk.asText().isBlank()) {
        problems.add("/secrets/hmacKey: must name a file");
      } else {
        hmacKey = base.resolve(hk.asText());
      }
    }
    unknown(root.path("auth"), "/auth", Set.of("tokens", "jwt"), problems);
    int port = d.port();
    if (root.has("port")) {
      JsonNode p = root.get("port");
      if (!p.canConvertToInt() || p.asInt() < 0 || p.asInt() > 65535) {
        problems.add("/port: must be a number from 0 to 65535");
      } else {
        port = p.asInt();
      }
    }
    Path data = root.hasNonNull("data") ? base.resolve(root.get("data").asText()) : d.data();
    Path rules = root.hasNonNull("rules") ? base.resolve(root.get("rules").asText()) : d.rules();
    long bodyLimit =
        root.has("bodyLimitBytes") ? root.get("bodyLimitBytes").asLong(-1) : d.bodyLimitBytes();
    if (bodyLimit < 1) {
      problems.add("/bodyLimitBytes: must be a positive number of bytes");
    }
    int maxQueued = d.maxQueuedRequests();
    if (root.has("maxQueuedRequests")) {
      maxQueued = root.get("maxQueuedRequests").asInt(-1);
      if (!root.get("maxQueuedRequests").canConvertToInt() || maxQueued < 1) {
        problems.add("/maxQueuedRequests: must be a positive number");
      }
    }
    List<Token> tokens = tokens(root.path("auth").path("tokens"), problems);
    Jwt jwt = jwt(root.path("auth").path("jwt"), problems);
    RateLimits rateLimits = rateLimits(root.path("rateLimits"), problems);
    GraphQLSettings graphql = graphql(root.path("graphql"), problems);
    HttpSettings http = http(root.path("http"), problems);
    Duration interval = d.schedulerInterval();
    JsonNode iv = root.path("scheduler").path("interval");
    if (!iv.isMissingNode()) {
      try {
        interval = Duration.parse(iv.asText());
        if (interval.isNegative() || interval.isZero()) {
          problems.add("/scheduler/interval: must be positive");
        }
      } catch (DateTimeParseException e) {
        problems.add("/scheduler/interval: not an ISO-8601 duration: '" + iv.asText() + "'");
      }
    }
    Duration compaction = d.compactionInterval();
    JsonNode cp = root.path("scheduler").path("compaction");
    if (!cp.isMissingNode()) {
      try {
        compaction = Duration.parse(cp.asText());
        if (compaction.isNegative() || compaction.isZero()) {
          problems.add("/scheduler/compaction: must be positive");
        }
      } catch (DateTimeParseException e) {
        problems.add("/scheduler/compaction: not an ISO-8601 duration: '" + cp.asText() + "'");
      }
    }
    List<Webhook> hooks = new ArrayList<>();
    JsonNode wh = root.path("webhooks");
    for (int i = 0; i < wh.size(); i++) {
      JsonNode h = wh.get(i);
      if (!h.path("url").isTextual()) {
        problems.add("/webhooks/" + i + "/url: required");
        continue;
      }
      List<String> events = new ArrayList<>();
      h.path("events").forEach(e -> events.add(e.asText()));
      hooks.add(new Webhook(h.get("url").asText(), h.path("secret").asText(null), events));
    }
    if (!problems.isEmpty()) {
      throw new PlumblineException(
          ServerError.INVALID_CONFIG, "invalid configuration in " + file, problems);
    }
    return new ServerConfig(
        port,
        data,
        rules,
        tokens,
        interval,
        bodyLimit,
        hooks,
        jwt,
        rateLimits,
        graphql,
        maxQueued,
        compaction,
        http,
        new Approvals(reauthenticate),
        hmacKey);
  }

  /** A YAML reader within the same bounds as every other document: no tags are ever resolved. */
  private static ObjectMapper yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(10);
    options.setNestingDepthLimit(32);
    options.setCodePointLimit(1024 * 1024);
    return new ObjectMapper(
        YAMLFactory.builder()
            .loaderOptions(options)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxDocumentLength(1024 * 1024)
                    .build())
            .build());
  }

  private static void unknown(JsonNode node, String where, Set<String> known, List<String> out) {
    if (!node.isObject()) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        out.add(where + "/" + f + ": unknown setting");
      }
    }
  }

  private static List<Token> tokens(JsonNode list, List<String> problems) {
    List<Token> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String where = "/auth/tokens/" + i;
      unknown(t, where, Set.of("token", "tokenSha256", "user", "roles", "rateLimit"), problems);
      String user = t.path("user").asText("");
      String digest = null;
      if (t.has("token") == t.has("tokenSha256")) {
        problems.add(where + ": give exactly one of token and tokenSha256");
      } else if (t.has("token")) {
        String token = t.path("token").asText("");
        if (token.length() < 16) {
          problems.add(where + "/token: required, at least 16 characters");
        } else {
          // Only the digest is kept: the plain text goes no further than this line.
          digest = sha256Hex(token);
        }
      } else {
        String hex = t.path("tokenSha256").asText("");
        if (!SHA256_HEX.matcher(hex).matches()) {
          problems.add(where + "/tokenSha256: must be 64 hex digits (plumbline hash-token)");
        } else {
          digest = hex.toLowerCase(java.util.Locale.ROOT);
        }
      }
      if (digest != null && !seen.add(digest)) {
        problems.add(where + ": the same token is listed twice");
      }
      if (user.isBlank()) {
        problems.add(where + "/user: required");
      }
      Set<String> roles = new LinkedHashSet<>();
      t.path("roles")
          .forEach(
              r -> {
                if (!ROLES.contains(r.asText())) {
                  problems.add(where + "/roles: unknown role '" + r.asText() + "'");
                }
                roles.add(r.asText());
              });
      if (roles.isEmpty()) {
        problems.add(where + "/roles: at least one role");
      }
      RateLimit limit =
          t.has("rateLimit") ? rateLimit(t.get("rateLimit"), where + "/rateLimit", problems) : null;
      if (digest != null) {
        out.add(Token.hashed(digest, user, roles, limit));
      }
    }
    return out;
  }

  private static RateLimit rateLimit(JsonNode n, String where, List<String> problems) {
    unknown(n, where, Set.of("perSecond", "burst"), problems);
    double perSecond = n.path("perSecond").asDouble(-1);
    int burst = n.path("burst").asInt(-1);
    if (!n.path("perSecond").isNumber() || !(perSecond > 0)) {
      problems.add(where + "/perSecond: must be a positive number");
      return null;
    }
    if (!n.path("burst").canConvertToInt() || burst < 1) {
      problems.add(where + "/burst: must be a whole number of at least 1");
      return null;
    }
    return new RateLimit(perSecond, burst);
  }

  private static RateLimits rateLimits(JsonNode n, List<String> problems) {
    if (n.isMissingNode()) {
      return RateLimits.DEFAULT;
    }
    unknown(n, "/rateLimits", Set.of("enabled", "default", "roles"), problems);
    boolean enabled = n.path("enabled").asBoolean(true);
    RateLimit def =
        n.has("default")
            ? rateLimit(n.get("default"), "/rateLimits/default", problems)
            : RateLimits.DEFAULT.defaultLimit();
    Map<String, RateLimit> roles = new LinkedHashMap<>();
    for (Iterator<String> it = n.path("roles").fieldNames(); it.hasNext(); ) {
      String role = it.next();
      if (!ROLES.contains(role)) {
        problems.add("/rateLimits/roles/" + role + ": unknown role");
        continue;
      }
      RateLimit r = rateLimit(n.path("roles").get(role), "/rateLimits/roles/" + role, problems);
      if (r != null) {
        roles.put(role, r);
      }
    }
    return new RateLimits(enabled, def == null ? RateLimits.DEFAULT.defaultLimit() : def, roles);
  }

  private static Jwt jwt(JsonNode n, List<String> problems) {
    if (n.isMissingNode()) {
      return null;
    }
    String where = "/auth/jwt";
    unknown(
        n,
        where,
        Set.of(
            "issuer", "audience", "userClaim", "rolesClaim", "hs256Secret", "publicKeys", "leeway"),
        problems);
    String secret = n.path("hs256Secret").asText(null);
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      problems.add(where + "/hs256Secret: at least 32 bytes (RFC 7518 section 3.2)");
    }
    List<JwtKey> keys = new ArrayList<>();
    JsonNode pk = n.path("publicKeys");
    for (int i = 0; i < pk.size(); i++) {
      String alg = pk.get(i).path("algorithm").asText("");
      String pem = pk.get(i).path("pem").asText("");
      if (!Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256").contains(alg)) {
        problems.add(where + "/publicKeys/" + i + "/algorithm: RS256, ES256, ... expected");
      } else if (!pem.contains("BEGIN PUBLIC KEY")) {
        problems.add(where + "/publicKeys/" + i + "/pem: a PEM public key expected");
      } else {
        keys.add(new JwtKey(alg, pem));
      }
    }
    if (secret == null && pk.isEmpty()) {
      problems.add(where + ": needs hs256Secret or publicKeys");
    }
    Duration leeway = Duration.ofSeconds(30);
    if (n.has("leeway")) {
      try {
        leeway = Duration.parse(n.get("leeway").asText());
      } catch (DateTimeParseException e) {
        problems.add(where + "/leeway: not an ISO-8601 duration");
      }
    }
    return new Jwt(
        n.path("issuer").asText(null),
        n.path("audience").asText(null),
        n.path("userClaim").asText("sub"),
        n.path("rolesClaim").asText("roles"),
        secret,
        keys,
        leeway);
  }

  private static HttpSettings http(JsonNode n, List<String> problems) {
    HttpSettings d = HttpSettings.DEFAULT;
    if (n.isMissingNode()) {
      return d;
    }
    unknown(n, "/http", Set.of("idleTimeout", "headerTimeout", "bodyTimeout"), problems);
    return new HttpSettings(
        duration(n, "idleTimeout", d.idleTimeout(), problems),
        duration(n, "headerTimeout", d.headerTimeout(), problems),
        duration(n, "bodyTimeout", d.bodyTimeout(), problems));
  }

  private static Duration duration(
      JsonNode n, String name, Duration fallback, List<String> problems) {
    if (!n.has(name)) {
      return fallback;
    }
    try {
      Duration d = Duration.parse(n.get(name).asText());
      if (d.isNegative() || d.isZero()) {
        problems.add("/http/" + name + ": must be positive");
        return fallback;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add("/http/" + name + ": not an ISO-8601 duration: '" + n.get(name).asText() + "'");
      return fallback;
    }
  }

  private static GraphQLSettings graphql(JsonNode n, List<String> problems) {
    GraphQLSettings d = GraphQLSettings.DEFAULT;
    if (n.isMissingNode()) {
      return d;
    }
    unknown(
        n,
        "/graphql",
        Set.of("introspection", "maxDepth", "maxComplexity", "maxAliases"),
        problems);
    JsonNode intro = n.path("introspection");
    if (!intro.isMissingNode() && !intro.isBoolean()) {
      problems.add("/graphql/introspection: must be true or false");
    }
    return new GraphQLSettings(
        intro.asBoolean(d.introspection()),
        positive(n, "maxDepth", d.maxDepth(), problems),
        positive(n, "maxComplexity", d.maxComplexity(), problems),
        positive(n, "maxAliases", d.maxAliases(), problems));
  }

  private static int positive(JsonNode n, String name, int fallback, List<String> problems) {
    if (!n.has(name)) {
      return fallback;
    }
    if (!n.get(name).canConvertToInt() || n.get(name).asInt() < 1) {
      problems.add("/graphql/" + name + ": must be a positive number");
      return fallback;
    }
    return n.get(name).asInt();
  }
}
