package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GateOverride;
import org.plumbline.ontology.GraphStore;
import org.plumbline.server.config.ServerConfig;

/**
 * Overrides of gate denials end to end: a DENY over HTTP, an override requested and signed over
 * GraphQL (four eyes, the signer's credential), the next answer ALLOW naming it over HTTP and
 * GraphQL, the gate history, the ledger, the evidence report, and a rebuild from the journal that
 * reproduces the override and the decisions. A webhook that lists the gate events receives them,
 * and nothing it did not list.
 */
class GateOverridesEndToEndTest {
  static final String LOADER = "tok-ovr-loader-0000001";
  static final String OPERATOR = "tok-ovr-operator-00001";
  static final String ANA = "tok-ovr-approver-ana-01";
  static final String BEN = "tok-ovr-approver-ben-01";
  static final String AUDITOR = "tok-ovr-auditor-000001";
  static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

  final SettableClock clock = new SettableClock(NOW);
  final HttpClient http = HttpClient.newHttpClient();
  PlumblineServer server;

  @Test
  void aDenialOverriddenByTwoApproversAllowsNamesTheOverrideAndIsRebuilt(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    ServerConfig config =
        new ServerConfig(
            0,
            data,
            Path.of("../rules"),
            List.of(
                GatesEndToEndTest.token(LOADER, "ci", "loader"),
                GatesEndToEndTest.token(OPERATOR, "olga", "operator"),
                GatesEndToEndTest.token(ANA, "ana", "approver"),
                GatesEndToEndTest.token(BEN, "ben", "approver"),
                GatesEndToEndTest.token(AUDITOR, "dana", "auditor")),
            Duration.ofHours(1),
            ServerConfig.DEFAULT_BODY_LIMIT,
            List.of());
    List<String> events = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          events.add(
              GatesEndToEndTest.JSON
                  .readTree(ex.getRequestBody().readAllBytes())
                  .get("event")
                  .asText());
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    config =
        config.withWebhooks(
            List.of(
                new ServerConfig.Webhook(
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    null,
                    ServerConfig.Webhook.OPTIONAL_EVENTS)));
    server = PlumblineServer.start(config, clock);
    String id;
    try {
      assertEquals(201, post("/api/v1/blueprints", LOADER, GatesEndToEndTest.SHOP).statusCode());
      JsonNode denied = gate();
      assertEquals("DENY", denied.get("decision").asText());

      JsonNode requested =
          ok(
              OPERATOR,
              "mutation { requestGateOverride(environment: \"shop-prod\", bundle: \"shop\","
                  + " version: \"1.0.0\", justification: \"INC-42 hotfix, CAB by phone\","
                  + " expiresAt: \"2026-11-21T10:00:00Z\") { id status requiredApprovals"
                  + " approverRoles deniedSeq overridden { code subject } } }");
      JsonNode o = requested.get("requestGateOverride");
      id = o.get("id").asText();
      assertEquals("PENDING", o.get("status").asText());
      assertEquals(2, o.get("requiredApprovals").asInt());
      assertEquals(denied.get("auditSeq").asLong(), o.get("deniedSeq").asLong());
      assertEquals(2, o.get("overridden").size());

      // four eyes and the signer's own credential
      assertEquals("FORBIDDEN", error(OPERATOR, sign(id, null)));
      assertEquals("REAUTHENTICATION_FAILED", error(ANA, sign(id, BEN)));
      assertEquals("PENDING", ok(ANA, sign(id, ANA)).at("/approveGateOverride/status").asText());
      assertEquals("DUPLICATE_APPROVAL", error(ANA, sign(id, ANA)));
      assertEquals("DENY", gate().get("decision").asText());
      assertEquals("APPROVED", ok(BEN, sign(id, null)).at("/approveGateOverride/status").asText());

      // the next answer allows, naming the override
      JsonNode allowed = gate();
      assertEquals("ALLOW", allowed.get("decision").asText(), allowed.toString());
      assertEquals(0, allowed.get("reasons").size());
      assertEquals(id, allowed.at("/override/id").asText());
      assertEquals("[\"ana\",\"ben\"]", allowed.at("/override/approvedBy").toString());
      assertEquals(
          List.of("NO_CHANGE_WINDOW", "PROMPT_NOT_EVALUATED"),
          GatesEndToEndTest.codes(
              GatesEndToEndTest.JSON.createObjectNode().set("reasons", allowed.get("overridden"))));
      JsonNode g =
          ok(
              OPERATOR,
              "mutation { promotionGate(bundle: \"shop\", version: \"1.0.0\", environment:"
                  + " \"shop-prod\") { decision override { id status } overridden { code } } }");
      assertEquals("ALLOW", g.at("/promotionGate/decision").asText());
      assertEquals(id, g.at("/promotionGate/override/id").asText());

      // the CLI exits 0 and says which override allowed it
      Path tokenFile = dir.resolve("token");
      java.nio.file.Files.writeString(tokenFile, LOADER + "\n");
      GatesEndToEndTest.Cli cli =
          new GatesEndToEndTest()
              .cli(
                  "gate",
                  "--bundle",
                  "shop",
                  "--version",
                  "1.0.0",
                  "--environment",
                  "shop-prod",
                  "--server",
                  "http://localhost:" + server.port(),
                  "--token-file",
                  tokenFile.toString());
      assertEquals(0, cli.status(), cli.err());
      assertTrue(cli.out().startsWith("ALLOW shop@1.0.0 -> shop-prod"), cli.out());
      assertTrue(cli.out().contains("overridden by " + id + " (approved by ana, ben"), cli.out());
      assertTrue(cli.out().contains("    NO_CHANGE_WINDOW [shop-prod]"), cli.out());

      // the gate history, newest first, and the overrides
      JsonNode history =
          ok(
              AUDITOR,
              "{ gateDecisions(environment: \"shop-prod\") { auditSeq decision subject"
                  + " override approvedBy reasons { code } }"
                  + " gateOverrides(environment: \"shop-prod\") { id status approvals { by } } }");
      JsonNode newest = history.at("/gateDecisions/0");
      assertEquals("ALLOW", newest.get("decision").asText());
      assertEquals(id, newest.get("override").asText());
      assertEquals("shop@1.0.0", newest.get("subject").asText());
      assertEquals(5, history.get("gateDecisions").size());
      assertEquals("DENY", history.at("/gateDecisions/4/decision").asText());
      assertEquals("APPROVED", history.at("/gateOverrides/0/status").asText());

      // the ledger
      List<String> actions = new ArrayList<>();
      for (AuditRecord a :
          server.store().read(r -> r.audit("shop-prod", NOW, NOW.plusSeconds(1)))) {
        actions.add(a.action());
      }
      assertTrue(
          actions.containsAll(
              List.of("gate.override.requested", "gate.override.signed", "gate.override.approved")),
          actions.toString());

      // the webhook got the gate's events in ledger order (five answers, the request and the
      // approval), and nothing it did not list (the first signature is gate.override.signed)
      List<String> expected =
          List.of(
              "gate.decided",
              "gate.override.requested",
              "gate.decided",
              "gate.override.approved",
              "gate.decided",
              "gate.decided",
              "gate.decided");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (events.size() < expected.size() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(expected, events);

      // it ends when it expires
      clock.advance(Duration.ofDays(1));
      assertEquals("DENY", gate().get("decision").asText());
    } finally {
      server.close();
      receiver.stop(0);
    }

    // a rebuild from the journal reproduces the override and every decision
    List<String> before = GatesEndToEndTest.decisions(data);
    GateOverride original = override(data, id);
    Path rebuilt = dir.resolve("rebuilt");
    GatesEndToEndTest.Cli rebuild =
        new GatesEndToEndTest()
            .cli(
                "rebuild",
                "--from",
                data.toString(),
                "--data",
                rebuilt.toString(),
                "--rules",
                "../rules");
    assertEquals(0, rebuild.status(), rebuild.err());
    assertEquals(before, GatesEndToEndTest.decisions(rebuilt));
    GateOverride replayed = override(rebuilt, id);
    // the same override, signed over the same subject; its DENY has the rebuilt ledger's number
    assertEquals(original.status(), replayed.status());
    assertEquals(original.subjectHash(), replayed.subjectHash());
    assertEquals(original.overridden(), replayed.overridden());
    assertEquals(original.approvals(), replayed.approvals());
    try (GraphStore store = GraphStore.openTdb2(rebuilt)) {
      AuditRecord deny = store.read(r -> r.auditRecord(replayed.deniedSeq())).orElseThrow();
      assertEquals("gate.decided", deny.action());
      assertTrue(deny.detail().contains("\"decision\":\"DENY\""), deny.detail());
    }
  }

  static GateOverride override(Path data, String id) {
    try (GraphStore store = GraphStore.openTdb2(data)) {
      return store.read(r -> r.gateOverride(id)).orElseThrow();
    }
  }

  static String sign(String id, String credential) {
    return "mutation { approveGateOverride(override: \""
        + id
        + "\", meaning: \"approved\""
        + (credential == null ? "" : ", credential: \"" + credential + "\"")
        + ") { id status } }";
  }

  JsonNode gate() throws Exception {
    HttpResponse<String> r =
        post(
            "/api/v1/gates/promotion",
            LOADER,
            "{\"bundle\":\"shop\",\"version\":\"1.0.0\",\"environment\":\"shop-prod\"}");
    assertEquals(200, r.statusCode(), r.body());
    return GatesEndToEndTest.JSON.readTree(r.body());
  }

  JsonNode ok(String token, String query) throws Exception {
    JsonNode r = gql(token, query);
    assertFalse(r.has("errors"), r.toString());
    return r.get("data");
  }

  String error(String token, String query) throws Exception {
    return gql(token, query).at("/errors/0/extensions/code").asText();
  }

  JsonNode gql(String token, String query) throws Exception {
    HttpResponse<String> r =
        post("/graphql", token, GatesEndToEndTest.JSON.writeValueAsString(Map.of("query", query)));
    assertEquals(200, r.statusCode(), r.body());
    return GatesEndToEndTest.JSON.readTree(r.body());
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
}
