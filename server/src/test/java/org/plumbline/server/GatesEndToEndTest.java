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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.cli.Main;
import org.plumbline.server.config.ServerConfig;

/**
 * Promotion gates end to end: a real server on port 0 over a real store, a world with each reason,
 * asked over HTTP (stored versions and a candidate), GraphQL and the CLI (against the server and on
 * the data folder); every decision is a gate.decided record in the ledger, in the evidence report
 * and in the metrics, and a rebuild from the journal reproduces them.
 */
class GatesEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "tok-gate-loader-000001";
  static final String OPERATOR = "tok-gate-operator-0001";
  static final String VIEWER = "tok-gate-viewer-000001";
  static final String AUDITOR = "tok-gate-auditor-00001";
  static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
  static final String M1 = "gpt-4o-2024-08-06";
  static final String PROMPT = "You are the shop assistant. Answer briefly.";

  static final String SHOP =
      """
      bundle: shop
      version: 1.0.0
      environments:
        - { id: shop-prod, tier: PROD, owner: team-shop, system: shop }
        - { id: shop-edge, tier: PROD, owner: team-shop, system: shop }
        - { id: shop-reg, tier: REGULATED, owner: team-shop, system: shop }
        - { id: shop-lab, tier: DEV, owner: team-shop, system: shop }
        - { id: shop-dev, tier: DEV, owner: team-shop, system: shop, ttl: P1D }
      config:
        model: { version: %s }
        prompt: { system: "%s" }
        guardrails: { enabled: true }
      """
          .formatted(M1, PROMPT);

  final SettableClock clock = new SettableClock(NOW);
  final HttpClient http = HttpClient.newHttpClient();
  PlumblineServer server;

  @Test
  void everyReasonThroughEveryEntryPointIsAuditedReportedCountedAndRebuilt(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    ServerConfig config =
        new ServerConfig(
            0,
            data,
            Path.of("../rules"),
            List.of(
                token(LOADER, "ci", "loader"),
                token(OPERATOR, "olga", "operator"),
                token(VIEWER, "victor", "viewer"),
                token(AUDITOR, "dana", "auditor")),
            Duration.ofHours(1),
            ServerConfig.DEFAULT_BODY_LIMIT,
            List.of());
    server = PlumblineServer.start(config, clock);
    List<Long> decided = new ArrayList<>();
    try {
      assertEquals(201, post("/api/v1/blueprints", LOADER, SHOP).statusCode());

      // PROD, nothing registered, no window
      JsonNode a = gate(LOADER, "shop", "1.0.0", "shop-prod");
      assertEquals("DENY", a.get("decision").asText());
      assertEquals(List.of("NO_CHANGE_WINDOW", "PROMPT_NOT_EVALUATED"), codes(a));
      assertEquals(server.rulePack().version(), a.get("rulePackVersion").asText());
      assertTrue(a.get("firedRules").toString().contains("gate: prompt text not registered"));
      decided.add(a.get("auditSeq").asLong());

      // a version scored under 0.8, then one evaluated with another model
      prompt("1.0.0", 0.6, M1);
      JsonNode b = gate(OPERATOR, "shop", "1.0.0", "shop-prod");
      assertEquals(List.of("NO_CHANGE_WINDOW", "PROMPT_NOT_EVALUATED"), codes(b));
      assertEquals("shop-system@1.0.0", subject(b, "PROMPT_NOT_EVALUATED"));
      decided.add(b.get("auditSeq").asLong());
      prompt("1.0.1", 0.9, "gpt-4o-2024-05-13");
      JsonNode c = gate(LOADER, "shop", "1.0.0", "shop-prod");
      assertEquals(List.of("MODEL_MISMATCH", "NO_CHANGE_WINDOW"), codes(c));
      assertEquals("shop-system@1.0.1", subject(c, "MODEL_MISMATCH"));
      decided.add(c.get("auditSeq").asLong());

      // re-evaluated with the model, and a change window: allowed, over HTTP and GraphQL
      prompt("1.0.2", 0.9, M1);
      assertEquals(
          201,
          post(
                  "/api/v1/change-requests",
                  LOADER,
                  """
                  [{"id":"CR-1","environment":"shop-prod","keys":["*"],"from":"2026-11-20T09:00:00Z","until":"2026-11-20T18:00:00Z","approvedBy":"CAB"},
                   {"id":"CR-2","environment":"shop-reg","keys":["*"],"from":"2026-11-20T09:00:00Z","until":"2026-11-20T18:00:00Z","approvedBy":"CAB"},
                   {"id":"CR-3","environment":"shop-edge","keys":["*"],"from":"2026-11-20T09:00:00Z","until":"2026-11-20T18:00:00Z","approvedBy":"CAB"}]
                  """)
              .statusCode());
      JsonNode d = gate(LOADER, "shop", "1.0.0", "shop-prod");
      assertEquals("ALLOW", d.get("decision").asText(), d.toString());
      assertEquals(List.of(), codes(d));
      decided.add(d.get("auditSeq").asLong());
      JsonNode g =
          gql(
              OPERATOR,
              "mutation { promotionGate(bundle: \"shop\", version: \"1.0.0\", environment:"
                  + " \"shop-prod\") { decision reasons { code subject } rulePackVersion firedRules"
                  + " auditSeq candidate decidedAt } }");
      assertFalse(g.has("errors"), g.toString());
      JsonNode gate = g.at("/data/promotionGate");
      assertEquals("ALLOW", gate.get("decision").asText());
      assertEquals(NOW.toString(), gate.get("decidedAt").asText());
      decided.add(gate.get("auditSeq").asLong());

      // REGULATED takes only validated versions
      JsonNode e = gate(LOADER, "shop", "1.0.0", "shop-reg");
      assertEquals(List.of("NOT_VALIDATED"), codes(e));
      assertEquals("shop@1.0.0", subject(e, "NOT_VALIDATED"));
      decided.add(e.get("auditSeq").asLong());

      // a guardrail switched off in PROD is a CRITICAL drift
      assertEquals(
          201,
          post(
                  "/api/v1/snapshots",
                  LOADER,
                  "{\"environment\":\"shop-edge\",\"observedAt\":\"2026-11-20T09:30:00Z\",\"config\":"
                      + "{\"model\":{\"version\":\""
                      + M1
                      + "\"},\"prompt\":{\"system\":\""
                      + PROMPT
                      + "\"},\"guardrails\":{\"enabled\":false}}}")
              .statusCode());
      JsonNode f = gate(LOADER, "shop", "1.0.0", "shop-edge");
      assertEquals(List.of("OPEN_CRITICAL_DRIFT"), codes(f));
      assertTrue(subject(f, "OPEN_CRITICAL_DRIFT").length() > 0);
      decided.add(f.get("auditSeq").asLong());

      // behaviour that moved: the metric's tracker reaches DRIFT after three windows beyond
      assertEquals(
          201,
          post(
                  "/api/v1/metrics",
                  LOADER,
                  MetricsEndToEndTest.lengths("shop-lab", "2026-10-05", true, 400, 1))
              .statusCode());
      String[] weeks = {"2026-10-12", "2026-10-19", "2026-10-26"};
      for (int i = 0; i < weeks.length; i++) {
        HttpResponse<String> r =
            post(
                "/api/v1/metrics",
                LOADER,
                MetricsEndToEndTest.lengths("shop-lab", weeks[i], false, 600, 20 + i));
        assertEquals(201, r.statusCode(), r.body());
      }
      JsonNode m = gate(LOADER, "shop", "1.0.0", "shop-lab");
      assertTrue(codes(m).contains("METRICS_UNSTABLE"), m.toString());
      assertEquals("output.length", subject(m, "METRICS_UNSTABLE"));
      decided.add(m.get("auditSeq").asLong());

      // a candidate that is not stored: a new model nobody evaluated the prompt with
      String candidate = SHOP.replace("1.0.0", "1.1.0").replace(M1, "gpt-4o-2024-11-20");
      HttpResponse<String> cr =
          post(
              "/api/v1/gates/promotion",
              LOADER,
              JSON.writeValueAsString(Map.of("blueprint", candidate, "environment", "shop-prod")));
      assertEquals(200, cr.statusCode(), cr.body());
      JsonNode cand = JSON.readTree(cr.body());
      // one reason per evaluated version of the text, none of them with this model
      assertEquals(List.of("MODEL_MISMATCH", "MODEL_MISMATCH"), codes(cand));
      assertTrue(cand.get("candidate").asBoolean());
      assertEquals("1.1.0", cand.get("version").asText());
      decided.add(cand.get("auditSeq").asLong());
      JsonNode versions = gql(VIEWER, "{ bundle(id: \"shop\") { versions { version } } }");
      assertEquals(1, versions.at("/data/bundle/versions").size(), versions.toString());

      // the CLI against the server: one line, exit 0 on ALLOW, 1 on DENY, 2 on bad usage
      Path tokenFile = dir.resolve("token");
      Files.writeString(tokenFile, LOADER + "\n");
      String url = "http://localhost:" + server.port();
      Cli allow =
          cli(
              "gate",
              "--bundle",
              "shop",
              "--version",
              "1.0.0",
              "--environment",
              "shop-prod",
              "--server",
              url,
              "--token-file",
              tokenFile.toString());
      assertEquals(0, allow.status(), allow.err());
      assertTrue(allow.out().startsWith("ALLOW shop@1.0.0 -> shop-prod"), allow.out());
      Cli deny =
          cli(
              "gate",
              "--bundle",
              "shop",
              "--version",
              "1.0.0",
              "--environment",
              "shop-reg",
              "--server",
              url,
              "--token-file",
              tokenFile.toString());
      assertEquals(1, deny.status(), deny.err());
      assertTrue(deny.out().contains("NOT_VALIDATED [shop@1.0.0]"), deny.out());
      assertEquals(2, cli("gate", "--bundle", "shop", "--server", url).status());
      Cli unknown =
          cli(
              "gate",
              "--bundle",
              "shop",
              "--version",
              "9.0.0",
              "--environment",
              "shop-prod",
              "--server",
              url,
              "--token-file",
              tokenFile.toString());
      assertEquals(1, unknown.status());
      assertTrue(unknown.err().contains("UNKNOWN_BUNDLE_VERSION"), unknown.err());

      // roles and bad requests
      assertEquals(
          403,
          post(
                  "/api/v1/gates/promotion",
                  VIEWER,
                  "{\"bundle\":\"shop\",\"version\":\"1.0.0\",\"environment\":\"shop-prod\"}")
              .statusCode());
      JsonNode forbidden =
          gql(
              VIEWER,
              "mutation { promotionGate(bundle: \"shop\", version: \"1.0.0\", environment:"
                  + " \"shop-prod\") { decision } }");
      assertEquals("FORBIDDEN", forbidden.at("/errors/0/extensions/code").asText());
      HttpResponse<String> bad = post("/api/v1/gates/promotion", LOADER, "{\"bundle\":\"shop\"}");
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().contains("/environment"), bad.body());

      // expired: the TTL of shop-dev runs out
      clock.advance(Duration.ofDays(2));
      JsonNode x = gate(LOADER, "shop", "1.0.0", "shop-dev");
      assertEquals(List.of("EXPIRED_ENVIRONMENT"), codes(x));
      decided.add(x.get("auditSeq").asLong());

      // the ledger holds every decision, with the facts it rested on
      for (long seq : decided) {
        AuditRecord r = server.store().read(s -> s.auditRecord(seq)).orElseThrow();
        assertEquals("gate.decided", r.action());
        assertTrue(JSON.readTree(r.detail()).has("facts"), r.detail());
      }
      AuditRecord first = server.store().read(s -> s.auditRecord(decided.get(0))).orElseThrow();
      assertEquals("ci", first.actor());
      assertEquals("shop-prod", first.environment());
      assertEquals("shop@1.0.0", first.subject());

      // the evidence report lists them
      HttpResponse<String> report =
          get(
              "/api/v1/environments/shop-prod/audit?format=html&since=2026-11-01T00:00:00Z",
              AUDITOR);
      assertEquals(200, report.statusCode(), report.body());
      assertTrue(report.body().contains("Which promotions did the gate allow or deny?"));
      assertTrue(report.body().contains("PROMPT_NOT_EVALUATED"), report.body());
      assertTrue(report.body().contains("(candidate)"), report.body());

      // and the metrics count them
      String metrics = get("/metrics", VIEWER).body();
      assertTrue(
          metrics.contains("plumbline_gate_decisions_total{decision=\"ALLOW\"} 3.0"), metrics);
      assertTrue(
          metrics.contains("plumbline_gate_decisions_total{decision=\"DENY\"} 9.0"), metrics);
    } finally {
      server.close();
    }

    // the CLI on the data folder (no server): decided, audited and journaled the same way
    clock.set(NOW);
    Cli offline =
        cli(
            "gate",
            "--bundle",
            "shop",
            "--version",
            "1.0.0",
            "--environment",
            "shop-reg",
            "--data",
            data.toString(),
            "--rules",
            "../rules");
    assertEquals(1, offline.status(), offline.err());
    assertTrue(offline.out().contains("NOT_VALIDATED"), offline.out());

    // a rebuild from the journal reproduces every decision, in order
    List<String> before = decisions(data);
    assertEquals(13, before.size(), before.toString());
    Path rebuilt = dir.resolve("rebuilt");
    Cli rebuild =
        cli(
            "rebuild",
            "--from",
            data.toString(),
            "--data",
            rebuilt.toString(),
            "--rules",
            "../rules");
    assertEquals(0, rebuild.status(), rebuild.err());
    assertEquals(before, decisions(rebuilt));
  }

  /** Each gate.decided record as subject, environment, decision and reason codes. */
  static List<String> decisions(Path data) throws Exception {
    try (GraphStore store = GraphStore.openTdb2(data)) {
      List<AuditRecord> all =
          store.read(r -> r.audit(null, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")));
      List<String> out = new ArrayList<>();
      for (AuditRecord a : all) {
        if (a.action().equals("gate.decided")) {
          JsonNode d = JSON.readTree(a.detail());
          List<String> codes = new ArrayList<>();
          d.get("reasons").forEach(r -> codes.add(r.get("code").asText()));
          out.add(
              a.subject() + " " + a.environment() + " " + d.get("decision").asText() + " " + codes);
        }
      }
      return out;
    }
  }

  record Cli(int status, String out, String err) {}

  Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Main(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                clock,
                false,
                System::nanoTime)
            .withEnvironment(name -> null)
            .run(args);
    return new Cli(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  void prompt(String version, double score, String model) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "id", "shop-system",
                "version", version,
                "text", PROMPT,
                "testedWithModel", model,
                "evalScore", score,
                "evalSuite", "shop-evals",
                "verifiedAt", "2026-11-19T00:00:00Z"));
    HttpResponse<String> r = post("/api/v1/prompts", LOADER, body);
    assertEquals(201, r.statusCode(), r.body());
  }

  JsonNode gate(String token, String bundle, String version, String environment) throws Exception {
    HttpResponse<String> r =
        post(
            "/api/v1/gates/promotion",
            token,
            JSON.writeValueAsString(
                Map.of("bundle", bundle, "version", version, "environment", environment)));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  static List<String> codes(JsonNode answer) {
    List<String> out = new ArrayList<>();
    answer.get("reasons").forEach(r -> out.add(r.get("code").asText()));
    return out;
  }

  static String subject(JsonNode answer, String code) {
    for (JsonNode r : answer.get("reasons")) {
      if (r.get("code").asText().equals(code)) {
        return r.get("subject").asText();
      }
    }
    throw new AssertionError("no " + code + " in " + answer);
  }

  static ServerConfig.Token token(String t, String user, String... roles) {
    return new ServerConfig.Token(t, user, Set.of(roles));
  }

  HttpResponse<String> post(String path, String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .header(
                "Content-Type",
                path.contains("blueprints") ? "application/yaml" : "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode gql(String token, String query) throws Exception {
    HttpResponse<String> r =
        post("/graphql", token, JSON.writeValueAsString(Map.of("query", query)));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }
}
