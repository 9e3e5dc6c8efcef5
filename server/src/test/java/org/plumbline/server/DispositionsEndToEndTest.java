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
import org.plumbline.governance.SettableClock;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.webhooks.Webhooks;

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

  /** A REGULATED environment of its own for the e-signature cases. */
  static final String SIGNED =
      """
      bundle: signed
      version: 1.0.0
      environments:
        - { id: signed-prod, tier: REGULATED, owner: team-risk, system: signed }
      config:
        llm: { temperature: 0.3, top_p: 0.9 }
        retrieval: { top_k: 8 }
        routing: { timeout: 30 }
      """;

  @TempDir static Path data;
  final SettableClock clock = new SettableClock(START);
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
    assertEquals(201, post("/api/v1/blueprints", LOADER, SIGNED).statusCode());
    assertEquals(
        201,
        post(
                "/api/v1/snapshots",
                LOADER,
                snapshot(
                    "signed-prod",
                    "2026-10-31T12:00:00Z",
                    "{\"llm\":{\"temperature\":0.9,\"top_p\":0.5},\"retrieval\":{\"top_k\":4},"
                        + "\"routing\":{\"timeout\":60}}"))
            .statusCode());
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

  /** A signature by the holder of {@code token}, re-authenticated with that same token. */
  static String approve(String token, String disposition) {
    return sign(
        disposition, BOB.equals(token) ? "approved as model-risk owner" : "approved", token);
  }

  static String sign(String disposition, String meaning, String credential) {
    return "mutation { approveDisposition(disposition: \""
        + disposition
        + "\", meaning: \""
        + meaning
        + "\""
        + (credential == null ? "" : ", credential: \"" + credential + "\"")
        + ") { id status subjectHash stale approvals { by role meaning at comment subjectHash"
        + " countsAsApproval } } }";
  }

  /**
   * The four-eyes bypass a review found, over HTTP: a loader's new version of a REGULATED
   * environment's bundle that downgrades it to DEV, adopts the observed values and claims a
   * validation is held (201, status pending) until approvers sign it, and the loader's validation
   * is not honoured.
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
    assertEquals(201, held.statusCode(), held.body());
    assertTrue(held.body().contains("\"status\":\"pending\""), held.body());
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
            + " \"approved\", credential: \""
            + CAROL
            + "\") { status } }");
    JsonNode done =
        gql(
            BOB,
            "mutation { approveBlueprint(bundle: \"gov-model\", version: \"9.0.0\", meaning:"
                + " \"approved as model-risk owner\", credential: \""
                + BOB
                + "\") { status subjectHash approvals { by role subjectHash } } }");
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

    assertEquals("FORBIDDEN", errorCode(ALICE, approve(ALICE, id))); // operators do not approve
    assertEquals(
        "PENDING", ok(CAROL, approve(CAROL, id)).get("approveDisposition").get("status").asText());
    assertEquals("DUPLICATE_APPROVAL", errorCode(CAROL, approve(CAROL, id)));
    assertEquals("MODEL_RISK_APPROVAL_REQUIRED", errorCode(DAVE, approve(DAVE, id)));
    JsonNode approved = ok(BOB, approve(BOB, id)).get("approveDisposition");
    assertEquals("APPROVED", approved.get("status").asText());
    assertEquals("model-risk", approved.at("/approvals/1/role").asText());
    assertEquals("approved as model-risk owner", approved.at("/approvals/1/meaning").asText());
    assertEquals("REVERT_APPROVED", driftStatus(drift));
    assertEquals("ILLEGAL_TRANSITION", errorCode(DAVE, approve(DAVE, id)));

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
    ok(BOB, approve(BOB, id));
    assertEquals(
        "APPROVED", ok(CAROL, approve(CAROL, id)).at("/approveDisposition/status").asText());
    assertEquals("EXCEPTED", driftStatus(drift));

    clock.advance(Duration.ofDays(6));
    var report = server.checkExpiries();
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
                + "\", reason: \"aliases are not allowed\", credential: \""
                + CAROL
                + "\") { status decision } }");
    assertEquals("REJECTED", rejected.at("/rejectDisposition/status").asText());
    assertEquals("OPEN", driftStatus(drift));
    assertEquals("ILLEGAL_TRANSITION", errorCode(BOB, approve(BOB, first)));

    // Erin may both request and approve, but never her own request.
    String second = ok(ERIN, request(drift, "CODIFY", "")).at("/requestDisposition/id").asText();
    assertEquals("SELF_APPROVAL", errorCode(ERIN, approve(ERIN, second)));
    assertEquals("DISPOSITION_NOT_FOUND", errorCode(BOB, approve(BOB, "P-nope")));
    ok(CAROL, approve(CAROL, second));
    ok(BOB, approve(BOB, second));
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
      assertTrue(server.checkExpiries().environmentsExpired().contains("chat-dev"));
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

  // ---- e-signatures (issue 14 medium #6; docs/security.md "E-signatures and identities") ----

  @Test
  void aMeaningOutsideThePacksVocabularyIsRefusedWithTheAllowedOnes() throws Exception {
    String id =
        ok(ALICE, request(driftId("signed-prod", "llm.top_p"), "REVERT", ""))
            .at("/requestDisposition/id")
            .asText();
    // Before: "." and "I do NOT approve this" were counted as approvals.
    for (String meaning : List.of(".", "I do NOT approve this", "approved!")) {
      JsonNode r = gql(CAROL, sign(id, meaning, CAROL));
      assertEquals("MEANING_NOT_ALLOWED", r.at("/errors/0/extensions/code").asText(), r.toString());
      assertTrue(
          r.at("/errors/0/message")
              .asText()
              .contains("reviewed, approved, approved as model-risk owner"),
          r.toString());
    }
    JsonNode vocabulary =
        ok(VIEWER, "{ signatureMeanings { meaning countsAsApproval role } }")
            .get("signatureMeanings");
    assertEquals(
        "[{\"meaning\":\"reviewed\",\"countsAsApproval\":false,\"role\":null},"
            + "{\"meaning\":\"approved\",\"countsAsApproval\":true,\"role\":null},"
            + "{\"meaning\":\"approved as model-risk owner\",\"countsAsApproval\":true,"
            + "\"role\":\"model-risk\"}]",
        vocabulary.toString());
    assertEquals("PENDING", driftDisposition(id).get("status").asText());
  }

  @Test
  void reviewedIsRecordedButIsNotAnApprovalAndModelRiskIsTheSignersRole() throws Exception {
    String id =
        ok(ALICE, request(driftId("signed-prod", "retrieval.top_k"), "REVERT", ""))
            .at("/requestDisposition/id")
            .asText();
    JsonNode reviewed =
        ok(
                CAROL,
                "mutation { approveDisposition(disposition: \""
                    + id
                    + "\", meaning: \"Reviewed\", comment: \"read the rollback plan\", credential:"
                    + " \""
                    + CAROL
                    + "\") { status approvals { meaning comment countsAsApproval subjectHash } } }")
            .get("approveDisposition");
    assertEquals("PENDING", reviewed.get("status").asText());
    assertEquals(
        "{\"meaning\":\"reviewed\",\"comment\":\"read the rollback plan\",\"countsAsApproval\":false,"
            + "\"subjectHash\":\""
            + reviewed.at("/approvals/0/subjectHash").asText()
            + "\"}",
        reviewed.at("/approvals/0").toString());
    assertTrue(reviewed.at("/approvals/0/subjectHash").asText().startsWith("sha256:"));
    // CONTRACT section 3: in REGULATED one approver must hold the role model-risk. Two approvers
    // without it cannot complete it; a review signature never counts.
    assertEquals(
        "PENDING",
        ok(CAROL, sign(id, "approved", CAROL)).at("/approveDisposition/status").asText());
    assertEquals("MODEL_RISK_APPROVAL_REQUIRED", errorCode(DAVE, sign(id, "approved", DAVE)));
    // The meaning the pack reserves for model-risk is for its holders only.
    assertEquals(
        "NOT_AN_APPROVER", errorCode(DAVE, sign(id, "approved as model-risk owner", DAVE)));
    assertEquals("DUPLICATE_APPROVAL", errorCode(CAROL, sign(id, "approved", CAROL)));
    assertEquals("PENDING", driftDisposition(id).get("status").asText());
    // A model-risk holder's plain "approved" is signed in that role and completes it.
    JsonNode done = ok(BOB, sign(id, "approved", BOB)).get("approveDisposition");
    assertEquals("APPROVED", done.get("status").asText(), done.toString());
    assertEquals("APPROVED", driftDisposition(id).get("status").asText());
  }

  @Test
  void anAcceptWhoseObservedValueMovedWhilePendingIsStaleAndNeverTakesEffect() throws Exception {
    String drift = driftId("signed-prod", "llm.temperature");
    String id =
        ok(
                ALICE,
                request(
                    drift,
                    "ACCEPT",
                    ", expiresAt: \"" + clock.instant().plus(Duration.ofDays(5)) + "\""))
            .at("/requestDisposition/id")
            .asText();
    JsonNode requested = driftDisposition(id);
    String hash = requested.get("subjectHash").asText();
    assertTrue(hash.startsWith("sha256:"), requested.toString());
    assertFalse(requested.get("stale").asBoolean());
    ok(BOB, approve(BOB, id));
    // The observed value moves from 0.9 to 1.9 while the ACCEPT waits for its second signature.
    assertEquals(
        201,
        post(
                "/api/v1/snapshots",
                LOADER,
                snapshot(
                    "signed-prod",
                    "2026-10-31T18:00:00Z",
                    "{\"llm\":{\"temperature\":1.9,\"top_p\":0.5},\"retrieval\":{\"top_k\":4},"
                        + "\"routing\":{\"timeout\":60}}"))
            .statusCode());
    assertTrue(driftDisposition(id).get("stale").asBoolean());
    // Before: signed and applied; the drift became EXCEPTED at 1.9.
    JsonNode refused = gql(CAROL, approve(CAROL, id));
    assertEquals(
        "DISPOSITION_STALE", refused.at("/errors/0/extensions/code").asText(), refused.toString());
    assertTrue(refused.at("/errors/0/message").asText().contains("request a new disposition"));
    assertEquals("PENDING_APPROVAL", driftStatus(drift));
    assertEquals("PENDING", driftDisposition(id).get("status").asText());

    // A new request supersedes the stale one and signs the new value.
    String again =
        ok(
                ALICE,
                request(
                    drift,
                    "ACCEPT",
                    ", expiresAt: \"" + clock.instant().plus(Duration.ofDays(5)) + "\""))
            .at("/requestDisposition/id")
            .asText();
    JsonNode old = driftDisposition(id);
    assertEquals("REJECTED", old.get("status").asText());
    assertTrue(old.get("decision").asText().startsWith("stale"), old.toString());
    assertFalse(driftDisposition(again).get("subjectHash").asText().equals(hash));
    ok(BOB, approve(BOB, again));
    assertEquals(
        "APPROVED", ok(CAROL, approve(CAROL, again)).at("/approveDisposition/status").asText());
    assertEquals("EXCEPTED", driftStatus(drift));
    JsonNode trail =
        ok(AUDITOR, "{ auditTrail(environment: \"signed-prod\") { action subject detail } }")
            .get("auditTrail");
    assertTrue(trail.toString().contains("disposition.superseded"), trail.toString());
  }

  @Test
  void signingNeedsTheSignersOwnCredentialEnteredAgain() throws Exception {
    String id =
        ok(ALICE, request(driftId("signed-prod", "routing.timeout"), "REVERT", ""))
            .at("/requestDisposition/id")
            .asText();
    // Over /graphql the bearer token of the request is the signer's own credential (CONTRACT
    // section 5 signs with two arguments); a credential given must still authenticate as the
    // caller.
    assertEquals("REAUTHENTICATION_FAILED", errorCode(CAROL, sign(id, "approved", DAVE)));
    assertEquals(
        "REAUTHENTICATION_FAILED", errorCode(CAROL, sign(id, "approved", "not-a-token-at-all")));
    assertEquals(
        "REAUTHENTICATION_FAILED",
        errorCode(
            CAROL,
            "mutation { rejectDisposition(disposition: \""
                + id
                + "\", reason: \"no\", credential: \""
                + DAVE
                + "\") { id } }"));
    // A viewer is refused for its role first, and learns nothing about credentials.
    assertEquals("FORBIDDEN", errorCode(VIEWER, sign(id, "approved", null)));
    // With a variable, and the credential never reaches the journal.
    HttpResponse<String> r =
        post(
            "/graphql",
            CAROL,
            JSON.writeValueAsString(
                Map.of(
                    "query",
                    "mutation ($c: String) { approveDisposition(disposition: \""
                        + id
                        + "\", meaning: \"approved\", credential: $c) { status } }",
                    "variables",
                    Map.of("c", CAROL))));
    assertFalse(JSON.readTree(r.body()).has("errors"), r.body());
    // The contract's two-argument signature, signed by the bearer token on the request.
    assertEquals(
        "APPROVED",
        ok(
                BOB,
                "mutation { approveDisposition(disposition: \""
                    + id
                    + "\", meaning: \"approved as model-risk owner\") { status } }")
            .at("/approveDisposition/status")
            .asText());
    try (var files = java.nio.file.Files.walk(data.resolve("journal"))) {
      for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        String text = new String(java.nio.file.Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String token : List.of(CAROL, BOB, DAVE)) {
          assertFalse(text.contains(token), "a credential reached the journal in " + f);
        }
      }
    }
  }

  /** One disposition as GraphQL shows it. */
  JsonNode driftDisposition(String id) throws Exception {
    for (JsonNode d :
        ok(VIEWER, "{ dispositions { id status decision subjectHash stale } }")
            .get("dispositions")) {
      if (d.get("id").asText().equals(id)) {
        return d;
      }
    }
    throw new AssertionError("no disposition " + id);
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
