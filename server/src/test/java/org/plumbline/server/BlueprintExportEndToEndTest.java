package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 18, the way back to git: after a CODIFY the new bundle version reads back nested (GraphQL
 * {@code BundleVersion.config}), {@code plumbline blueprint export} prints it as YAML from the
 * server and from the data folder alike, and the YAML posted again is the same version.
 */
class BlueprintExportEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "be-loader-token-0000001";
  static final String ADMIN = "be-admin-token-00000001";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  final HttpClient http = HttpClient.newHttpClient();
  PlumblineServer server;

  @Test
  void aCodifiedVersionIsExportedAndPostedBackAsTheSameVersion(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    SettableClock clock = new SettableClock(T0.plusSeconds(7200));
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, "loader", Set.of("loader")),
                    new ServerConfig.Token(
                        ADMIN, "root", Set.of("admin", "auditor", "viewer", "operator"))));
    server = PlumblineServer.start(config, clock);
    String fromServer;
    try {
      HttpResponse<String> bp =
          post(
              "/api/v1/blueprints",
              LOADER,
              "application/yaml",
              """
              bundle: assistant
              version: 1.0.0
              environments: [ { id: assistant-dev, tier: DEV, owner: ml-platform } ]
              map: { "svc.env.TEMPERATURE": llm.temperature }
              config: { llm: { temperature: 0.3, max_tokens: 800 }, model: { version: gpt-4o } }
              ignore: [ "svc.**" ]
              """);
      assertEquals(201, bp.statusCode(), bp.body());
      assertEquals(201, snapshot(T0, "0.7").statusCode());
      JsonNode drifts = gql("{ drifts(environment: \"assistant-dev\") { id key } }");
      String drift = drifts.at("/data/drifts/0/id").asText();
      assertEquals("llm.temperature", drifts.at("/data/drifts/0/key").asText());
      JsonNode codify =
          gql(
              "mutation { requestDisposition(drift: \""
                  + drift
                  + "\", kind: CODIFY, justification: \"0.7 is the tuned value\") { status } }");
      assertEquals("APPROVED", codify.at("/data/requestDisposition/status").asText());

      JsonNode versions =
          gql("{ bundle(id: \"assistant\") { versions { version config overrides } } }")
              .at("/data/bundle/versions");
      assertEquals("1.0.1", versions.at("/1/version").asText(), versions.toString());
      assertEquals(
          "{\"llm\":{\"max_tokens\":800,\"temperature\":0.7},\"model\":{\"version\":\"gpt-4o\"}}",
          versions.at("/1/config").toString());
      assertEquals("{}", versions.at("/1/overrides").toString());

      Run export =
          main(
              "blueprint",
              "export",
              "--bundle",
              "assistant",
              "--server",
              "http://localhost:" + server.port());
      assertEquals(0, export.status(), export.err());
      fromServer = export.out();
      assertTrue(fromServer.contains("version: 1.0.1\n"), fromServer);
      assertTrue(fromServer.contains("    temperature: 0.7\n"), fromServer);
      assertTrue(fromServer.contains("svc.env.TEMPERATURE: llm.temperature"), fromServer);
      // posted again: the same version, not a conflict
      HttpResponse<String> again =
          post("/api/v1/blueprints", LOADER, "application/yaml", fromServer);
      assertEquals(200, again.statusCode(), again.body());
      assertTrue(again.body().contains("unchanged"), again.body());
      // an older version by --version
      Run first =
          main(
              "blueprint",
              "export",
              "--bundle",
              "assistant",
              "--version",
              "1.0.0",
              "--server",
              "http://localhost:" + server.port());
      assertTrue(first.out().contains("    temperature: 0.3\n"), first.out());
      Run none =
          main(
              "blueprint",
              "export",
              "--bundle",
              "assistant",
              "--version",
              "9.9.9",
              "--server",
              "http://localhost:" + server.port());
      assertEquals(1, none.status());
      assertTrue(none.err().contains("UNKNOWN_BUNDLE_VERSION"), none.err());
    } finally {
      server.close();
    }
    // offline, from the data folder: the same document
    Run offline = main("blueprint", "export", "--bundle", "assistant", "--data", data.toString());
    assertEquals(0, offline.status(), offline.err());
    assertEquals(fromServer, offline.out());

    assertEquals(2, main("blueprint", "export", "--data", data.toString()).status());
    assertEquals(2, main("blueprint", "publish").status());
    Run help = main("blueprint", "export", "--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("blueprint export --bundle B"), help.out());
  }

  record Run(int status, String out, String err) {}

  private Run main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Main(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .withEnvironment(name -> name.equals("PLUMBLINE_TOKEN") ? ADMIN : null)
            .run(args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> snapshot(Instant at, String temperature) throws Exception {
    return post(
        "/api/v1/snapshots",
        LOADER,
        "application/json",
        JSON.writeValueAsString(
            Map.of(
                "environment",
                "assistant-dev",
                "observedAt",
                at.toString(),
                "config",
                Map.of(
                    "svc.env.TEMPERATURE",
                    temperature,
                    "llm.max_tokens",
                    800,
                    "model.version",
                    "gpt-4o"))));
  }

  private HttpResponse<String> post(String path, String token, String type, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode gql(String query) throws Exception {
    JsonNode r =
        JSON.readTree(
            post(
                    "/graphql",
                    ADMIN,
                    "application/json",
                    JSON.writeValueAsString(Map.of("query", query)))
                .body());
    assertFalse(r.has("errors"), r.toString());
    return r;
  }
}
