package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives every disposition through HTTP with several users, including the refusals, and watches the
 * signed webhook events arrive at a receiver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispositionsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "tok-loader-0000000001";
  static final String ALICE = "tok-alice-operator-01";
  static final String BOB = "tok-bob-model-risk-01";
  static final String CAROL = "tok-carol-approver-01";
  static final String DAVE = "tok-dave-approver-001";
  static final String VIEWER = "tok-viewer-0000000001";
  static final String AUDITOR = "tok-dana-auditor-00001";
  static final String ERIN = "tok-erin-operator-approver";
  static final String SECRET = "webhook-secret";
  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  static final String CREDIT =
      """
      bundle: credit-model
      version: 2.3.0
      environments:
        - { id: credit-model-prod, tier: REGULATED, owner: team-credit-risk, system: credit-model }
        - { id: credit-model-staging, tier: STAGING, owner: team-credit-risk, system: credit-model }
      validated: { at: "2026-08-01T00:00:00Z", by: model-validation, evidence: VAL-2026-031 }
      config:
        model: { version: gpt-4o-2024-08-06 }
        llm: { temperature: 0.3 }
        guardrails: { enabled: true, toxicity: { threshold: 0.8 } }
      """;
  static final String CHAT =
      """
      bundle: chat
      version: 1.0.0
      environments:
        - { id: chat-dev, tier: DEV, owner: team-cx, system: chat, ttl: P14D }
      config: { llm: { temperature: 0.5 } }
      """;

  @TempDir static Path data;
  final MutableClock clock = new MutableClock(START);
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final List<String> badSignatures = new CopyOnWriteArrayList<>();
  HttpServer receiver;
  PlumblineServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String sig = ex.getRequestHeaders().getFirst("X-Plumbline-Signature");
          if (!Webhooks.signature(SECRET, body).equals(sig)) {
            badSignatures.add(body);
          }
          received.add(JSON.readTree(body));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    ServerConfig config =
        new ServerConfig(
            0,
            data,
            Path.of("../rules"),
            List.of(
                token(LOADER, "ci-loader", "loader"),
                token(ALICE, "alice", "operator"),
                token(BOB, "bob", "approver", "model-risk"),
                token(CAROL, "carol", "approver"),
                token(DAVE, "dave", "approver"),
                token(AUDITOR, "dana", "auditor"),
                token(VIEWER, "victor", "viewer"),
                token(ERIN, "erin", "operator", "approver")),
            Duration.ofHours(1),
            ServerConfig.DEFAULT_BODY_LIMIT,
            List.of(
                new ServerConfig.Webhook(
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    SECRET,
                    List.of())));
    server = PlumblineServer.start(config, clock);
    assertEquals(201, post("/api/v1/blueprints", LOADER, CREDIT).statusCode());
    assertEquals(201, post("/api/v1/blueprints", LOADER, CHAT).statusCode());
    String prod =
        "{\"model\":{\"version\":\"gpt-4o\"},\"llm\":{\"temperature\":0.7},\"guardrails\":{\"enabled\":true,\"toxicity\":{\"threshold\":0.7}}}";
    assertEquals(
        201,
        post(
                "/api/v1/snapshots",
                LOADER,
                snapshot("credit-model-prod", "2026-10-31T12:00:00Z", prod))
            .statusCode());
    String staging =
        "{\"model\":{\"version\":\"gpt-4o-2024-08-06\"},\"llm\":{\"temperature\":0.9},\"guardrails\":{\"enabled\":true,\"toxicity\":{\"threshold\":0.8}}}";
    assertEquals(
        201,
        post(
                "/api/v1/snapshots",
                LOADER,
                snapshot("credit-model-staging", "2026-10-31T12:00:00Z", staging))
            .statusCode());
  }

  @AfterAll
  void stop() {
    server.close();
    receiver.stop(0);
  }

  static ServerConfig.Token token(String t, String user, String... roles) {
    return new ServerConfig.Token(t, user, Set.of(roles));
  }

  static String snapshot(String env, String at, String config) {
    return "{\"environment\":\""
        + env
        + "\",\"observedAt\":\""
        + at
        + "\",\"config\":"
        + config
        + "}";
  }

  HttpResponse<String> post(String path, String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .header(
                "Content-Type",
                path.contains("blueprints") ? "application/yaml" : "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Runs a GraphQL request; returns the whole response (data and errors). */
  JsonNode gql(String token, String query) throws Exception {
    HttpResponse<String> r =
        post("/graphql", token, JSON.writeValueAsString(Map.of("query", query)));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  JsonNode ok(String token, String query) throws Exception {
    JsonNode r = gql(token, query);
    assertFalse(r.has("errors"), r.toString());
    return r.get("data");
  }

  String errorCode(String token, String query) throws Exception {
    JsonNode r = gql(token, query);
    assertTrue(r.has("errors"), "expected an error: " + r);
    return r.at("/errors/0/extensions/code").asText();
  }

  String driftId(String env, String key) throws Exception {
    for (JsonNode d :
        ok(VIEWER, "{ drifts(environment: \"" + env + "\") { id key status } }").get("drifts")) {
      if (d.get("key").asText().equals(key)
          && !d.get("status").asText().matches("RESOLVED|REVERTED|CODIFIED")) {
        return d.get("id").asText();
      }
    }
    throw new AssertionError("no live drift of " + key + " in " + env);
  }

  String driftStatus(String id) throws Exception {
    for (JsonNode d : ok(VIEWER, "{ drifts { id status } }").get("drifts")) {
      if (d.get("id").asText().equals(id)) {
        return d.get("status").asText();
      }
    }
    throw new AssertionError("no drift " + id);
  }

  static String request(String drift, String kind, String extra) {
    return "mutation { requestDisposition(drift: \""
        + drift
        + "\", kind: "
        + kind
        + ", justification: \"incident INC-7\""
        + extra
        + ") { id status requiredApprovals approvals { by role } } }";
  }

  static String approve(String disposition) {
    return "mutation { approveDisposition(disposition: \""
        + disposition
        + "\", meaning: \"I have reviewed the change and approve it\") { id status approvals { by role meaning at } } }";
  }

  /**
   * The four-eyes bypass a review found, over HTTP: a loader's new version of a REGULATED
   * environment's bundle that downgrades it to DEV, adopts the observed values and claims a
   * validation is held (202) until approvers sign it, and the loader's validation is not honoured.
   */
  @Test
  void aBlueprintThatChangesARegulatedEnvironmentWaitsForItsApprovals() throws Exception {
    String first =
        CREDIT
            .replace("bundle: credit-model", "bundle: gov-model")
            .replace("credit-model-prod", "gov-model-prod")
            .replace("credit-model-staging", "gov-model-staging");
    assertEquals(201, post("/api/v1/blueprints", LOADER, first).statusCode());
    String next =
        first
            .replace("version: 2.3.0", "version: 9.0.0")
            .replace("tier: REGULATED", "tier: DEV")
            .replace("temperature: 0.3", "temperature: 0.95")
            .replace("VAL-2026-031", "VAL-FORGED");
    HttpResponse<String> held = post("/api/v1/blueprints", LOADER, next);
    assertEquals(202, held.statusCode(), held.body());
    JsonNode body = JSON.readTree(held.body());
    assertEquals("PENDING_APPROVAL", body.path("publication").asText());
    assertEquals(true, body.path("validationIgnored").asBoolean());
    JsonNode tier = gql(VIEWER, "{ environment(id: \"gov-model-prod\") { tier bundleVersion } }");
    assertEquals("REGULATED", tier.at("/data/environment/tier").asText(), tier.toString());

    JsonNode self =
        gql(
            LOADER,
            "mutation { approveBlueprint(bundle: \"gov-model\", version: \"9.0.0\", meaning:"
                + " \"approved\") { status } }");
    assertEquals("FORBIDDEN", self.at("/errors/0/extensions/code").asText(), self.toString());
    gql(
        CAROL,
        "mutation { approveBlueprint(bundle: \"gov-model\", version: \"9.0.0\", meaning:"
            + " \"approved\") { status } }");
    JsonNode done =
        gql(
            BOB,
            "mutation { approveBlueprint(bundle: \"gov-model\", version: \"9.0.0\", meaning:"
                + " \"approved as model-risk owner\") { status approvals { by role } } }");
    assertEquals("APPROVED", done.at("/data/approveBlueprint/status").asText(), done.toString());
    JsonNode after =
        gql(
            VIEWER,
            "{ environment(id: \"gov-model-prod\") { tier bundleVersion }"
                + " bundle(id: \"gov-model\") { versions { version validated }"
                + " proposals { version status requestedBy } } }");
    assertEquals("DEV", after.at("/data/environment/tier").asText(), after.toString());
    assertEquals("9.0.0", after.at("/data/environment/bundleVersion").asText());
    for (JsonNode v : after.at("/data/bundle/versions")) {
      if (v.path("version").asText().equals("9.0.0")) {
        assertEquals(false, v.path("validated").asBoolean(), "a loader never validates");
      }
    }
    assertEquals("ci-loader", after.at("/data/bundle/proposals/0/requestedBy").asText());
  }

  @Test
  void revertNeedsTwoDistinctApproversOneOfThemModelRisk() throws Exception {
    String drift = driftId("credit-model-prod", "llm.temperature");
    assertEquals("FORBIDDEN", errorCode(VIEWER, request(drift, "REVERT", "")));
    JsonNode d = ok(ALICE, request(drift, "REVERT", "")).get("requestDisposition");
    String id = d.get("id").asText();
    assertEquals("PENDING", d.get("status").asText());
    assertEquals(2, d.get("requiredApprovals").asInt());
    assertEquals("PENDING_APPROVAL", driftStatus(drift));
    assertEquals(
        "ILLEGAL_TRANSITION",
        errorCode(ALICE, request(drift, "ACCEPT", ", expiresAt: \"2026-11-03T00:00:00Z\"")));

    assertEquals("FORBIDDEN", errorCode(ALICE, approve(id))); // operators do not approve
    assertEquals(
        "PENDING", ok(CAROL, approve(id)).get("approveDisposition").get("status").asText());
    assertEquals("DUPLICATE_APPROVAL", errorCode(CAROL, approve(id)));
    assertEquals("MODEL_RISK_APPROVAL_REQUIRED", errorCode(DAVE, approve(id)));
    JsonNode approved = ok(BOB, approve(id)).get("approveDisposition");
    assertEquals("APPROVED", approved.get("status").asText());
    assertEquals("model-risk", approved.at("/approvals/1/role").asText());
    assertEquals(
        "I have reviewed the change and approve it", approved.at("/approvals/1/meaning").asText());
    assertEquals("REVERT_APPROVED", driftStatus(drift));
    assertEquals("ILLEGAL_TRANSITION", errorCode(DAVE, approve(id)));

    JsonNode plan =
        ok(
            VIEWER,
            "{ remediations(environment: \"credit-model-prod\") { drift key current blueprint } }");
    assertEquals(
        "{\"drift\":\""
            + drift
            + "\",\"key\":\"llm.temperature\",\"current\":0.7,\"blueprint\":0.3}",
        plan.at("/remediations/0").toString());

    // Plumbline never reverts by itself: the drift closes when a snapshot shows the blueprint
    // value.
    String reverted =
        "{\"model\":{\"version\":\"gpt-4o\"},\"llm\":{\"temperature\":0.3},\"guardrails\":{\"enabled\":true,\"toxicity\":{\"threshold\":0.7}}}";
    assertEquals(
        201,
        post(
                "/api/v1/snapshots",
                LOADER,
                snapshot("credit-model-prod", "2026-11-01T06:00:00Z", reverted))
            .statusCode());
    assertEquals("REVERTED", driftStatus(drift));
    assertEquals("ILLEGAL_TRANSITION", errorCode(ALICE, request(drift, "CODIFY", "")));

    JsonNode trail =
        ok(
                AUDITOR,
                "{ auditTrail(environment: \"credit-model-prod\") { action actor subject detail } }")
            .get("auditTrail");
    List<String> actions = trail.findValuesAsText("action");
    for (String a :
        List.of(
            "disposition.requested",
            "disposition.signed",
            "disposition.approved",
            "remediation.planned",
            "drift.closed")) {
      assertTrue(actions.contains(a), a + " missing from " + actions);
    }
    awaitEvents(
        "disposition.requested",
        "disposition.approved",
        "remediation.planned",
        "drift.closed",
        "drift.opened");
  }

  @Test
  void acceptIsBoundedByTheTierAndReopensWhenItExpires() throws Exception {
    String drift = driftId("credit-model-prod", "guardrails.toxicity.threshold");
    Instant now = clock.instant();
    assertEquals("INVALID_DISPOSITION", errorCode(ALICE, request(drift, "ACCEPT", "")));
    assertEquals(
        "EXCEPTION_TOO_LONG",
        errorCode(
            ALICE,
            request(drift, "ACCEPT", ", expiresAt: \"" + now.plus(Duration.ofDays(8)) + "\"")));
    String id =
        ok(ALICE, request(drift, "ACCEPT", ", expiresAt: \"" + now.plus(Duration.ofDays(5)) + "\""))
            .at("/requestDisposition/id")
            .asText();
    ok(BOB, approve(id));
    assertEquals("APPROVED", ok(CAROL, approve(id)).at("/approveDisposition/status").asText());
    assertEquals("EXCEPTED", driftStatus(drift));

    clock.advance(Duration.ofDays(6));
    var report = server.dispositions().checkExpiries();
    assertTrue(report.exceptionsExpired().contains(drift), report.toString());
    assertEquals("OPEN", driftStatus(drift));
    clock.advance(Duration.ofDays(-6));
    awaitEvents("exception.expired");
  }

  @Test
  void rejectedThenCodifiedIntoANewUnvalidatedVersion() throws Exception {
    String drift = driftId("credit-model-prod", "model.version");
    String first = ok(ALICE, request(drift, "CODIFY", "")).at("/requestDisposition/id").asText();
    JsonNode rejected =
        ok(
            CAROL,
            "mutation { rejectDisposition(disposition: \""
                + first
                + "\", reason: \"aliases are not allowed\") { status decision } }");
    assertEquals("REJECTED", rejected.at("/rejectDisposition/status").asText());
    assertEquals("OPEN", driftStatus(drift));
    assertEquals("ILLEGAL_TRANSITION", errorCode(BOB, approve(first)));

    // Erin may both request and approve, but never her own request.
    String second = ok(ERIN, request(drift, "CODIFY", "")).at("/requestDisposition/id").asText();
    assertEquals("SELF_APPROVAL", errorCode(ERIN, approve(second)));
    assertEquals("DISPOSITION_NOT_FOUND", errorCode(BOB, approve("P-nope")));
    ok(CAROL, approve(second));
    ok(BOB, approve(second));
    assertEquals("CODIFIED", driftStatus(drift));

    JsonNode bundle =
        ok(VIEWER, "{ bundle(id: \"credit-model\") { versions { version validated createdBy } } }");
    assertEquals(
        "[{\"version\":\"2.3.0\",\"validated\":true,\"createdBy\":\"ci-loader\"},{\"version\":\"2.3.1\",\"validated\":false,\"createdBy\":\"bob\"}]",
        bundle.at("/bundle/versions").toString());
    JsonNode conformance =
        ok(
                VIEWER,
                "{ conformance(environment: \"credit-model-prod\") { bundleVersion validatedVersion differences { key } } }")
            .get("conformance");
    assertEquals("2.3.1", conformance.get("bundleVersion").asText());
    assertEquals("2.3.0", conformance.get("validatedVersion").asText());
    assertFalse(conformance.get("differences").toString().contains("model.version"));

    assertEquals(
        "FORBIDDEN",
        errorCode(
            CAROL,
            "mutation { recordValidation(bundle: \"credit-model\", version: \"2.3.1\", evidence: \"VAL-2026-044\") { version } }"));
    JsonNode validated =
        ok(
            BOB,
            "mutation { recordValidation(bundle: \"credit-model\", version: \"2.3.1\", evidence: \"VAL-2026-044\") { version validated validatedBy evidence } }");
    assertEquals(
        "{\"version\":\"2.3.1\",\"validated\":true,\"validatedBy\":\"bob\",\"evidence\":\"VAL-2026-044\"}",
        validated.get("recordValidation").toString());
  }

  @Test
  void aDispositionThatNeedsNoApprovalTakesEffectAtOnce() throws Exception {
    String drift =
        driftId(
            "credit-model-staging", "llm.temperature"); // RELIABILITY in STAGING: LOW, 0 approvals
    JsonNode d = ok(ALICE, request(drift, "REVERT", "")).get("requestDisposition");
    assertEquals("APPROVED", d.get("status").asText());
    assertEquals(0, d.get("requiredApprovals").asInt());
    assertEquals("REVERT_APPROVED", driftStatus(drift));
  }

  @Test
  void temporaryEnvironmentsExpireAndCanBeExtendedWithinPolicy() throws Exception {
    clock.advance(Duration.ofDays(15));
    try {
      assertTrue(server.dispositions().checkExpiries().environmentsExpired().contains("chat-dev"));
      assertEquals(
          "chat-dev",
          ok(VIEWER, "{ environments(status: \"EXPIRED\") { id } }")
              .at("/environments/0/id")
              .asText());
      HttpResponse<String> late =
          post(
              "/api/v1/snapshots",
              LOADER,
              snapshot("chat-dev", clock.instant().toString(), "{\"llm\":{\"temperature\":0.5}}"));
      assertEquals(201, late.statusCode());
      assertEquals("EXPIRED", JSON.readTree(late.body()).get("environmentStatus").asText());

      Instant now = clock.instant();
      String extend =
          "mutation { extendEnvironment(environment: \"chat-dev\", until: \"%s\", justification: \"%s\") { id status expiresAt } }";
      assertEquals(
          "EXTENSION_TOO_LONG",
          errorCode(ALICE, extend.formatted(now.plus(Duration.ofDays(31)), "pilot runs longer")));
      assertEquals(
          "INVALID_DISPOSITION",
          errorCode(ALICE, extend.formatted(now.plus(Duration.ofDays(20)), " ")));
      assertEquals(
          "FORBIDDEN", errorCode(VIEWER, extend.formatted(now.plus(Duration.ofDays(20)), "pilot")));
      JsonNode env =
          ok(ALICE, extend.formatted(now.plus(Duration.ofDays(20)), "pilot runs longer"))
              .get("extendEnvironment");
      assertEquals("ACTIVE", env.get("status").asText());
      assertEquals(now.plus(Duration.ofDays(20)).toString(), env.get("expiresAt").asText());
      awaitEvents("environment.expired");
    } finally {
      clock.advance(Duration.ofDays(-15));
    }
  }

  /** Waits (bounded) until the receiver has seen each event, all correctly signed. */
  void awaitEvents(String... events) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> seen = received.stream().map(j -> j.get("event").asText()).toList();
      if (seen.containsAll(List.of(events))) {
        assertTrue(badSignatures.isEmpty(), "unsigned or badly signed bodies: " + badSignatures);
        for (JsonNode body : received) {
          assertTrue(
              body.hasNonNull("at") && body.hasNonNull("id") && body.has("environment"),
              body.toString());
        }
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "webhook events " + List.of(events) + " not all received: " + received);
  }
}
