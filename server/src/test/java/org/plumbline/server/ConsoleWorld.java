package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.demo.DemoWorld;

/**
 * The console's test world: the real server on a free port with the demo tokens (alice operator,
 * bob approver and model-risk, carol approver, victor viewer, dana auditor), the contract's
 * blueprint (a REGULATED and a DEV environment), a drift of {@code llm.temperature} in production,
 * a behavioural metric with a breach, and a snapshot whose key and value are hostile markup.
 */
final class ConsoleWorld implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
  static final String HOSTILE = "<img src=x onerror=alert(1)>";
  static final Map<String, String> TOKENS =
      Map.of(
          "alice", "demo-operator-token",
          "bob", "demo-approver-token",
          "carol", "demo-approver2-token",
          "victor", "demo-viewer-token",
          "dana", "demo-auditor-token",
          "loader", "demo-loader-token");

  final PlumblineServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ConsoleWorld(Path data) throws Exception {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(DemoWorld.TOKENS)
            // The browser tests sign in and sign approvals a dozen times from one address: on a
            // fast machine faster than the sign-in limit refills (one every 6 s after ten).
            // TokensAndLimitsTest checks that limit.
            .withRateLimits(
                new ServerConfig.RateLimits(
                    false, ServerConfig.RateLimits.DEFAULT.defaultLimit(), java.util.Map.of()));
    server = PlumblineServer.start(config, Clock.fixed(NOW, ZoneOffset.UTC));
    post("/api/v1/blueprints", "application/yaml", EndToEndTest.BLUEPRINT);
    String prod = "credit-model-prod";
    post(
        "/api/v1/snapshots",
        "application/json",
        EndToEndTest.snapshot(
            prod, "2026-11-01T10:00:00Z", EndToEndTest.config(0.3, "gpt-4o-2024-08-06", 0.8)));
    post(
        "/api/v1/snapshots",
        "application/json",
        EndToEndTest.snapshot(
            prod, "2026-11-05T10:00:00Z", EndToEndTest.config(0.7, "gpt-4o-2024-08-06", 0.8)));
    // Hostile markup as a key and as a value, in the development environment.
    String dev =
        "{\"environment\":\"credit-model-dev\",\"observedAt\":\"2026-11-06T10:00:00Z\","
            + "\"source\":\"collector\",\"config\":"
            + JSON.writeValueAsString(
                Map.of(
                    "llm", Map.of("temperature", 0.7),
                    "notes", Map.of(HOSTILE, HOSTILE, "banner", HOSTILE)))
            + "}";
    post("/api/v1/snapshots", "application/json", dev);
    String metric =
        "{\"environment\":\"%s\",\"metric\":\"output.length\",\"kind\":\"CONTINUOUS\","
            + "\"window\":\"%s\",\"baseline\":%s,\"values\":%s}";
    post(
        "/api/v1/metrics",
        "application/json",
        metric.formatted(
            prod, "2026-W40", true, "[412,388,455,401,397,420,433,379,402,415,409,398]"));
    post(
        "/api/v1/metrics",
        "application/json",
        metric.formatted(
            prod, "2026-W41", false, "[410,392,450,405,399,418,430,381,404,413,407,396]"));
    post(
        "/api/v1/metrics",
        "application/json",
        metric.formatted(
            prod, "2026-W42", false, "[812,788,855,801,797,820,833,779,802,815,809,798]"));
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  void post(String path, String type, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + TOKENS.get("loader"))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), path + ": " + r.body());
  }

  JsonNode graphql(String user, String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/graphql"))
                .header("Authorization", "Bearer " + TOKENS.get(user))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("query", query))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  HttpResponse<String> get(String path, List<String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
    for (int i = 0; i < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
  }
}
