package org.plumbline.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.plumbline.ontology.PlumblineException;

/**
 * The server's configuration (CONTRACT section 4) with its defaults. Every problem in a file is
 * collected and reported at once.
 *
 * @param bodyLimitBytes the largest request body accepted (413 beyond it)
 * @param compactionInterval how often the store is compacted ({@code scheduler.compaction})
 */
public record ServerConfig(
    int port,
    Path data,
    Path rules,
    List<Token> tokens,
    Duration schedulerInterval,
    long bodyLimitBytes,
    List<Webhook> webhooks,
    Duration compactionInterval) {

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA = Path.of("data");
  public static final Path DEFAULT_RULES = Path.of("rules");
  public static final Duration DEFAULT_SCHEDULER_INTERVAL = Duration.ofMinutes(1);
  public static final long DEFAULT_BODY_LIMIT = 16L * 1024 * 1024;

  /**
   * TDB2 keeps superseded index blocks of every commit until compacted; once a day bounds the
   * growth of a busy store (a million changes in small commits) without noticeable pauses.
   */
  public static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofDays(1);

  /** The roles of CONTRACT section 4. */
  public static final Set<String> ROLES =
      Set.of("viewer", "loader", "operator", "approver", "model-risk", "auditor", "admin");

  /** A static bearer token and the user and roles it stands for. */
  public record Token(String token, String user, Set<String> roles) {}

  /** A webhook subscription. */
  public record Webhook(String url, String secret, List<String> events) {}

  public ServerConfig {
    tokens = List.copyOf(tokens);
    webhooks = List.copyOf(webhooks);
  }

  /** A configuration with the default compaction interval. */
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
        DEFAULT_COMPACTION_INTERVAL);
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

  public ServerConfig withPort(int p) {
    return new ServerConfig(
        p, data, rules, tokens, schedulerInterval, bodyLimitBytes, webhooks, compactionInterval);
  }

  public ServerConfig withData(Path d) {
    return new ServerConfig(
        port, d, rules, tokens, schedulerInterval, bodyLimitBytes, webhooks, compactionInterval);
  }

  public ServerConfig withRules(Path r) {
    return new ServerConfig(
        port, data, r, tokens, schedulerInterval, bodyLimitBytes, webhooks, compactionInterval);
  }

  public ServerConfig withTokens(List<Token> t) {
    return new ServerConfig(
        port, data, rules, t, schedulerInterval, bodyLimitBytes, webhooks, compactionInterval);
  }

  /** Reads a YAML config file; relative paths in it resolve against the file's folder. */
  public static ServerConfig load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
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
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("port", "data", "rules", "auth", "scheduler", "webhooks", "bodyLimitBytes")
          .contains(f)) {
        problems.add("/" + f + ": unknown setting");
      }
    }
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
    List<Token> tokens = tokens(root.path("auth").path("tokens"), problems);
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
    return new ServerConfig(port, data, rules, tokens, interval, bodyLimit, hooks, compaction);
  }

  private static List<Token> tokens(JsonNode list, List<String> problems) {
    List<Token> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String where = "/auth/tokens/" + i;
      String token = t.path("token").asText("");
      String user = t.path("user").asText("");
      if (token.length() < 16) {
        problems.add(where + "/token: required, at least 16 characters");
      } else if (!seen.add(token)) {
        problems.add(where + "/token: the same token is listed twice");
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
      out.add(new Token(token, user, roles));
    }
    return out;
  }
}
