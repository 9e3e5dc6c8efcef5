package org.plumbline.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plumbline.loaders.BlueprintDocument;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.rules.RuleError;
import org.plumbline.server.ServerError;
import org.plumbline.server.cli.Main.Options;

/**
 * {@code plumbline blueprint export}: a stored bundle version printed as the YAML a team keeps in
 * git, so a CODIFY can become a commit; posted again it is the same version (same content hash).
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
    String query = "query($id: ID!) { bundle(id: $id) { versions { version blueprint } } }";
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
                          JSON.writeValueAsString(
                              Map.of("query", query, "variables", Map.of("id", o.flag("bundle"))))))
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
