package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.config.ServerConfig;

/**
 * Boots the real server (TDB2 on disk, the shipped rule packs) on a free port and drives it over
 * HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "test-loader-token-0001";
  static final String VIEWER = "test-viewer-token-0001";
  static final String AUDITOR = "test-auditor-token-001";

  static final String BLUEPRINT =
      """
      bundle: credit-model
      version: 2.3.0
      environments:
        - id: credit-model-prod
          name: Credit model (production)
          tier: REGULATED
          owner: team-credit-risk
          system: credit-model
          ttl: null
        - id: credit-model-dev
          tier: DEV
          owner: team-credit-risk
          system: credit-model
          ttl: P14D
      validated:
        at: 2026-08-01T00:00:00Z
        by: model-validation
        evidence: VAL-2026-031
      config:
        model: { version: gpt-4o-2024-08-06 }
        llm: { temperature: 0.3, top_p: 0.9, max_tokens: 800 }
        prompt: { system: "You are a credit analyst assistant..." }
        guardrails: { enabled: true, toxicity: { threshold: 0.8 } }
        retrieval: { top_k: 8, chunk_size: 512 }
        embedding: { model: text-embedding-3-large }
      overrides:
        credit-model-dev: { llm: { temperature: 0.7 } }
      dependencies:
        - key: llm.temperature
          dependsOn: [prompt.system]
        - key: "guardrails.*"
          dependsOn: [model.version]
        - key: "retrieval.*"
          dependsOn: [embedding.model]
      ignore: ["runtime.lastRestart", "*.podName"]
      """;

  @TempDir static Path data;
  PlumblineServer server;
  HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, "ci-loader", Set.of("loader")),
                    new ServerConfig.Token(VIEWER, "victor", Set.of("viewer")),
                    new ServerConfig.Token(AUDITOR, "dana", Set.of("auditor"))));
    server =
        PlumblineServer.start(
            config, Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC));
    assertEquals(
        201, post("/api/v1/blueprints", LOADER, "application/yaml", BLUEPRINT).statusCode());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  // ---- helpers ----

  HttpResponse<String> post(String path, String token, String type, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String snapshot(String env, String at, String configJson) {
    return "{\"environment\":\""
        + env
        + "\",\"observedAt\":\""
        + at
        + "\",\"source\":\"collector/k8s\",\"config\":"
        + configJson
        + "}";
  }

  static String config(double temperature, String model, double threshold) {
    return "{\"model\":{\"version\":\""
        + model
        + "\"},\"llm\":{\"temperature\":"
        + temperature
        + ",\"top_p\":0.9,\"max_tokens\":800},\"prompt\":{\"system\":\"You are a credit analyst assistant...\"},"
        + "\"guardrails\":{\"enabled\":true,\"toxicity\":{\"threshold\":"
        + threshold
        + "}},"
        + "\"retrieval\":{\"top_k\":8,\"chunk_size\":512},\"embedding\":{\"model\":\"text-embedding-3-large\"},"
        + "\"runtime\":{\"lastRestart\":\""
        + temperature
        + model
        + "\"}}";
  }

  JsonNode graphql(String query) throws Exception {
    return graphql(VIEWER, query);
  }

  /** As {@link #graphql(String)}, with another token (the ledger is the auditor's). */
  JsonNode graphql(String token, String query) throws Exception {
    HttpResponse<String> r =
        post(
            "/graphql", token, "application/json", JSON.writeValueAsString(Map.of("query", query)));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertFalse(body.has("errors"), r.body());
    return body.get("data");
  }

  long auditCount() throws Exception {
    return JSON.readTree(get("/api/v1/audit/verify", AUDITOR).body()).get("records").asLong();
  }

  // ---- tests ----

  @Test
  void snapshotsBecomeNamedChangesDriftsAndConformance() throws Exception {
    String env = "credit-model-prod";
    List<String> snapshots =
        List.of(
            snapshot(env, "2026-11-01T10:00:00Z", config(0.3, "gpt-4o-2024-08-06", 0.8)),
            snapshot(env, "2026-11-05T10:00:00Z", config(0.70, "gpt-4o-2024-08-06", 0.8)),
            snapshot(env, "2026-11-10T10:00:00Z", config(0.7, "gpt-4o", 0.8)));
    for (String s : snapshots) {
      HttpResponse<String> r = post("/api/v1/snapshots", LOADER, "application/json", s);
      assertEquals(201, r.statusCode(), r.body());
    }
    // The same snapshot twice is stored once.
    long before = auditCount();
    HttpResponse<String> replay =
        post("/api/v1/snapshots", LOADER, "application/json", snapshots.get(1));
    assertEquals(200, replay.statusCode(), replay.body());
    assertEquals(before, auditCount());

    JsonNode changes =
        graphql(
                "{ changes(environment: \"credit-model-prod\", since: \"2026-11-02T00:00:00Z\", until: \"2026-11-30T00:00:00Z\") { key from to at source } }")
            .get("changes");
    assertEquals(2, changes.size(), changes.toString());
    assertEquals("llm.temperature", changes.get(0).get("key").asText());
    assertEquals(0.3, changes.get(0).get("from").asDouble());
    assertEquals(0.7, changes.get(0).get("to").asDouble());
    assertEquals("2026-11-05T10:00:00Z", changes.get(0).get("at").asText());
    assertEquals("model.version", changes.get(1).get("key").asText());
    assertEquals("gpt-4o", changes.get(1).get("to").asText());

    JsonNode drifts =
        graphql(
                "{ drifts(environment: \"credit-model-prod\", status: [OPEN]) { key expected actual detectedAt status"
                    + " assessment { riskCategory severity findings reevaluate requiredApprovals approverRoles rulePackVersion explanation } } }")
            .get("drifts");
    assertEquals(2, drifts.size(), drifts.toString());
    JsonNode temperature = drifts.get(0);
    assertEquals("llm.temperature", temperature.get("key").asText());
    assertEquals(0.3, temperature.get("expected").asDouble());
    assertEquals(0.7, temperature.get("actual").asDouble());
    assertEquals("2026-11-05T10:00:00Z", temperature.get("detectedAt").asText());
    assertEquals("RELIABILITY", temperature.get("assessment").get("riskCategory").asText());
    assertEquals(
        "HIGH", temperature.get("assessment").get("severity").asText()); // LOW + 2 for REGULATED
    assertEquals(2, temperature.get("assessment").get("requiredApprovals").asInt());
    assertTrue(temperature.get("assessment").get("rulePackVersion").asText().startsWith("sha256:"));
    JsonNode model = drifts.get(1);
    assertEquals("model.version", model.get("key").asText());
    assertEquals("CRITICAL", model.get("assessment").get("severity").asText()); // MEDIUM + 2
    assertTrue(model.get("assessment").get("findings").toString().contains("ALIAS_MODEL_VERSION"));
    assertTrue(
        model
            .get("assessment")
            .get("reevaluate")
            .toString()
            .contains("guardrails.toxicity.threshold"));

    JsonNode conformance =
        graphql(
                "{ conformance(environment: \"credit-model-prod\") { bundleVersion matchesBlueprint validatedVersion matchesValidated differences { key } } }")
            .get("conformance");
    assertFalse(conformance.get("matchesBlueprint").asBoolean());
    assertEquals("2.3.0", conformance.get("validatedVersion").asText());
    assertEquals(2, conformance.get("differences").size());

    JsonNode past =
        graphql(
                "{ conformance(environment: \"credit-model-prod\", at: \"2026-11-02T00:00:00Z\") { matchesBlueprint differences { key } } }")
            .get("conformance");
    assertTrue(past.get("matchesBlueprint").asBoolean(), past.toString());

    JsonNode configAt =
        graphql(
                "{ environment(id: \"credit-model-prod\") { tier owner configAt(at: \"2026-11-06T00:00:00Z\") { key value } } }")
            .get("environment");
    assertEquals("REGULATED", configAt.get("tier").asText());
    assertTrue(
        configAt
            .get("configAt")
            .toString()
            .contains("{\"key\":\"llm.temperature\",\"value\":0.7}"));

    // The value returns to the blueprint: the drift resolves.
    assertEquals(
        201,
        post(
                "/api/v1/snapshots",
                LOADER,
                "application/json",
                snapshot(env, "2026-11-12T10:00:00Z", config(0.3, "gpt-4o", 0.8)))
            .statusCode());
    JsonNode after =
        graphql("{ drifts(environment: \"credit-model-prod\") { key status } }").get("drifts");
    assertTrue(
        after.toString().contains("{\"key\":\"llm.temperature\",\"status\":\"RESOLVED\"}"),
        after.toString());
    assertTrue(
        after.toString().contains("{\"key\":\"model.version\",\"status\":\"OPEN\"}"),
        after.toString());

    JsonNode audit =
        graphql(
            AUDITOR,
            "{ verifyAudit { valid records } auditTrail(environment: \"credit-model-prod\") { action subject } }");
    assertTrue(audit.get("verifyAudit").get("valid").asBoolean());
    assertTrue(audit.get("auditTrail").toString().contains("drift.opened"));
    assertTrue(audit.get("auditTrail").toString().contains("snapshot.ingested"));
  }

  @Test
  void backfilledSnapshotsGiveTheSameHistoryAsInOrder() throws Exception {
    // credit-model-dev gets the same observations as a control series, shuffled.
    List<String> configs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      configs.add(
          config(
              0.7 + (i % 3) * 0.1,
              i % 4 == 0 ? "gpt-4o" : "gpt-4o-2024-08-06",
              0.8 - (i % 2) * 0.05));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) order.add(i);
    Collections.shuffle(order, new Random(42));
    for (int i : order) {
      String at =
          Instant.parse("2026-10-01T00:00:00Z")
              .plusSeconds(86_400L * i + 3_600L * (i % 5))
              .toString();
      HttpResponse<String> r =
          post(
              "/api/v1/snapshots",
              LOADER,
              "application/json",
              snapshot("credit-model-dev", at, configs.get(i)));
      assertEquals(201, r.statusCode(), r.body());
    }
    JsonNode shuffled =
        graphql("{ changes(environment: \"credit-model-dev\") { key from to at } }").get("changes");
    List<String> expected = new ArrayList<>();
    for (int i = 1; i < configs.size(); i++) {
      JsonNode a = JSON.readTree(configs.get(i - 1));
      JsonNode b = JSON.readTree(configs.get(i));
      String at =
          Instant.parse("2026-10-01T00:00:00Z")
              .plusSeconds(86_400L * i + 3_600L * (i % 5))
              .toString();
      for (String[] k : new String[][] {{"llm", "temperature"}, {"model", "version"}}) {
        if (!a.get(k[0]).get(k[1]).equals(b.get(k[0]).get(k[1]))) {
          expected.add(k[0] + "." + k[1] + "@" + at);
        }
      }
      if (!a.at("/guardrails/toxicity/threshold").equals(b.at("/guardrails/toxicity/threshold"))) {
        expected.add("guardrails.toxicity.threshold@" + at);
      }
    }
    List<String> actual = new ArrayList<>();
    shuffled.forEach(c -> actual.add(c.get("key").asText() + "@" + c.get("at").asText()));
    Collections.sort(expected);
    Collections.sort(actual);
    assertEquals(expected, actual);
  }

  @Test
  void badInputIsRefusedWithACodeAndStoresNothing() throws Exception {
    long before = auditCount();
    HttpResponse<String> malformed =
        post(
            "/api/v1/snapshots",
            LOADER,
            "application/json",
            "{\"environment\": \"credit-model-prod\", \"observedAt\": \"yesterday\"");
    assertEquals(400, malformed.statusCode(), malformed.body());
    assertEquals("INVALID_JSON", JSON.readTree(malformed.body()).at("/error/code").asText());

    HttpResponse<String> invalid =
        post(
            "/api/v1/snapshots",
            LOADER,
            "application/json",
            "{\"environment\": \"credit-model-prod\", \"observedAt\": \"yesterday\", \"config\": 3}");
    assertEquals(400, invalid.statusCode());
    JsonNode error = JSON.readTree(invalid.body()).get("error");
    assertEquals("INVALID_SNAPSHOT", error.get("code").asText());
    assertTrue(error.get("details").toString().contains("/observedAt"), error.toString());
    assertTrue(error.get("details").toString().contains("/config"), error.toString());

    HttpResponse<String> unknown =
        post(
            "/api/v1/snapshots",
            LOADER,
            "application/json",
            snapshot("nowhere-prod", "2026-11-01T00:00:00Z", "{}"));
    assertEquals(404, unknown.statusCode());
    assertEquals("UNKNOWN_ENVIRONMENT", JSON.readTree(unknown.body()).at("/error/code").asText());
    assertEquals(before, auditCount());

    JsonNode gqlError =
        JSON.readTree(
            post(
                    "/graphql",
                    VIEWER,
                    "application/json",
                    "{\"query\":\"{ changes(environment: \\\"credit-model-prod\\\", lastDays: -3) { key } }\"}")
                .body());
    assertEquals(
        "INVALID_ARGUMENT", gqlError.at("/errors/0/extensions/code").asText(), gqlError.toString());
    JsonNode badField =
        JSON.readTree(
            post(
                    "/graphql",
                    VIEWER,
                    "application/json",
                    "{\"query\":\"{ environments { nope } }\"}")
                .body());
    assertEquals(
        "INVALID_QUERY", badField.at("/errors/0/extensions/code").asText(), badField.toString());
    String deep =
        "{ drifts { environment { drifts { environment { drifts { environment { drifts { environment { drifts { environment { drifts { environment { drifts { environment { drifts { environment { id } } } } } } } } } } } } } } } } }";
    JsonNode tooDeep =
        JSON.readTree(
            post(
                    "/graphql",
                    VIEWER,
                    "application/json",
                    JSON.writeValueAsString(Map.of("query", deep)))
                .body());
    assertEquals(
        "QUERY_TOO_COMPLEX", tooDeep.at("/errors/0/extensions/code").asText(), tooDeep.toString());

    HttpResponse<String> huge =
        post(
            "/api/v1/snapshots",
            LOADER,
            "application/json",
            "{\"pad\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}");
    assertEquals(413, huge.statusCode());
    assertEquals("PAYLOAD_TOO_LARGE", JSON.readTree(huge.body()).at("/error/code").asText());
    assertEquals(before, auditCount());
  }

  @Test
  void everyEndpointButHealthNeedsAToken() throws Exception {
    assertEquals(200, get("/health", null).statusCode());
    assertEquals("{\"status\":\"UP\"}", get("/health", null).body());
    HttpResponse<String> anonymous =
        post("/graphql", null, "application/json", "{\"query\":\"{ environments { id } }\"}");
    assertEquals(401, anonymous.statusCode());
    assertEquals("UNAUTHENTICATED", JSON.readTree(anonymous.body()).at("/error/code").asText());
    assertEquals(
        401, post("/graphql", "wrong-token-wrong-token", "application/json", "{}").statusCode());
    assertEquals(401, get("/metrics", null).statusCode());
    assertEquals(401, get("/graphiql/", null).statusCode());
    HttpResponse<String> forbidden =
        post(
            "/api/v1/snapshots",
            VIEWER,
            "application/json",
            snapshot("credit-model-prod", "2026-11-01T00:00:00Z", "{}"));
    assertEquals(403, forbidden.statusCode());
    assertEquals("FORBIDDEN", JSON.readTree(forbidden.body()).at("/error/code").asText());
    assertEquals(403, get("/api/v1/audit/verify", VIEWER).statusCode());
    assertEquals(200, get("/graphiql/", VIEWER).statusCode());
    assertTrue(get("/metrics", VIEWER).body().contains("plumbline_ingests_total"));
  }

  @Test
  void blueprintReplayIsRecognisedAndConflictsAreRefused() throws Exception {
    assertEquals(
        200, post("/api/v1/blueprints", LOADER, "application/yaml", BLUEPRINT).statusCode());
    HttpResponse<String> conflict =
        post(
            "/api/v1/blueprints",
            LOADER,
            "application/yaml",
            BLUEPRINT.replace("top_k: 8", "top_k: 9"));
    assertEquals(409, conflict.statusCode(), conflict.body());
    assertEquals("BLUEPRINT_CONFLICT", JSON.readTree(conflict.body()).at("/error/code").asText());
    JsonNode envs =
        graphql("{ environments(tier: DEV) { id status expiresAt bundle bundleVersion } }")
            .get("environments");
    assertEquals(1, envs.size());
    assertEquals("credit-model-dev", envs.get(0).get("id").asText());
    assertEquals(
        "2026-12-05T00:00:00Z", envs.get(0).get("expiresAt").asText()); // registered + P14D
  }
}
