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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.server.ServerError;
import org.plumbline.server.cli.Main.Options;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.http.resources.GateResource;
import org.plumbline.server.write.StoreTarget;

/**
 * {@code plumbline gate}: asks the promotion gate whether a bundle version may go to an environment
 * and prints the decision and its reasons; exit 0 on ALLOW, 1 on DENY (and on any error, so a
 * pipeline step fails closed), 2 on bad usage. On {@code --data DIR} it decides on the data folder
 * through the governor, audited and journaled as a server would.
 */
final class GateCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Main main;
  private final PrintStream out;
  private final Clock clock;

  GateCommand(Main main, PrintStream out, Clock clock) {
    this.main = main;
    this.out = out;
    this.clock = clock;
  }

  int run(Options o) {
    o.allow(
        "bundle",
        "version",
        "blueprint",
        "environment",
        "server",
        "token",
        "token-file",
        "data",
        "rules");
    if (!o.words().isEmpty()) {
      throw new Main.UsageException("gate takes no arguments, got '" + o.words().get(0) + "'");
    }
    boolean candidate = o.flag("blueprint") != null;
    if (candidate == (o.flag("bundle") != null || o.flag("version") != null)) {
      throw new Main.UsageException(
          "gate needs --bundle B --version V, or --blueprint FILE for a candidate (not both)");
    }
    if (!candidate && (o.flag("bundle") == null || o.flag("version") == null)) {
      throw new Main.UsageException("gate needs both --bundle B and --version V");
    }
    if (o.flag("environment") == null) {
      throw new Main.UsageException("gate needs --environment E");
    }
    if ((o.flag("server") == null) == (o.flag("data") == null)) {
      throw new Main.UsageException("gate needs either --server URL --token-file F or --data DIR");
    }
    if (o.flag("server") != null && o.flag("rules") != null) {
      throw new Main.UsageException(
          "--rules applies to --data only: the server decides by its own");
    }
    byte[] blueprint = candidate ? read(o.flag("blueprint")) : null;
    JsonNode answer =
        o.flag("server") != null ? askServer(o, blueprint) : askDataFolder(o, blueprint);
    print(answer);
    return "ALLOW".equals(answer.path("decision").asText()) ? 0 : 1;
  }

  private JsonNode askDataFolder(Options o, byte[] blueprint) {
    Path rules =
        o.flag("rules") == null ? ServerConfig.defaults().rules() : Path.of(o.flag("rules"));
    try (StoreTarget target = new StoreTarget(Path.of(o.flag("data")), rules, clock, "cli")) {
      return JSON.valueToTree(
          GateResource.answer(
              target.promotionGate(
                  o.flag("bundle"), o.flag("version"), blueprint, o.flag("environment"))));
    }
  }

  private JsonNode askServer(Options o, byte[] blueprint) {
    String token = main.token(o);
    if (token == null) {
      throw new Main.UsageException("--server needs --token-file F (or PLUMBLINE_TOKEN)");
    }
    ObjectNode body = JSON.createObjectNode();
    if (blueprint != null) {
      body.put("blueprint", new String(blueprint, StandardCharsets.UTF_8));
    } else {
      body.put("bundle", o.flag("bundle")).put("version", o.flag("version"));
    }
    body.put("environment", o.flag("environment"));
    String base = o.flag("server").replaceAll("/+$", "");
    HttpResponse<String> response;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/gates/promotion"))
                  .timeout(Duration.ofSeconds(60))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "cannot reach " + base + ": " + e.getMessage(),
          List.of("--server " + o.flag("server")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlumblineException(ServerError.INTERNAL, "interrupted while asking the gate");
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = JSON.createObjectNode();
    }
    if (response.statusCode() != 200 || !answer.has("decision")) {
      JsonNode error = answer.path("error");
      List<String> details = new ArrayList<>();
      error.path("details").forEach(d -> details.add(d.asText()));
      throw new PlumblineException(
          ServerError.INVALID_REQUEST,
          "the server answered "
              + response.statusCode()
              + (error.has("code") ? " " + error.get("code").asText() : "")
              + ": "
              + error.path("message").asText(response.body()),
          details);
    }
    return answer;
  }

  private void print(JsonNode a) {
    out.println(
        a.path("decision").asText()
            + " "
            + a.path("bundle").asText()
            + "@"
            + a.path("version").asText()
            + " -> "
            + a.path("environment").asText()
            + " (rule pack "
            + a.path("rulePackVersion").asText()
            + ", audit record "
            + a.path("auditSeq").asLong()
            + ")");
    for (JsonNode r : a.path("reasons")) {
      out.println(
          "  "
              + r.path("code").asText()
              + " ["
              + r.path("subject").asText("")
              + "] "
              + r.path("message").asText());
    }
    JsonNode override = a.path("override");
    if (!override.isMissingNode() && !override.isNull()) {
      List<String> by = new ArrayList<>();
      override.path("approvedBy").forEach(n -> by.add(n.asText()));
      out.println(
          "  overridden by "
              + override.path("id").asText()
              + " (approved by "
              + String.join(", ", by)
              + ", until "
              + override.path("expiresAt").asText()
              + "):");
      for (JsonNode r : a.path("overridden")) {
        out.println(
            "    "
                + r.path("code").asText()
                + " ["
                + r.path("subject").asText("")
                + "] "
                + r.path("message").asText());
      }
    }
  }

  private static byte[] read(String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new Main.UsageException("cannot read --blueprint " + file + ": " + e.getMessage());
    }
  }
}
