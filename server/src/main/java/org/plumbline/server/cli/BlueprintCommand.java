package org.plumbline.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plumbline.loaders.BlueprintDocument;
import org.plumbline.loaders.BlueprintInit;
import org.plumbline.loaders.BlueprintParser;
import org.plumbline.loaders.DocumentLoader;
import org.plumbline.loaders.Format;
import org.plumbline.loaders.KeyMapping;
import org.plumbline.loaders.LoadContext;
import org.plumbline.loaders.Loaded;
import org.plumbline.loaders.LoaderError;
import org.plumbline.loaders.ParseLimits;
import org.plumbline.loaders.Secrets;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.RuleError;
import org.plumbline.server.ServerError;
import org.plumbline.server.cli.Main.Options;

/**
 * {@code plumbline blueprint export}: a stored bundle version printed as the YAML a team keeps in
 * git, so a CODIFY can become a commit; posted again it is the same version (same content hash).
 * {@code plumbline blueprint init}: a blueprint written from what runs, a file of observations in
 * any loader format or an environment's latest snapshot, with a key mapping applied and volatile
 * keys suggested as ignore globs ({@link BlueprintInit}); checked with the server's parser before
 * it is printed.
 */
final class BlueprintCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Main main;
  private final PrintStream out;

  BlueprintCommand(Main main, PrintStream out) {
    this.main = main;
    this.out = out;
  }

  int run(Options o) {
    if (o.words().isEmpty()) {
      throw new Main.UsageException("blueprint needs a subcommand: export or init");
    }
    return switch (o.words().get(0)) {
      case "export" -> export(o);
      case "init" -> init(o);
      default ->
          throw new Main.UsageException(
              "unknown blueprint subcommand '" + o.words().get(0) + "' (export or init)");
    };
  }

  private int export(Options o) {
    o.allow("bundle", "version", "server", "token", "token-file", "data");
    if (o.words().size() > 1) {
      throw new Main.UsageException(
          "blueprint export takes no arguments, got '" + o.words().get(1) + "'");
    }
    if (o.flag("bundle") == null) {
      throw new Main.UsageException("blueprint export needs --bundle B");
    }
    if ((o.flag("server") == null) == (o.flag("data") == null)) {
      throw new Main.UsageException(
          "blueprint export needs either --server URL --token-file F or --data DIR");
    }
    out.print(
        o.flag("server") != null
            ? BlueprintDocument.yaml(fromServer(o))
            : BlueprintDocument.yaml(fromDataFolder(o)));
    return 0;
  }

  private int init(Options o) {
    o.allow(
        "from",
        "bundle",
        "version",
        "tier",
        "owner",
        "map",
        "format",
        "environment",
        "server",
        "token",
        "token-file",
        "data");
    if (o.words().size() > 1) {
      throw new Main.UsageException(
          "blueprint init takes no arguments, got '" + o.words().get(1) + "'");
    }
    String from = o.flag("from");
    if (from == null) {
      throw new Main.UsageException("blueprint init needs --from FILE or --from ENVIRONMENT");
    }
    Path file = Path.of(from);
    boolean isFile = Files.isRegularFile(file);
    if (!isFile && (o.flag("server") == null) == (o.flag("data") == null)) {
      throw new Main.UsageException(
          "'"
              + from
              + "' is not a file: to start from an environment's latest snapshot give --server URL"
              + " --token-file F or --data DIR");
    }
    String tier = o.flag("tier") == null ? "DEV" : o.flag("tier");
    try {
      org.plumbline.ontology.Tier.valueOf(tier);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("--tier must be a tier (DEV, STAGING, PROD, REGULATED...)");
    }
    KeyMapping mapping = o.flag("map") == null ? KeyMapping.NONE : mapping(Path.of(o.flag("map")));
    List<Snapshot> observed = isFile ? observedIn(file, o) : List.of(latest(o, from));
    List<String> secrets = new ArrayList<>();
    List<Snapshot> kept = new ArrayList<>();
    for (Snapshot s : observed) {
      java.util.SortedMap<String, String> values = new java.util.TreeMap<>(s.config().values());
      values
          .entrySet()
          .removeIf(
              e -> {
                boolean secret = e.getValue().startsWith("\"secret:");
                if (secret) {
                  secrets.add(e.getKey());
                }
                return secret;
              });
      kept.add(
          new Snapshot(
              s.environment(),
              s.observedAt(),
              s.source(),
              new FlatConfig(values),
              s.contentHash()));
    }
    String bundle = o.flag("bundle") != null ? o.flag("bundle") : kept.get(0).environment();
    String version = o.flag("version") == null ? "1.0.0" : o.flag("version");
    ObjectNode tree =
        BlueprintInit.blueprint(kept, bundle, version, tier, o.flag("owner"), mapping);
    String yaml = BlueprintDocument.yaml(tree);
    // what is printed must post: parsed here with the parser the server uses
    new BlueprintParser().parse(yaml.getBytes(StandardCharsets.UTF_8), "yaml");
    out.print(
        "# Written by plumbline blueprint init from "
            + from
            + ". Review the tier, owner and values before posting it"
            + (secrets.isEmpty()
                ? ".\n"
                : "; secret values left out (declare them yourself or ignore them): "
                    + String.join(", ", secrets)
                    + "\n")
            + yaml);
    return 0;
  }

  /** The snapshots a file holds, in any loader format. */
  private static List<Snapshot> observedIn(Path file, Options o) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PlumblineException(
          ServerError.UNREADABLE_FILE, "cannot read: " + e, List.of(file.toString()));
    }
    Format format;
    try {
      format = o.flag("format") == null ? null : Format.named(o.flag("format"));
    } catch (PlumblineException e) {
      throw new Main.UsageException(e.getMessage() + " (" + String.join("; ", e.details()) + ")");
    }
    Loaded loaded =
        new DocumentLoader(ParseLimits.DEFAULT, Secrets.ephemeral())
            .load(
                content,
                format,
                LoadContext.fallingBackTo(Instant.now()).withEnvironment(o.flag("environment")));
    if (!(loaded instanceof Loaded.SnapshotsLoaded s) || s.snapshots().isEmpty()) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "blueprint init needs observations (a snapshot in any loader format); "
              + file
              + " holds "
              + loaded.format().id()
              + (loaded instanceof Loaded.SnapshotsLoaded ? " with nothing observed" : ""),
          List.of(file.toString()));
    }
    return s.snapshots();
  }

  /** The latest snapshot of an environment, from the data folder or the server. */
  private Snapshot latest(Options o, String environment) {
    if (o.flag("data") != null) {
      try (GraphStore store =
          AuditCommand.openOffline(o, "read it through it: --server URL --token-file F")) {
        return store
            .read(r -> r.latestSnapshot(environment))
            .orElseThrow(() -> noSnapshot(environment));
      }
    }
    JsonNode answer =
        graphql(
            o,
            "query($id: ID!) { environment(id: $id) { lastObservedAt configAt { key value } } }",
            Map.of("id", environment));
    JsonNode env = answer.at("/data/environment");
    if (!env.isObject() || env.path("lastObservedAt").isNull()) {
      throw noSnapshot(environment);
    }
    java.util.SortedMap<String, String> values = new java.util.TreeMap<>();
    env.path("configAt")
        .forEach(c -> values.put(c.path("key").asText(), c.path("value").toString()));
    return new Snapshot(
        environment,
        Instant.parse(env.path("lastObservedAt").asText()),
        null,
        new FlatConfig(values),
        "");
  }

  private static PlumblineException noSnapshot(String environment) {
    return new PlumblineException(
        org.plumbline.ontology.StoreError.UNKNOWN_ENVIRONMENT,
        "no snapshot of environment '" + environment + "' is stored",
        List.of("--from " + environment));
  }

  /** A key mapping from a file: a blueprint (its {@code map} section) or the rules alone. */
  private static KeyMapping mapping(Path file) {
    JsonNode tree;
    try {
      tree = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new PlumblineException(
          LoaderError.INVALID_KEY_MAPPING,
          "cannot read the key mapping: " + e.getMessage(),
          List.of("--map " + file));
    }
    JsonNode rules = tree != null && tree.has("map") ? tree.get("map") : tree;
    if (rules == null || !rules.isObject()) {
      throw new PlumblineException(
          LoaderError.INVALID_KEY_MAPPING,
          "a key mapping is an object of source key patterns to governed keys",
          List.of("--map " + file));
    }
    Map<String, String> map = new java.util.LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    rules
        .properties()
        .forEach(
            r -> {
              if (r.getValue().isTextual()) {
                map.put(r.getKey(), r.getValue().textValue());
              } else {
                problems.add("--map " + file + ": /" + r.getKey() + ": must be a governed key");
              }
            });
    if (!problems.isEmpty()) {
      throw new PlumblineException(
          LoaderError.INVALID_KEY_MAPPING, "invalid key mapping", problems);
    }
    return KeyMapping.of(map);
  }

  private Blueprint fromDataFolder(Options o) {
    try (GraphStore store =
        AuditCommand.openOffline(o, "export through it: --server URL --token-file F")) {
      String bundle = o.flag("bundle");
      String version = o.flag("version");
      return store
          .read(r -> version == null ? r.currentBlueprint(bundle) : r.blueprint(bundle, version))
          .orElseThrow(() -> unknown(o));
    }
  }

  private JsonNode fromServer(Options o) {
    String token = main.token(o);
    if (token == null) {
      throw new Main.UsageException("--server needs --token-file F (or PLUMBLINE_TOKEN)");
    }
    JsonNode answer =
        graphql(
            o,
            "query($id: ID!) { bundle(id: $id) { versions { version blueprint } } }",
            Map.of("id", o.flag("bundle")));
    JsonNode versions = answer.at("/data/bundle/versions");
    if (!versions.isArray() || versions.isEmpty()) {
      throw unknown(o);
    }
    // versions come in semantic-version order: the last is the bundle's current one
    JsonNode chosen = null;
    for (JsonNode v : versions) {
      if (o.flag("version") == null || o.flag("version").equals(v.path("version").asText())) {
        chosen = v;
      }
    }
    if (chosen == null || !chosen.path("blueprint").isObject()) {
      throw unknown(o);
    }
    return chosen.get("blueprint");
  }

  /** Asks the server's GraphQL; a refusal or error is thrown coded, with the server's details. */
  private JsonNode graphql(Options o, String query, Map<String, Object> variables) {
    String token = main.token(o);
    if (token == null) {
      throw new Main.UsageException("--server needs --token-file F (or PLUMBLINE_TOKEN)");
    }
    String base = o.flag("server").replaceAll("/+$", "");
    HttpResponse<String> response;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/graphql"))
                  .timeout(Duration.ofSeconds(60))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          JSON.writeValueAsString(Map.of("query", query, "variables", variables))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      throw new PlumblineException(
          ServerError.SERVER_UNREACHABLE,
          "cannot reach " + base + ": " + e.getMessage(),
          List.of("--server " + o.flag("server")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlumblineException(ServerError.SERVER_UNREACHABLE, "interrupted");
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = JSON.createObjectNode();
    }
    if (response.statusCode() != 200 || answer.has("errors") || answer.has("error")) {
      JsonNode error = answer.has("errors") ? answer.path("errors").path(0) : answer.path("error");
      List<String> details = new ArrayList<>();
      error.path("details").forEach(d -> details.add(d.asText()));
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "the server answered "
              + response.statusCode()
              + ": "
              + error.path("message").asText(response.body()),
          details);
    }
    return answer;
  }

  private static PlumblineException unknown(Options o) {
    return new PlumblineException(
        RuleError.UNKNOWN_BUNDLE_VERSION,
        o.flag("version") == null
            ? "no stored version of bundle '" + o.flag("bundle") + "'"
            : "bundle '" + o.flag("bundle") + "' has no version " + o.flag("version"),
        List.of(
            "--bundle " + o.flag("bundle"),
            o.flag("version") == null ? "--version (current)" : "--version " + o.flag("version")));
  }
}
