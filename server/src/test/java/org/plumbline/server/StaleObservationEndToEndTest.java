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
import java.time.Duration;
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
 * Issue 20, end to end: a loader that stops posting is caught. A real server on port 0 with a clock
 * the test moves: no snapshot of a PROD environment for twice its {@code observeEvery} opens the
 * governed finding STALE_OBSERVATION (in GraphQL's drifts, in the ledger, in {@code /metrics}), the
 * next snapshot closes it, and a store rebuilt from the journal holds the same drift.
 */
class StaleObservationEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "so-loader-token-0000001";
  static final String ADMIN = "so-admin-token-00000001";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final String DRIFTS =
      "{ drifts(environment: \"so-prod\", kind: OBSERVATION) { id key kind status detectedAt"
          + " expected actual"
          + " assessment { severity riskCategory findings explanation } } }";

  final HttpClient http = HttpClient.newHttpClient();
  PlumblineServer server;

  @Test
  void aStaleEnvironmentIsCaughtClearedAndRebuilt(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("a");
    SettableClock clock = new SettableClock(T0);
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
      assertEquals(
          201,
          post(
                  "/api/v1/blueprints",
                  LOADER,
                  "application/yaml",
                  "bundle: so\nversion: 1.0.0\n"
                      + "environments: [ { id: so-prod, tier: PROD, owner: o, observeEvery: PT1H },"
                      + " { id: so-dev, tier: DEV, owner: o } ]\n"
                      + "config: { llm: { temperature: 0.3 } }\n")
              .statusCode());
      assertEquals(201, snapshot("so-prod", T0).statusCode());
      assertEquals(201, snapshot("so-dev", T0).statusCode());

      clock.set(T0.plus(Duration.ofMinutes(90)));
      assertTrue(server.checkObservations().opened().isEmpty(), "90 minutes: not stale yet");

      // no snapshot of so-prod for three hours, twice its interval and more
      clock.set(T0.plus(Duration.ofHours(3)));
      assertEquals(1, server.checkObservations().opened().size());
      JsonNode env =
          gql("{ environment(id: \"so-prod\") { stale lastObservedAt observeEvery } }")
              .at("/data/environment");
      assertTrue(env.path("stale").asBoolean(), env.toString());
      // a finding about the environment; section 5's drift lists stay about drifted keys
      assertEquals(
          List.of("STALE_OBSERVATION"),
          strings(
              gql("{ environment(id: \"so-prod\") { findings } }")
                  .at("/data/environment/findings")));
      assertEquals(
          "[]",
          gql("{ drifts(environment: \"so-prod\") { id } }").at("/data/drifts").toString(),
          "no OBSERVATION drift without kind");
      assertEquals(
          "[]",
          gql("{ environment(id: \"so-prod\") { drifts { id } } }")
              .at("/data/environment/drifts")
              .toString());
      JsonNode conformance =
          gql("{ conformance(environment: \"so-prod\") { stale differences { key } } }")
              .at("/data/conformance");
      assertTrue(conformance.path("stale").asBoolean(), conformance.toString());
      assertEquals("[]", conformance.path("differences").toString());
      JsonNode drifts = gql(DRIFTS).at("/data/drifts");
      assertEquals(1, drifts.size(), drifts.toString());
      JsonNode d = drifts.get(0);
      assertEquals("OBSERVATION", d.path("kind").asText(), d.toString());
      assertEquals("observation", d.path("key").asText());
      assertEquals("OPEN", d.path("status").asText());
      assertEquals(T0.plus(Duration.ofHours(2)).toString(), d.path("detectedAt").asText());
      assertEquals(List.of("STALE_OBSERVATION"), strings(d.at("/assessment/findings")));
      assertEquals("HIGH", d.at("/assessment/severity").asText());
      assertEquals("GOVERNANCE", d.at("/assessment/riskCategory").asText());
      String id = d.path("id").asText();
      // in the inbox: the open drifts of every environment
      assertTrue(
          gql("{ drifts(status: [OPEN], kind: OBSERVATION) { id } }")
              .at("/data/drifts")
              .toString()
              .contains(id));
      // audited, by the scheduler
      JsonNode audit =
          gql("{ auditTrail(environment: \"so-prod\") { action subject actor } }")
              .at("/data/auditTrail");
      assertTrue(
          audit
              .toString()
              .contains(
                  "{\"action\":\"drift.opened\",\"subject\":\""
                      + id
                      + "\""
                      + ",\"actor\":\"scheduler\"}"),
          audit.toString());
      // and in /metrics: the drift gauge, and the commands that got it there
      Exposition stale = scrape();
      assertEquals(
          1,
          stale.sum(
              "plumbline_drifts_open",
              Map.of("severity", "HIGH", "tier", "PROD", "risk", "GOVERNANCE")));
      assertEquals(
          1,
          stale.sum(
              "plumbline_environment_stale", Map.of("environment", "so-prod", "tier", "PROD")));
      assertTrue(
          stale.sum(
                  "plumbline_command_seconds_count",
                  Map.of("kind", "check-observations", "outcome", "ok"))
              >= 1,
          stale.names().toString());
      assertTrue(
          stale.sum(
                  "plumbline_command_seconds_count",
                  Map.of("kind", "post-snapshot", "outcome", "ok"))
              >= 2);

      // the next snapshot closes it in its own transaction
      clock.set(T0.plus(Duration.ofMinutes(190)));
      assertEquals(201, snapshot("so-prod", T0.plus(Duration.ofMinutes(185))).statusCode());
      JsonNode closed = gql(DRIFTS).at("/data/drifts/0");
      assertEquals(id, closed.path("id").asText());
      assertEquals("RESOLVED", closed.path("status").asText(), closed.toString());
      assertFalse(
          gql("{ environment(id: \"so-prod\") { stale } }")
              .at("/data/environment/stale")
              .asBoolean());
      assertEquals(
          0,
          scrape()
              .sum(
                  "plumbline_drifts_open",
                  Map.of("severity", "HIGH", "tier", "PROD", "risk", "GOVERNANCE")));
      before = gql(DRIFTS).get("data").toString();
    } finally {
      server.close();
    }

    // rebuilt from the journal: the scheduler's tick is replayed as a command at its instant
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
      assertEquals(before, gql(DRIFTS).get("data").toString());
    } finally {
      server.close();
    }
  }

  private HttpResponse<String> snapshot(String environment, Instant at) throws Exception {
    return post(
        "/api/v1/snapshots",
        LOADER,
        "application/json",
        "{\"environment\":\""
            + environment
            + "\",\"observedAt\":\""
            + at
            + "\",\"config\":{\"llm\":{\"temperature\":0.3}}}");
  }

  private Exposition scrape() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/metrics"))
                .header("Authorization", "Bearer " + ADMIN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Exposition.parse(r.body());
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

  private static List<String> strings(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }
}
