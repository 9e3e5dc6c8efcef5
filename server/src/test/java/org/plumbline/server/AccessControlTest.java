package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.auth.AuthFailures;
import org.plumbline.server.config.ServerConfig;

/**
 * Issue 9 point 4: the RBAC matrix. Every endpoint, query and mutation against every role of
 * CONTRACT section 4, plus no token and a wrong token; each cell is the exact answer expected. The
 * server holds only SHA-256 digests of the tokens (configured as {@code tokenSha256}). The audit
 * ledger is the auditor's (issue 13, issue 14 #10): GraphQL auditTrail, auditTrailPage and
 * verifyAudit need auditor or admin, as the REST export and verify do.
 *
 * <p>Cells: a number is the HTTP status; {@code ok} is a GraphQL answer with no errors; a code name
 * is a GraphQL answer (200) whose first error carries that code. Mutations name things that do not
 * exist, so an allowed role gets the policy's "not found" rather than a change.
 */
class AccessControlTest {
  static final String WRONG = "wrong-token-but-long-enough-0001";

  static final String MATRIX =
      """
      operation            none wrong viewer loader operator approver model-risk auditor admin
      GET /health           200  200   200    200    200      200      200        200     200
      GET /graphiql/        401  401   200    200    200      200      200        200     200
      GET /metrics          401  401   200    200    200      200      200        200     200
      POST blueprints       401  401   403    200    403      403      403        403     200
      POST snapshots        401  401   403    200    403      403      403        403     200
      POST change-requests  401  401   403    200    403      403      403        403     200
      POST prompts          401  401   403    200    403      403      403        403     200
      POST metrics          401  401   403    200    403      403      403        403     200
      POST load/dry-run     401  401   403    200    403      403      403        403     200
      POST gates/promotion  401  401   403    404    404      403      403        403     404
      GET audit/verify      401  401   403    403    403      403      403        200     200
      GET audit/public-key  401  401   403    403    403      403      403        200     200
      GET audit/head        401  401   403    403    403      403      403        200     200
      GET audit/consistency 401  401   403    403    403      403      403        200     200
      GET env/audit         401  401   403    403    403      403      403        200     200
      GET audit/export      401  401   403    403    403      403      403        200     200
      GET sparql            401  401   403    403    403      403      403        200     200
      GET ontology          401  401   200    200    200      200      200        200     200
      POST rulepacks/reload 401  401   403    403    403      403      403        403     200
      POST audit/rotate-key 401  401   403    403    403      403      403        403     200
      POST admin/backup     401  401   403    403    403      403      403        403     200
      POST admin/compact    401  401   403    403    403      403      403        403     200
      POST unknown          401  401   404    404    404      404      404        404     404
      q environments        401  401   ok     ok     ok       ok       ok         ok      ok
      q environment         401  401   ok     ok     ok       ok       ok         ok      ok
      q changes             401  401   ok     ok     ok       ok       ok         ok      ok
      q changesPage         401  401   ok     ok     ok       ok       ok         ok      ok
      q drifts              401  401   ok     ok     ok       ok       ok         ok      ok
      q driftsPage          401  401   ok     ok     ok       ok       ok         ok      ok
      q conformance         401  401   ok     ok     ok       ok       ok         ok      ok
      q dependents          401  401   ok     ok     ok       ok       ok         ok      ok
      q prompt              401  401   ok     ok     ok       ok       ok         ok      ok
      q auditTrail          401  401   FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN ok ok
      q auditTrailPage      401  401   FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN ok ok
      q verifyAudit         401  401   FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN ok ok
      q bundle              401  401   ok     ok     ok       ok       ok         ok      ok
      q metricSeries        401  401   ok     ok     ok       ok       ok         ok      ok
      q dispositions        401  401   ok     ok     ok       ok       ok         ok      ok
      q dispositionsPage    401  401   ok     ok     ok       ok       ok         ok      ok
      q remediations        401  401   ok     ok     ok       ok       ok         ok      ok
      q changeRequests      401  401   ok     ok     ok       ok       ok         ok      ok
      q rulePack            401  401   ok     ok     ok       ok       ok         ok      ok
      q gateDecisions       401  401   ok     ok     ok       ok       ok         ok      ok
      q gateOverrides       401  401   ok     ok     ok       ok       ok         ok      ok
      m requestDisposition  401  401   FORBIDDEN FORBIDDEN DRIFT_NOT_FOUND FORBIDDEN FORBIDDEN FORBIDDEN DRIFT_NOT_FOUND
      m approveDisposition  401  401   FORBIDDEN FORBIDDEN FORBIDDEN DISPOSITION_NOT_FOUND DISPOSITION_NOT_FOUND FORBIDDEN DISPOSITION_NOT_FOUND
      m rejectDisposition   401  401   FORBIDDEN FORBIDDEN FORBIDDEN DISPOSITION_NOT_FOUND DISPOSITION_NOT_FOUND FORBIDDEN DISPOSITION_NOT_FOUND
      m extendEnvironment   401  401   FORBIDDEN FORBIDDEN UNKNOWN_ENVIRONMENT FORBIDDEN FORBIDDEN FORBIDDEN UNKNOWN_ENVIRONMENT
      m recordValidation    401  401   FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN UNKNOWN_BUNDLE_VERSION FORBIDDEN UNKNOWN_BUNDLE_VERSION
      m approveBlueprint    401  401   FORBIDDEN FORBIDDEN FORBIDDEN UNKNOWN_BUNDLE_VERSION UNKNOWN_BUNDLE_VERSION FORBIDDEN UNKNOWN_BUNDLE_VERSION
      m rejectBlueprint     401  401   FORBIDDEN FORBIDDEN FORBIDDEN UNKNOWN_BUNDLE_VERSION UNKNOWN_BUNDLE_VERSION FORBIDDEN UNKNOWN_BUNDLE_VERSION
      m promotionGate       401  401   FORBIDDEN UNKNOWN_BUNDLE_VERSION UNKNOWN_BUNDLE_VERSION FORBIDDEN FORBIDDEN FORBIDDEN UNKNOWN_BUNDLE_VERSION
      m requestGateOverride 401  401   FORBIDDEN FORBIDDEN UNKNOWN_ENVIRONMENT FORBIDDEN FORBIDDEN FORBIDDEN UNKNOWN_ENVIRONMENT
      m approveGateOverride 401  401   FORBIDDEN FORBIDDEN FORBIDDEN GATE_OVERRIDE_NOT_FOUND GATE_OVERRIDE_NOT_FOUND FORBIDDEN GATE_OVERRIDE_NOT_FOUND
      m rejectGateOverride  401  401   FORBIDDEN FORBIDDEN FORBIDDEN GATE_OVERRIDE_NOT_FOUND GATE_OVERRIDE_NOT_FOUND FORBIDDEN GATE_OVERRIDE_NOT_FOUND
      """;

  static final Map<String, String> QUERIES =
      Map.ofEntries(
          Map.entry("environments", "{ environments { id tier } }"),
          Map.entry("environment", "{ environment(id: \"credit-model-prod\") { id } }"),
          Map.entry("changes", "{ changes(environment: \"credit-model-prod\") { key } }"),
          Map.entry("drifts", "{ drifts { id key } }"),
          Map.entry("conformance", "{ conformance(environment: \"credit-model-prod\") { asOf } }"),
          Map.entry(
              "dependents",
              "{ dependents(key: \"prompt.system\", environment: \"credit-model-prod\") }"),
          Map.entry("prompt", "{ prompt(id: \"p\") { id } }"),
          Map.entry("auditTrail", "{ auditTrail { seq action } }"),
          Map.entry(
              "auditTrailPage",
              "{ auditTrailPage(first: 5) { items { seq } pageInfo { endCursor } totalCount } }"),
          Map.entry(
              "changesPage",
              "{ changesPage(environment: \"credit-model-prod\", first: 5) { items { key }"
                  + " pageInfo { hasNextPage } totalCount } }"),
          Map.entry("driftsPage", "{ driftsPage(first: 5) { items { id } totalCount } }"),
          Map.entry(
              "dispositionsPage", "{ dispositionsPage(first: 5) { items { id } totalCount } }"),
          Map.entry("verifyAudit", "{ verifyAudit { valid records } }"),
          Map.entry("bundle", "{ bundle(id: \"credit-model\") { id } }"),
          Map.entry(
              "metricSeries",
              "{ metricSeries(environment: \"credit-model-prod\", metric: \"m\") { window } }"),
          Map.entry("dispositions", "{ dispositions { id } }"),
          Map.entry("remediations", "{ remediations { drift } }"),
          Map.entry("changeRequests", "{ changeRequests { id keys } }"),
          Map.entry("rulePack", "{ rulePack { version activatedSeq } }"),
          Map.entry(
              "gateDecisions",
              "{ gateDecisions(environment: \"credit-model-prod\") { auditSeq decision } }"),
          Map.entry(
              "gateOverrides",
              "{ gateOverrides(environment: \"credit-model-prod\") { id status } }"),
          Map.entry(
              "requestGateOverride",
              "mutation { requestGateOverride(environment: \"missing-env\", bundle: \"missing\","
                  + " version: \"1.0.0\", justification: \"j\", expiresAt:"
                  + " \"2026-12-01T00:00:00Z\") { id } }"),
          Map.entry(
              "approveGateOverride",
              "mutation { approveGateOverride(override: \"G-missing\", meaning: \"approved\")"
                  + " { id } }"),
          Map.entry(
              "rejectGateOverride",
              "mutation { rejectGateOverride(override: \"G-missing\", reason: \"r\") { id } }"),
          Map.entry(
              "requestDisposition",
              "mutation { requestDisposition(drift: \"D-missing\", kind: REVERT, justification:"
                  + " \"j\") { id } }"),
          Map.entry(
              "approveDisposition",
              "mutation { approveDisposition(disposition: \"P-missing\", meaning: \"m\") { id } }"),
          Map.entry(
              "rejectDisposition",
              "mutation { rejectDisposition(disposition: \"P-missing\", reason: \"r\") { id } }"),
          Map.entry(
              "extendEnvironment",
              "mutation { extendEnvironment(environment: \"missing-env\", until:"
                  + " \"2026-12-01T00:00:00Z\", justification: \"j\") { id } }"),
          Map.entry(
              "recordValidation",
              "mutation { recordValidation(bundle: \"missing\", version: \"1.0.0\", evidence:"
                  + " \"e\") { version } }"),
          Map.entry(
              "approveBlueprint",
              "mutation { approveBlueprint(bundle: \"missing\", version: \"1.0.0\", meaning:"
                  + " \"approved\") { status } }"),
          Map.entry(
              "promotionGate",
              "mutation { promotionGate(bundle: \"missing\", version: \"1.0.0\", environment:"
                  + " \"credit-model-prod\") { decision } }"),
          Map.entry(
              "rejectBlueprint",
              "mutation { rejectBlueprint(bundle: \"missing\", version: \"1.0.0\", reason:"
                  + " \"r\") { status } }"));

  @Test
  void everyRoleGetsExactlyItsRightsAndFailuresAreAuditedWithoutTheToken(@TempDir Path data)
      throws Exception {
    // The matrix is about roles; re-authentication at signing has its own test
    // (DispositionsEndToEndTest.signingNeedsTheSignersOwnCredentialEnteredAgain).
    try (SecurityWorld world =
        new SecurityWorld(
            data, c -> hashedTokensOnly(c).withApprovals(new ServerConfig.Approvals(false)))) {
      List<String> lines = MATRIX.lines().filter(l -> !l.isBlank()).toList();
      List<String> columns = List.of(lines.get(0).trim().split("\\s+")).subList(1, 10);
      List<String> mismatches = new ArrayList<>();
      int cells = 0;
      int unauthenticated = 0;
      for (String line : lines.subList(1, lines.size())) {
        String[] parts = line.trim().split("\\s+");
        String operation = parts[0] + " " + parts[1];
        for (int c = 0; c < columns.size(); c++) {
          String expected = parts[2 + c];
          String actual = answer(world, operation, columns.get(c));
          cells++;
          if (expected.equals("401")) {
            unauthenticated++;
          }
          if (!expected.equals(actual)) {
            mismatches.add(
                operation + " as " + columns.get(c) + ": expected " + expected + ", got " + actual);
          }
        }
      }
      assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
      assertEquals(
          55 * 9,
          cells); // 55 operations (the ledger's head and consistency proofs joined) by 9 callers

      // Failed authentications are audited: one record at once, the rest counted when the minute
      // closes. Never the token itself.
      world.ticker.addAndGet(AuthFailures.WINDOW_NANOS + 1);
      world.server.flushAuthFailures().toCompletionStage().toCompletableFuture().join();
      JsonNode trail = world.graphql("auditor", "{ auditTrail { action actor subject detail } }");
      long failures = 0;
      int records = 0;
      for (JsonNode r : trail.at("/data/auditTrail")) {
        if (r.path("action").asText().equals("auth.failed")) {
          records++;
          failures += r.at("/detail/failures").asLong();
          assertEquals("127.0.0.1", r.at("/detail/address").asText(), r.toString());
          assertFalse(r.toString().contains(WRONG), "the audit record holds the token: " + r);
        }
      }
      assertEquals(2, records, trail.toString());
      assertEquals(unauthenticated, failures);
    }
  }

  @Test
  void aPresentedUserIsRecordedAndAFloodWritesOneRecordPerMinute(@TempDir Path data)
      throws Exception {
    try (SecurityWorld world = new SecurityWorld(data, AccessControlTest::hashedTokensOnly)) {
      long before = world.auditCount();
      String basic =
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      ("mallory:" + WRONG).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (int i = 0; i < 500; i++) {
        HttpResponse<String> r = world.sendBytes("GET", "/graphiql/", basic, null, null);
        assertEquals(401, r.statusCode());
      }
      // 500 failures, one record so far (written off the event loop: wait for it).
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (world.auditCount() == before && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(before + 1, world.auditCount());
      world.ticker.addAndGet(AuthFailures.WINDOW_NANOS + 1);
      world.server.flushAuthFailures().toCompletionStage().toCompletableFuture().join();
      assertEquals(before + 2, world.auditCount());
      JsonNode trail = world.graphql("auditor", "{ auditTrail { action actor detail } }");
      JsonNode last = trail.at("/data/auditTrail").get(trail.at("/data/auditTrail").size() - 1);
      assertEquals("auth.failed", last.path("action").asText());
      // Unauthenticated: the actor is anonymous; the name it claimed is data only.
      assertEquals("anonymous", last.path("actor").asText());
      assertEquals("mallory", last.at("/detail/claimedUser").asText());
      assertEquals(499, last.at("/detail/failures").asLong());
      assertEquals("unknown token", last.at("/detail/reason").asText());
      assertFalse(trail.toString().contains(WRONG));
    }
  }

  /** The world's tokens, as a config file should hold them: digests only. */
  static ServerConfig hashedTokensOnly(ServerConfig c) {
    List<ServerConfig.Token> hashed = new ArrayList<>();
    for (ServerConfig.Token t : c.tokens()) {
      hashed.add(ServerConfig.Token.hashed(t.sha256(), t.user(), t.roles(), null));
    }
    return c.withTokens(hashed);
  }

  /** What one cell answers, in the matrix's notation. */
  static String answer(SecurityWorld world, String operation, String column) throws Exception {
    String auth =
        switch (column) {
          case "none" -> null;
          case "wrong" -> "Bearer " + WRONG;
          default -> "Bearer " + SecurityWorld.TOKENS.get(column);
        };
    String[] op = operation.split(" ", 2);
    HttpResponse<String> r;
    if (op[0].equals("q") || op[0].equals("m")) {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("query", QUERIES.get(op[1]));
      r =
          world.sendBytes(
              "POST",
              "/graphql",
              auth,
              "application/json",
              SecurityWorld.JSON.writeValueAsBytes(body));
      if (r.statusCode() != 200) {
        return Integer.toString(r.statusCode());
      }
      JsonNode errors = SecurityWorld.JSON.readTree(r.body()).path("errors");
      return errors.isEmpty() ? "ok" : errors.get(0).at("/extensions/code").asText("?");
    }
    String path =
        switch (op[1]) {
          case "/health", "/graphiql/", "/metrics" -> op[1];
          case "sparql" -> "/sparql?query=ASK%7B%7D";
          case "ontology" -> "/ontology";
          case "env/audit" -> "/api/v1/environments/credit-model-prod/audit";
          case "audit/consistency" -> "/api/v1/audit/consistency?first=1";
          case "unknown" -> "/api/v1/unknown";
          default -> "/api/v1/" + op[1];
        };
    String type = null;
    byte[] body = null;
    if (op[1].equals("blueprints")) {
      type = "application/yaml";
      body = EndToEndTest.BLUEPRINT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else if (op[1].equals("change-requests")) {
      // Replays of what the world stored: an allowed role gets 200 "unchanged".
      type = "application/json";
      body = SecurityWorld.CHANGE_REQUESTS.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else if (op[1].equals("metrics")) {
      type = "application/json";
      body = SecurityWorld.METRIC.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else if (op[1].equals("gates/promotion")) {
      // A version that does not exist: an allowed role gets the gate's "not found".
      type = "application/json";
      body =
          "{\"bundle\":\"missing\",\"version\":\"1.0.0\",\"environment\":\"credit-model-prod\"}"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else if (op[1].equals("prompts")) {
      type = "application/json";
      body = SecurityWorld.PROMPT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else if (op[1].equals("load/dry-run")) {
      // A rehearsal of a snapshot: an allowed role gets 200 and nothing is stored.
      type = "application/json";
      body =
          SecurityWorld.JSON.writeValueAsBytes(
              Map.of(
                  "files",
                  List.of(
                      Map.of(
                          "name",
                          "snapshot.json",
                          "documents",
                          List.of(
                              Map.of(
                                  "kind",
                                  "snapshot",
                                  "body",
                                  EndToEndTest.snapshot(
                                      "credit-model-prod",
                                      "2026-11-01T10:00:00Z",
                                      EndToEndTest.config(0.3, "gpt-4o-2024-08-06", 0.8))))))));
    } else if (op[1].equals("snapshots")) {
      type = "application/json";
      body =
          EndToEndTest.snapshot(
                  "credit-model-prod",
                  "2026-11-01T10:00:00Z",
                  EndToEndTest.config(0.3, "gpt-4o-2024-08-06", 0.8))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    r = world.sendBytes(op[0], path, auth, type, body);
    return Integer.toString(r.statusCode());
  }
}
