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
 * A store rebuilt from its input journal holds the same facts and identities (metric series and
 * metric drifts included); a backup taken online restores to a store whose ledger has the same
 * Merkle root.
 */
class RebuildAndBackupTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "rb-loader-token-000001";
  static final String OPERATOR = "rb-operator-token-00001";
  static final String BOB = "rb-bob-approver-token01";
  static final String CAROL = "rb-carol-approver-tok01";
  static final String ADMIN = "rb-admin-token-0000001";
  final HttpClient http = HttpClient.newHttpClient();
  PlumblineServer server;

  HttpResponse<String> post(String path, String token, String type, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode gql(String token, String query) throws Exception {
    return JSON.readTree(
        post("/graphql", token, "application/json", JSON.writeValueAsString(Map.of("query", query)))
            .body());
  }

  String snapshot(Instant at, double temperature, boolean guardrails) {
    return "{\"environment\":\"rb-prod\",\"observedAt\":\""
        + at
        + "\",\"config\":{\"llm\":{\"temperature\":"
        + temperature
        + "},\"guardrails\":{\"enabled\":"
        + guardrails
        + "}}}";
  }

  /** A sample of 40 lengths around {@code centre}, the same on every run. */
  static String metric(String window, boolean baseline, int centre) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      values.append(i == 0 ? "" : ",").append(centre + (i * 37) % 41 - 20);
    }
    return "{\"environment\":\"rb-prod\",\"metric\":\"output.length\",\"kind\":\"CONTINUOUS\","
        + "\"window\":\""
        + window
        + "\",\"baseline\":"
        + baseline
        + ",\"values\":["
        + values
        + "]}";
  }

  /**
   * The drift summaries a store keeps (the inbox's index): the governed list, then each
   * environment's, as sets.
   */
  static List<Set<org.plumbline.ontology.DriftSummary>> driftSummaries(Path data) {
    try (org.plumbline.ontology.GraphStore store =
        org.plumbline.ontology.GraphStore.openTdb2(data)) {
      return store.read(
          r -> {
            List<Set<org.plumbline.ontology.DriftSummary>> out = new java.util.ArrayList<>();
            out.add(Set.copyOf(r.governedDriftSummaries()));
            for (var e : r.environments()) {
              out.add(Set.copyOf(r.driftSummaries(e.id())));
            }
            assertFalse(out.get(0).isEmpty());
            return out;
          });
    }
  }

  /** The facts a rebuild must reproduce, with their identities. */
  static String facts(JsonNode data) {
    return data.toString();
  }

  static final String FACTS =
      "{ environments { id status expiresAt bundleVersion } "
          + "changes(environment: \"rb-prod\") { key from to at } "
          + "drifts { id key expected actual status detectedAt assessment { severity findings } } "
          + "dispositions { id kind status requestedBy justification approvals { by role meaning } } "
          + "metricSeries(environment: \"rb-prod\", metric: \"output.length\") "
          + "{ seq window baseline statistic pValue psi effect beyondThreshold status at } "
          + "environment(id: \"rb-prod\") { metrics { metric kind baseline status windows } } }";

  @Test
  void rebuildReproducesFactsAndBackupRestoresTheLedger(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("a");
    SettableClock clock = new SettableClock(Instant.parse("2026-11-01T00:00:00Z"));
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, "loader", Set.of("loader")),
                    new ServerConfig.Token(OPERATOR, "olga", Set.of("operator")),
                    new ServerConfig.Token(BOB, "bob", Set.of("approver", "model-risk")),
                    new ServerConfig.Token(CAROL, "carol", Set.of("approver")),
                    new ServerConfig.Token(ADMIN, "root", Set.of("admin", "viewer"))));
    server = PlumblineServer.start(config, clock);
    String before;
    String backupRoot;
    Path backupFile;
    try {
      assertEquals(
          201,
          post(
                  "/api/v1/blueprints",
                  LOADER,
                  "application/yaml",
                  "bundle: rb\nversion: 1.0.0\nenvironments: [ { id: rb-prod, tier: PROD, owner: o }, { id: rb-tmp, tier: DEV, owner: o, ttl: P1D } ]\n"
                      + "config: { llm: { temperature: 0.3 }, guardrails: { enabled: true } }\n")
              .statusCode());
      Instant t = clock.instant();
      assertEquals(
          201,
          post("/api/v1/snapshots", LOADER, "application/json", snapshot(t, 0.3, true))
              .statusCode());
      clock.advance(Duration.ofHours(1));
      assertEquals(
          201,
          post(
                  "/api/v1/snapshots",
                  LOADER,
                  "application/json",
                  snapshot(t.plusSeconds(3600), 0.9, false))
              .statusCode());
      // refused inputs: a malformed one is never journaled, a conflicting one is and stays refused
      assertEquals(
          400, post("/api/v1/snapshots", LOADER, "application/json", "{oops").statusCode());
      assertEquals(
          409,
          post("/api/v1/snapshots", LOADER, "application/json", snapshot(t, 0.4, true))
              .statusCode());
      // behavioural metrics: a baseline, then three windows far beyond it open a metric drift
      // (PROD)
      assertEquals(
          201,
          post("/api/v1/metrics", LOADER, "application/json", metric("w0", true, 400))
              .statusCode());
      for (String window : List.of("w1", "w2", "w3")) {
        clock.advance(Duration.ofMinutes(1));
        assertEquals(
            201,
            post("/api/v1/metrics", LOADER, "application/json", metric(window, false, 600))
                .statusCode());
      }
      // a malformed sample is never journaled; a conflicting one is, and is refused again
      assertEquals(
          400, post("/api/v1/metrics", LOADER, "application/json", "{\"metric\":1}").statusCode());
      assertEquals(
          409,
          post("/api/v1/metrics", LOADER, "application/json", metric("w1", false, 500))
              .statusCode());
      String temperature = null;
      String guardrail = null;
      for (JsonNode d :
          gql(ADMIN, "{ drifts(environment: \"rb-prod\") { id key } }").at("/data/drifts")) {
        if (d.get("key").asText().equals("llm.temperature")) temperature = d.get("id").asText();
        if (d.get("key").asText().equals("guardrails.enabled")) guardrail = d.get("id").asText();
      }
      clock.advance(Duration.ofMinutes(5));
      String revert =
          gql(
                  OPERATOR,
                  "mutation { requestDisposition(drift: \""
                      + temperature
                      + "\", kind: REVERT, justification: \"INC-1\") { id } }")
              .at("/data/requestDisposition/id")
              .asText();
      gql(
          CAROL,
          "mutation { approveDisposition(disposition: \""
              + revert
              + "\", meaning: \"approved\", credential: \""
              + CAROL
              + "\") { id } }");
      assertTrue(
          gql(
                  CAROL,
                  "mutation { approveDisposition(disposition: \""
                      + revert
                      + "\", meaning: \"approved\", credential: \""
                      + CAROL
                      + "\") { id } }")
              .has("errors"));
      String accept =
          gql(
                  OPERATOR,
                  "mutation { requestDisposition(drift: \""
                      + guardrail
                      + "\", kind: ACCEPT, justification: \"load test\", expiresAt: \""
                      + clock.instant().plus(Duration.ofDays(2))
                      + "\") { id } }")
              .at("/data/requestDisposition/id")
              .asText();
      gql(
          CAROL,
          "mutation { approveDisposition(disposition: \""
              + accept
              + "\", meaning: \"approved\", credential: \""
              + CAROL
              + "\") { id } }");
      gql(
          BOB,
          "mutation { approveDisposition(disposition: \""
              + accept
              + "\", meaning: \"approved as model-risk owner\", credential: \""
              + BOB
              + "\") { id } }");
      clock.advance(Duration.ofDays(3));
      var expired = server.checkExpiries();
      assertEquals(List.of("rb-tmp"), expired.environmentsExpired());
      assertEquals(1, expired.exceptionsExpired().size());

      JsonNode facts = gql(ADMIN, FACTS);
      assertFalse(facts.has("errors"), facts.toString());
      before = facts(facts.get("data"));
      assertTrue(
          before.contains("\"status\":\"EXPIRED\"") && before.contains("REVERT_APPROVED"), before);
      assertEquals(3, facts.at("/data/metricSeries").size(), before);
      assertEquals("DRIFT", facts.at("/data/metricSeries/2/status").asText(), before);
      assertTrue(before.contains("\"key\":\"metrics.output.length\""), before);

      HttpResponse<String> backup = post("/api/v1/admin/backup", ADMIN, "application/json", "");
      assertEquals(200, backup.statusCode(), backup.body());
      backupRoot = JSON.readTree(backup.body()).get("auditRoot").asText();
      backupFile = Path.of(JSON.readTree(backup.body()).get("file").asText());
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
            }));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("refused"),
        out.toString(StandardCharsets.UTF_8));

    server = PlumblineServer.start(config.withData(rebuilt), clock);
    try {
      assertEquals(before, facts(gql(ADMIN, FACTS).get("data")));
    } finally {
      server.close();
    }
    assertEquals(driftSummaries(data), driftSummaries(rebuilt));

    Path restored = dir.resolve("c");
    out.reset();
    assertEquals(
        0,
        main.run(
            new String[] {
              "restore", "--from", backupFile.toString(), "--data", restored.toString()
            }));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("root " + backupRoot),
        out.toString(StandardCharsets.UTF_8));
  }

  /**
   * Servers before the governance module journaled a GraphQL mutation as its text; such a journal
   * still rebuilds (its mutations run through the GraphQL API, which issues the same commands), and
   * a current server journals the typed command instead, without the signer's credential.
   */
  @Test
  void aJournalOfGraphQLMutationTextStillRebuilds(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("old/journal");
    java.nio.file.Files.createDirectories(journal.resolve("objects"));
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    StringBuilder index = new StringBuilder();
    String[][] entries = {
      {
        "loader",
        "loader",
        "blueprint",
        "application/yaml",
        "bundle: rb\nversion: 1.0.0\nenvironments: [ { id: rb-prod, tier: DEV, owner: o } ]\n"
            + "config: { llm: { temperature: 0.3 } }\n"
      },
      {"loader", "loader", "snapshot", "application/json", snapshot(t, 0.3, true)},
      {"loader", "loader", "snapshot", "application/json", snapshot(t.plusSeconds(60), 0.9, true)},
      {
        "olga",
        "operator",
        "mutation",
        "application/json",
        JSON.writeValueAsString(
            Map.of(
                "query",
                "mutation($d: ID!) { requestDisposition(drift: $d, kind: REVERT,"
                    + " justification: \"INC-7\") { id } }",
                "variables",
                Map.of("d", "DRIFT")))
      }
    };
    Path built = dir.resolve("built");
    try (var store = org.plumbline.ontology.GraphStore.openTdb2(built)) {
      // the drift id a replay derives, from a store built the same way
      var g =
          new org.plumbline.governance.Governor(
              store,
              () -> RulePacks.load(Path.of("../rules")),
              java.time.Clock.fixed(t.plusSeconds(120), java.time.ZoneOffset.UTC));
      g.ingestBlueprint(
          new org.plumbline.loaders.BlueprintParser()
              .parse(entries[0][4].getBytes(StandardCharsets.UTF_8), "yaml"),
          "loader");
      for (int i = 1; i <= 2; i++) {
        g.ingestSnapshot(
            new org.plumbline.loaders.SnapshotParser()
                .parse(entries[i][4].getBytes(StandardCharsets.UTF_8)),
            "loader");
      }
      String drift = store.read(r -> r.drifts("rb-prod")).get(0).id();
      entries[3][4] = entries[3][4].replace("DRIFT", drift);
    }
    for (int i = 0; i < entries.length; i++) {
      byte[] body = entries[i][4].getBytes(StandardCharsets.UTF_8);
      String sha = org.plumbline.ontology.Hashing.sha256Hex(body);
      Path object = journal.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha + ".gz");
      java.nio.file.Files.createDirectories(object.getParent());
      try (var out =
          new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(object))) {
        out.write(body);
      }
      var line = JSON.createObjectNode();
      line.put("seq", i + 1);
      line.put("at", t.plusSeconds(30L * i).toString());
      line.put("actor", entries[i][0]);
      line.put("roles", entries[i][1]);
      line.put("kind", entries[i][2]);
      line.put("contentType", entries[i][3]);
      line.put("object", sha);
      index.append(line).append('\n');
    }
    java.nio.file.Files.writeString(journal.resolve("index.jsonl"), index);

    var outcome =
        org.plumbline.server.write.Rebuild.run(
            dir.resolve("old"), dir.resolve("new"), RulePacks.load(Path.of("../rules")), m -> {});
    assertEquals(4, outcome.applied(), outcome::toString);
    try (var store = org.plumbline.ontology.GraphStore.openTdb2(dir.resolve("new"))) {
      String drift = store.read(r -> r.drifts("rb-prod")).get(0).id();
      var requested = store.read(r -> r.dispositions(drift));
      assertEquals(1, requested.size());
      assertEquals("olga", requested.get(0).requestedBy());
      assertEquals("INC-7", requested.get(0).justification());
    }
    // The rebuilt folder's journal is the old one; a server on it journals typed commands.
    var kinds =
        org.plumbline.governance.InputJournal.read(dir.resolve("new/journal")).stream()
            .map(e -> e.kind())
            .toList();
    assertEquals(List.of("blueprint", "snapshot", "snapshot", "mutation"), kinds);
  }
}
