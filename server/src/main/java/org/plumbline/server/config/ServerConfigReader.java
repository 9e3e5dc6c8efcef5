package org.plumbline.server.config;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.SparqlEndpoint;
import org.plumbline.server.ServerError;
import org.plumbline.server.config.ServerConfig.Approvals;
import org.plumbline.server.config.ServerConfig.GraphQLSettings;
import org.plumbline.server.config.ServerConfig.HttpSettings;
import org.plumbline.server.config.ServerConfig.Jwt;
import org.plumbline.server.config.ServerConfig.JwtKey;
import org.plumbline.server.config.ServerConfig.RateLimit;
import org.plumbline.server.config.ServerConfig.RateLimits;
import org.plumbline.server.config.ServerConfig.Token;
import org.plumbline.server.config.ServerConfig.Webhook;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a {@link ServerConfig} from a YAML file (CONTRACT section 4): every setting is checked and
 * every problem in the file is collected and reported at once, as one {@code INVALID_CONFIG} error.
 */
final class ServerConfigReader {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private ServerConfigReader() {}

  /** Reads a YAML config file; relative paths in it resolve against the file's folder. */
  static ServerConfig read(Path file) {
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
    ServerConfig d = ServerConfig.defaults();
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
            "secrets",
            "store",
            "audit"),
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
    unknown(root.path("audit"), "/audit", Set.of("signingKey", "witness"), problems);
    ServerConfig.Witness witness = witness(root.path("audit").path("witness"), base, problems);
    Path signingKey = null;
    JsonNode sk = root.path("audit").path("signingKey");
    if (!sk.isMissingNode()) {
      if (!sk.isTextual() || sk.asText().isBlank()) {
        problems.add("/audit/signingKey: must name a file (an Ed25519 PKCS#8 PEM)");
      } else {
        signingKey = base.resolve(sk.asText());
      }
    }
    unknown(root.path("auth"), "/auth", Set.of("tokens", "jwt", "oidc"), problems);
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
    ServerConfig.Oidc oidc = oidc(root.path("auth").path("oidc"), problems);
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
    double growth = d.compactionGrowth();
    JsonNode gr = root.path("scheduler").path("compactionGrowth");
    if (!gr.isMissingNode()) {
      if (!gr.isNumber() || (gr.asDouble() != 0 && !(gr.asDouble() > 1))) {
        problems.add("/scheduler/compactionGrowth: must be a number over 1, or 0 for never");
      } else {
        growth = gr.asDouble();
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
      JsonNode listed = h.path("events");
      for (int j = 0; j < listed.size(); j++) {
        String event = listed.get(j).asText();
        if (Webhook.DEFAULT_EVENTS.contains(event) || Webhook.OPTIONAL_EVENTS.contains(event)) {
          events.add(event);
        } else {
          problems.add(
              "/webhooks/"
                  + i
                  + "/events/"
                  + j
                  + ": unknown event '"
                  + event
                  + "' (known: "
                  + String.join(", ", Webhook.DEFAULT_EVENTS)
                  + ", "
                  + String.join(", ", Webhook.OPTIONAL_EVENTS)
                  + ")");
        }
      }
      hooks.add(new Webhook(h.get("url").asText(), h.path("secret").asText(null), events));
    }
    SparqlEndpoint store = store(root.path("store"), problems);
    if (store != null && hmacKey == null) {
      problems.add(
          "/secrets/hmacKey: required with a shared store: every server must hash secrets under"
              + " the same key file");
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
        growth,
        http,
        new Approvals(reauthenticate),
        hmacKey,
        oidc,
        store,
        signingKey,
        witness);
  }

  /** {@code audit.witness}: {@code {file: PATH}} or {@code {url: URL}}, exactly one. */
  private static ServerConfig.Witness witness(JsonNode w, Path base, List<String> problems) {
    if (w.isMissingNode() || w.isNull()) {
      return null;
    }
    if (!w.isObject()) {
      problems.add("/audit/witness: must be {file: PATH} or {url: URL}");
      return null;
    }
    unknown(w, "/audit/witness", Set.of("file", "url"), problems);
    if (w.has("file") == w.has("url")) {
      problems.add("/audit/witness: give exactly one of file and url");
      return null;
    }
    if (w.has("file")) {
      if (!w.get("file").isTextual() || w.get("file").asText().isBlank()) {
        problems.add("/audit/witness/file: must name a file");
        return null;
      }
      return new ServerConfig.Witness(base.resolve(w.get("file").asText()), null);
    }
    try {
      java.net.URI url = new java.net.URI(w.get("url").asText());
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
          || url.getHost() == null) {
        problems.add("/audit/witness/url: must be an http or https URL, was '" + url + "'");
        return null;
      }
      return new ServerConfig.Witness(null, url);
    } catch (java.net.URISyntaxException e) {
      problems.add("/audit/witness/url: not a URL: " + e.getMessage());
      return null;
    }
  }

  /**
   * {@code store: { sparql: URL, user, password | token }}: a shared SPARQL 1.1 store, or null when
   * absent (the data folder's TDB2).
   */
  private static SparqlEndpoint store(JsonNode n, List<String> problems) {
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    unknown(n, "/store", Set.of("sparql", "user", "password", "token"), problems);
    String url = n.path("sparql").asText("");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      problems.add("/store/sparql: must be the http(s) URL of a SPARQL 1.1 dataset");
      return null;
    }
    String user = n.path("user").asText(null);
    String password = n.path("password").asText(null);
    String token = n.path("token").asText(null);
    if (token != null && user != null) {
      problems.add("/store: give user and password, or token, not both");
    }
    if (user != null && password == null) {
      problems.add("/store/password: required with /store/user");
    }
    return new SparqlEndpoint(url, user, password, token);
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
          digest = ServerConfig.sha256Hex(token);
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
                if (!ServerConfig.ROLES.contains(r.asText())) {
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
      if (!ServerConfig.ROLES.contains(role)) {
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

  private static ServerConfig.Oidc oidc(JsonNode n, List<String> problems) {
    if (n.isMissingNode()) {
      return null;
    }
    String where = "/auth/oidc";
    unknown(
        n,
        where,
        Set.of(
            "name",
            "issuer",
            "clientId",
            "clientSecret",
            "redirectUri",
            "userClaim",
            "rolesClaim",
            "scopes"),
        problems);
    for (String required : List.of("issuer", "clientId", "redirectUri")) {
      if (!n.path(required).isTextual() || n.path(required).asText().isBlank()) {
        problems.add(where + "/" + required + ": required");
      }
    }
    for (String url : List.of("issuer", "redirectUri")) {
      String v = n.path(url).asText("");
      if (!v.isBlank() && !v.startsWith("https://") && !v.startsWith("http://")) {
        problems.add(where + "/" + url + ": an http(s) URL expected");
      }
    }
    if (!n.path("redirectUri")
        .asText("/console/oidc/callback")
        .endsWith("/console/oidc/callback")) {
      problems.add(where + "/redirectUri: must end with /console/oidc/callback");
    }
    List<String> scopes = new ArrayList<>(List.of("openid"));
    n.path("scopes")
        .forEach(
            v -> {
              if (!scopes.contains(v.asText())) {
                scopes.add(v.asText());
              }
            });
    if (!n.has("scopes")) {
      scopes.add("profile");
    }
    return new ServerConfig.Oidc(
        n.path("name").asText("single sign-on"),
        n.path("issuer").asText(null),
        n.path("clientId").asText(null),
        n.path("clientSecret").asText(null),
        n.path("redirectUri").asText(null),
        n.path("userClaim").asText("preferred_username"),
        n.path("rolesClaim").asText("roles"),
        scopes);
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
