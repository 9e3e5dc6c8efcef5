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
 * Issue 18, the server's half of key mapping: a blueprint's {@code map} is stored with its version
 * and applied to snapshots posted over HTTP before detection, so drifts and changes speak governed
 * keys and the answer names the source keys; a store rebuilt from the journal holds the same.
 */
class MappedIngestEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "mi-loader-token-0000001";
  static final String ADMIN = "mi-admin-token-00000001";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final String ENV =
      "k8s.Deployment.serving.assistant.spec.template.spec.containers[0].env[2]";
  static final String READ =
      "{ drifts(environment: \"assistant-dev\") { key expected actual status }"
          + " changes(environment: \"assistant-dev\", lastDays: 3650) { key from to }"
          + " environment(id: \"assistant-dev\") { configAt { key value } } }";

  final HttpClient http = HttpClient.newHttpClient();
  PlumblineServer server;

  @Test
  void snapshotsAreMappedBeforeDetectionAndRebuiltTheSame(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("a");
    SettableClock clock = new SettableClock(T0.plusSeconds(7200));
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, "loader", Set.of("loader")),
                    new ServerConfig.Token(ADMIN, "root", Set.of("admin", "auditor", "viewer"))));
    server = PlumblineServer.start(config, clock);
    String before;
    try {
      HttpResponse<String> bp =
          post(
              "/api/v1/blueprints",
              LOADER,
              "application/yaml",
              "bundle: assistant\nversion: 1.0.0\n"
                  + "environments: [ { id: assistant-dev, tier: DEV, owner: o } ]\n"
                  + "map:\n"
                  + "  \"k8s.Deployment.*.*.spec.template.spec.containers[*].env[name=LLM_TEMPERATURE].value\":"
                  + " llm.temperature\n"
                  + "config: { llm: { temperature: 0.3 } }\n"
                  + "ignore: [ \"k8s.**\" ]\n");
      assertEquals(201, bp.statusCode(), bp.body());
      HttpResponse<String> first = snapshot(T0, "0.3");
      assertEquals(201, first.statusCode(), first.body());
      HttpResponse<String> second = snapshot(T0.plusSeconds(3600), "0.7");
      assertEquals(201, second.statusCode(), second.body());
      assertTrue(
          second.body().contains("\"llm.temperature\":\"" + ENV + ".value\""), second.body());
      JsonNode read = gql(READ).get("data");
      assertEquals(1, read.path("drifts").size(), read.toString());
      JsonNode drift = read.at("/drifts/0");
      assertEquals("llm.temperature", drift.path("key").asText(), read.toString());
      assertEquals("0.7", drift.path("actual").asText());
      assertEquals("OPEN", drift.path("status").asText());
      assertEquals("llm.temperature", read.at("/changes/0/key").asText(), read.toString());
      assertFalse(read.toString().contains("LLM_TEMPERATURE"), read.toString());
      before = read.toString();
    } finally {
      server.close();
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    Path rebuilt = dir.resolve("b");
    assertEquals(
        0,
        main.run(
            new String[] {
              "rebuild",
              "--from",
              data.toString(),
              "--data",
              rebuilt.toString(),
              "--rules",
              "../rules"
            }),
        out.toString(StandardCharsets.UTF_8));
    server = PlumblineServer.start(config.withData(rebuilt), clock);
    try {
      assertEquals(before, gql(READ).get("data").toString());
    } finally {
      server.close();
    }
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
                "source",
                "k8s/kubectl",
                "config",
                Map.of(
                    ENV + ".name",
                    "LLM_TEMPERATURE",
                    ENV + ".value",
                    temperature,
                    "k8s.Deployment.serving.assistant.spec.replicas",
                    3))));
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
