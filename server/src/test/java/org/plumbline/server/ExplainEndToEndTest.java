package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.config.ServerConfig;

/**
 * Explain, end to end over HTTP with the real server, TDB2 on disk and a copy of the shipped rule
 * packs: every finding from real snapshots, blast radius, authorization by change requests posted
 * before and after the drift, transitive re-evaluation through a dependency cycle, the prompt
 * registry's re-evaluation flags, and rule-pack reloads that activate only a pack that compiles and
 * passes its own golden cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "explain-loader-token-01";
  static final String VIEWER = "explain-viewer-token-01";
  static final String OPERATOR = "explain-operator-token-1";
  static final String ADMIN = "explain-admin-token-0001";

  static final String PROMPT = "You answer questions about loans. Cite the policy section.";

  /**
   * Dependencies with a cycle: llm.temperature on prompt.system, prompt.system on model.version,
   * model.version on llm.temperature; guardrails.* on model.version.
   */
  static final String BLUEPRINT =
      """
      bundle: assistant
      version: 1.0.0
      environments:
        - { id: a-prod, tier: PROD, owner: team-a, system: assistant }
        - { id: a-staging, tier: STAGING, owner: team-a, system: assistant }
        - { id: a-regulated, tier: REGULATED, owner: team-risk, system: assistant }
      config:
        model: { version: gpt-4o-2024-08-06 }
        llm: { temperature: 0.3, max_tokens: 800 }
        prompt: { system: "%s" }
        guardrails: { enabled: true, toxicity: { threshold: 0.8 } }
        retrieval: { top_k: 8 }
        embedding: { model: text-embedding-3-large }
        flags: { beta: false }
      dependencies:
        - { key: llm.temperature, dependsOn: [prompt.system] }
        - { key: prompt.system, dependsOn: [model.version] }
        - { key: model.version, dependsOn: [llm.temperature] }
        - { key: "guardrails.*", dependsOn: [model.version] }
        - { key: "retrieval.*", dependsOn: [embedding.model] }
      """
          .formatted(PROMPT);

  static final List<String> MODEL_DEPENDENTS =
      List.of(
          "guardrails.enabled",
          "guardrails.toxicity.threshold",
          "llm.temperature",
          "prompt.system");

  @TempDir static Path temp;
  Path rules;
  PlumblineServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    rules = temp.resolve("rules");
    copyPack(Path.of("../rules/packs/default"), rules.resolve("packs/default"));
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(temp.resolve("data"))
            .withRules(rules)
            .withTokens(
                List.of(
                    new ServerConfig.Token(LOADER, "ci-loader", Set.of("loader")),
                    new ServerConfig.Token(VIEWER, "victor", Set.of("viewer")),
                    new ServerConfig.Token(OPERATOR, "alice", Set.of("operator")),
                    new ServerConfig.Token(ADMIN, "root", Set.of("admin"))));
    server =
        PlumblineServer.start(
            config, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
    assertEquals(
        201, post("/api/v1/blueprints", LOADER, "application/yaml", BLUEPRINT).statusCode());

    // A window approved before the staging change happens.
    assertEquals(
        201,
        post(
                "/api/v1/change-requests",
                LOADER,
                "application/json",
                changeRequest("CHG-1", "a-staging", "llm.*", "2026-09-05", "2026-09-15"))
            .statusCode());

    for (String env : List.of("a-prod", "a-staging", "a-regulated")) {
      ingest(env, "2026-09-01T08:00:00Z", blueprintValues());
    }
    // a-prod: an alias, an undeclared key, a missing key, a flag left on, and a toxicity threshold
    // relaxed in three small steps.
    Map<String, Object> prod = blueprintValues();
    prod.put("model.version", "gpt-4o");
    prod.put("debug.verbose", true);
    prod.remove("retrieval.top_k");
    prod.put("flags.beta", true);
    prod.put("guardrails.toxicity.threshold", 0.77);
    ingest("a-prod", "2026-09-10T08:00:00Z", prod);
    prod.put("guardrails.toxicity.threshold", 0.74);
    ingest("a-prod", "2026-09-20T08:00:00Z", prod);
    prod.put("guardrails.toxicity.threshold", 0.71);
    ingest("a-prod", "2026-10-01T08:00:00Z", prod);
    ingest("a-prod", "2026-11-20T08:00:00Z", prod);

    // a-staging: the same alias (blast radius) and a temperature change inside CHG-1's window.
    Map<String, Object> staging = blueprintValues();
    staging.put("model.version", "gpt-4o");
    staging.put("llm.temperature", 0.5);
    ingest("a-staging", "2026-09-10T08:00:00Z", staging);

    // a-regulated: guardrails switched off.
    Map<String, Object> regulated = blueprintValues();
    regulated.put("guardrails.enabled", false);
    ingest("a-regulated", "2026-09-10T08:00:00Z", regulated);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  // ---- findings, blast radius, re-evaluation ----

  @Test
  void everyFindingComesFromRealSnapshots() throws Exception {
    Map<String, JsonNode> prod = driftsByKey("a-prod");
    assertEquals(
        List.of(
            "debug.verbose",
            "flags.beta",
            "guardrails.toxicity.threshold",
            "model.version",
            "retrieval.top_k"),
        new ArrayList<>(prod.keySet()));
    assertEquals(List.of("UNEXPECTED_KEY"), findings(prod.get("debug.verbose")));
    assertEquals(List.of("STALE_FLAG"), findings(prod.get("flags.beta")));
    assertTrue(
        explanation(prod.get("flags.beta"))
            .contains("the flag has differed from the blueprint for 71 days (STALE_FLAG)"));
    assertEquals(
        List.of("GRADUAL_RELAXATION"), findings(prod.get("guardrails.toxicity.threshold")));
    assertEquals(0.71, prod.get("guardrails.toxicity.threshold").get("actual").asDouble());
    assertEquals(
        List.of("ALIAS_MODEL_VERSION", "REEVALUATE_DEPENDENTS"),
        findings(prod.get("model.version")));
    assertEquals(List.of("MISSING_KEY"), findings(prod.get("retrieval.top_k")));

    JsonNode guardrails = driftsByKey("a-regulated").get("guardrails.enabled");
    assertEquals(List.of("GUARDRAIL_DISABLED"), findings(guardrails));
    assertEquals("CRITICAL", guardrails.at("/assessment/severity").asText());
    assertEquals("team-risk", guardrails.at("/assessment/owner").asText());
  }

  @Test
  void blastRadiusNamesTheOtherEnvironmentsWithTheSameValue() throws Exception {
    JsonNode prodModel = driftsByKey("a-prod").get("model.version");
    assertEquals("[\"a-staging\"]", prodModel.at("/assessment/blastRadius").toString());
    assertTrue(
        explanation(prodModel).contains("Blast radius: shared by 1 other environment: a-staging."));
    JsonNode stagingModel = driftsByKey("a-staging").get("model.version");
    assertEquals("[\"a-prod\"]", stagingModel.at("/assessment/blastRadius").toString());
    // a-regulated still runs the pinned model: it is outside the blast radius.
    JsonNode threshold = driftsByKey("a-prod").get("guardrails.toxicity.threshold");
    assertEquals("[]", threshold.at("/assessment/blastRadius").toString());
  }

  @Test
  void dependentsAreTransitiveThroughACycleFromTheStoredGraph() throws Exception {
    JsonNode data =
        graphql(
            "{ model: dependents(key: \"model.version\", environment: \"a-prod\")"
                + " temperature: dependents(key: \"llm.temperature\", environment: \"a-prod\")"
                + " leaf: dependents(key: \"guardrails.enabled\", environment: \"a-prod\")"
                + " embedding: dependents(key: \"embedding.model\", environment: \"a-regulated\") }");
    assertEquals(MODEL_DEPENDENTS, strings(data.get("model")));
    assertEquals(
        List.of(
            "guardrails.enabled",
            "guardrails.toxicity.threshold",
            "model.version",
            "prompt.system"),
        strings(data.get("temperature")));
    assertEquals(List.of(), strings(data.get("leaf")));
    assertEquals(List.of("retrieval.top_k"), strings(data.get("embedding")));

    JsonNode model = driftsByKey("a-prod").get("model.version");
    assertEquals(MODEL_DEPENDENTS, strings(model.at("/assessment/reevaluate")));
    assertTrue(
        explanation(model).contains("Re-evaluate: " + String.join(", ", MODEL_DEPENDENTS) + "."));
  }

  // ---- authorization ----

  @Test
  void aChangeRequestCoveringTheDriftAuthorizesIt() throws Exception {
    Map<String, JsonNode> staging = driftsByKey("a-staging");
    JsonNode temperature = staging.get("llm.temperature");
    assertEquals("AUTHORIZED", temperature.at("/assessment/authorization").asText());
    assertEquals("[\"CHG-1\"]", temperature.at("/assessment/changeRequests").toString());
    assertTrue(
        explanation(temperature)
            .contains(
                "Authorized by change request CHG-1: its window covered the first observation."));
    // The same request does not cover another key.
    assertEquals(
        "ANOMALOUS", staging.get("model.version").at("/assessment/authorization").asText());
  }

  @Test
  void aChangeRequestPostedAfterTheDriftReassessesIt() throws Exception {
    JsonNode before = driftsByKey("a-regulated").get("guardrails.enabled");
    assertEquals("ANOMALOUS", before.at("/assessment/authorization").asText());

    HttpResponse<String> r =
        post(
            "/api/v1/change-requests",
            LOADER,
            "application/json",
            changeRequest("CHG-2", "a-regulated", "guardrails.*", "2026-09-09", "2026-09-11"));
    assertEquals(201, r.statusCode(), r.body());
    JsonNode summary = JSON.readTree(r.body());
    assertEquals("created", summary.get("status").asText());
    assertEquals("[\"CHG-2\"]", summary.get("stored").toString());
    assertEquals(
        "[\"" + before.get("id").asText() + "\"]", summary.get("driftsReassessed").toString());

    JsonNode after = driftsByKey("a-regulated").get("guardrails.enabled");
    assertEquals("AUTHORIZED", after.at("/assessment/authorization").asText());
    assertEquals("[\"CHG-2\"]", after.at("/assessment/changeRequests").toString());
    assertEquals(
        "CRITICAL", after.at("/assessment/severity").asText(), "authorization changes no severity");
    JsonNode audit =
        graphql(ADMIN, "{ auditTrail(environment: \"a-regulated\") { action subject detail } }")
            .get("auditTrail");
    JsonNode last = audit.get(audit.size() - 1);
    assertEquals("drift.reassessed", last.get("action").asText());
    assertEquals(before.get("id").asText(), last.get("subject").asText());
    assertEquals("ANOMALOUS", last.at("/detail/previousAuthorization").asText());
    assertEquals("changerequest.recorded", audit.get(audit.size() - 2).get("action").asText());

    // An identical replay stores nothing; the same id with other content is refused.
    long records = auditCount();
    HttpResponse<String> replay =
        post(
            "/api/v1/change-requests",
            LOADER,
            "application/json",
            changeRequest("CHG-2", "a-regulated", "guardrails.*", "2026-09-09", "2026-09-11"));
    assertEquals(200, replay.statusCode(), replay.body());
    assertEquals("unchanged", JSON.readTree(replay.body()).get("status").asText());
    HttpResponse<String> conflict =
        post(
            "/api/v1/change-requests",
            LOADER,
            "application/json",
            changeRequest("CHG-2", "a-regulated", "guardrails.*", "2026-09-09", "2026-09-12"));
    assertEquals(409, conflict.statusCode(), conflict.body());
    assertEquals("CHANGE_REQUEST_CONFLICT", errorCode(conflict));
    assertEquals(records, auditCount());

    JsonNode listed =
        graphql(
                "{ changeRequests(environment: \"a-regulated\") { id keys from until approvedBy } }")
            .get("changeRequests");
    assertEquals(
        "[{\"id\":\"CHG-2\",\"keys\":[\"guardrails.*\"],\"from\":\"2026-09-09T00:00:00Z\","
            + "\"until\":\"2026-09-11T00:00:00Z\",\"approvedBy\":\"cab\"}]",
        listed.toString());
  }

  @Test
  void badChangeRequestsAreRefusedWholeWithACode() throws Exception {
    long records = auditCount();
    HttpResponse<String> invalid =
        post(
            "/api/v1/change-requests",
            LOADER,
            "application/json",
            "[{\"id\":\"CHG-9\",\"environment\":\"a-prod\",\"keys\":[],\"from\":\"2026-09-03T00:00:00Z\","
                + "\"until\":\"2026-09-01T00:00:00Z\",\"approvedBy\":\"cab\"}]");
    assertEquals(400, invalid.statusCode());
    assertEquals("INVALID_CHANGE_REQUEST", errorCode(invalid));
    assertTrue(invalid.body().contains("/0/keys: must not be empty"), invalid.body());

    String good = changeRequest("CHG-10", "a-prod", "llm.*", "2026-09-01", "2026-09-02");
    String unknown = changeRequest("CHG-11", "nowhere", "llm.*", "2026-09-01", "2026-09-02");
    HttpResponse<String> mixed =
        post(
            "/api/v1/change-requests",
            LOADER,
            "application/json",
            "[" + good.substring(1, good.length() - 1) + "," + unknown.substring(1));
    assertEquals(404, mixed.statusCode(), mixed.body());
    assertEquals("UNKNOWN_ENVIRONMENT", errorCode(mixed));
    assertTrue(mixed.body().contains("/1/environment"), mixed.body());
    assertEquals(
        "[]",
        graphql("{ changeRequests(environment: \"a-prod\") { id } }")
            .get("changeRequests")
            .toString());

    // Change requests are data a loader imports; operators request dispositions, not windows.
    assertEquals(
        403, post("/api/v1/change-requests", OPERATOR, "application/json", good).statusCode());
    assertEquals(403, post("/api/v1/prompts", VIEWER, "application/json", "{}").statusCode());
    assertEquals(records, auditCount());
  }

  // ---- prompts ----

  @Test
  void promptVersionsCarryHashesEvidenceAndReevaluationFlags() throws Exception {
    String older = prompt("1.9.0", "You answer questions about loans.", "gpt-4o-2024-08-06");
    String current = prompt("1.10.0", PROMPT, "gpt-4o-2024-08-06");
    String candidate = prompt("1.10.0-rc.1", PROMPT, "gpt-4o-2024-08-06");
    String retested = prompt("2.0.0", PROMPT, "gpt-4o");
    for (String p : List.of(current, older, retested, candidate)) {
      HttpResponse<String> r = post("/api/v1/prompts", LOADER, "application/json", p);
      assertEquals(201, r.statusCode(), r.body());
    }
    HttpResponse<String> replay = post("/api/v1/prompts", LOADER, "application/json", current);
    assertEquals(200, replay.statusCode(), replay.body());
    JsonNode summary = JSON.readTree(replay.body());
    assertEquals("unchanged", summary.get("status").asText());
    assertTrue(summary.get("needsReevaluation").asBoolean());
    assertEquals("[\"a-prod\",\"a-regulated\",\"a-staging\"]", summary.get("runningIn").toString());

    HttpResponse<String> conflict =
        post(
            "/api/v1/prompts",
            LOADER,
            "application/json",
            current.replace("\"evalScore\": 0.93", "\"evalScore\": 0.99"));
    assertEquals(409, conflict.statusCode(), conflict.body());
    assertEquals("PROMPT_CONFLICT", errorCode(conflict));
    HttpResponse<String> invalid =
        post(
            "/api/v1/prompts",
            LOADER,
            "application/json",
            "{\"id\": \"loan-assistant\", \"version\": \"v2\", \"evalScore\": \"good\"}");
    assertEquals(400, invalid.statusCode());
    assertEquals("INVALID_PROMPT", errorCode(invalid));
    assertTrue(invalid.body().contains("/version: must be a semantic version"), invalid.body());
    assertTrue(invalid.body().contains("/text: is required"), invalid.body());
    assertTrue(invalid.body().contains("/evalScore: must be a number"), invalid.body());

    JsonNode versions =
        graphql(
                "{ prompt(id: \"loan-assistant\") { id versions { version contentHash testedWithModel"
                    + " evalScore evalSuite verifiedAt needsReevaluation"
                    + " deployments { environment model needsReevaluation } } } }")
            .at("/prompt/versions");
    assertEquals(
        List.of("1.9.0", "1.10.0-rc.1", "1.10.0", "2.0.0"),
        versions.findValuesAsText("version"),
        "semantic-version order, not text order");
    JsonNode v110 = versions.get(2);
    assertEquals("sha256:" + sha256(PROMPT), v110.get("contentHash").asText());
    assertEquals(0.93, v110.get("evalScore").asDouble());
    assertEquals("loan-qa-v2", v110.get("evalSuite").asText());
    assertEquals("2026-08-01T00:00:00Z", v110.get("verifiedAt").asText());
    // Tested with the pinned model; a-prod and a-staging run the text with the alias.
    assertTrue(v110.get("needsReevaluation").asBoolean());
    assertEquals(
        "[{\"environment\":\"a-prod\",\"model\":\"gpt-4o\",\"needsReevaluation\":true},"
            + "{\"environment\":\"a-regulated\",\"model\":\"gpt-4o-2024-08-06\",\"needsReevaluation\":false},"
            + "{\"environment\":\"a-staging\",\"model\":\"gpt-4o\",\"needsReevaluation\":true}]",
        v110.get("deployments").toString());
    // The older text runs nowhere: nothing to re-evaluate.
    assertFalse(versions.get(0).get("needsReevaluation").asBoolean());
    assertEquals("[]", versions.get(0).get("deployments").toString());
    // Re-tested with the alias: now the regulated environment, on the pinned model, is the one.
    assertTrue(versions.get(3).get("needsReevaluation").asBoolean());
    assertEquals(
        List.of(false, true, false),
        versions.get(3).get("deployments").findValues("needsReevaluation").stream()
            .map(JsonNode::asBoolean)
            .toList());
    assertTrue(graphql("{ prompt(id: \"no-such-prompt\") { id } }").get("prompt").isNull());
  }

  // ---- rule-pack reload ----

  @Test
  void reloadActivatesOnlyAPackThatCompilesAndPassesItsCases() throws Exception {
    String shipped = server.rulePack().version();
    Path pack = rules.resolve("packs/default");

    HttpResponse<String> same = post("/api/v1/rulepacks/reload", ADMIN, "application/json", "");
    assertEquals(200, same.statusCode(), same.body());
    assertEquals(shipped, JSON.readTree(same.body()).get("rulePackVersion").asText());
    assertEquals(
        403, post("/api/v1/rulepacks/reload", LOADER, "application/json", "").statusCode());

    // A compile error names file and line; the working pack stays active.
    Path broken = pack.resolve("broken.drl");
    Files.writeString(
        broken,
        "package org.plumbline.rules.pack;\nimport org.plumbline.rules.DriftFacts;\n"
            + "rule \"broken\"\nwhen\n    DriftFacts( key == )\nthen\nend\n");
    HttpResponse<String> compile = post("/api/v1/rulepacks/reload", ADMIN, "application/json", "");
    assertEquals(422, compile.statusCode(), compile.body());
    assertEquals("PACK_COMPILE_FAILED", errorCode(compile));
    assertTrue(compile.body().contains("broken.drl:5: "), compile.body());
    assertEquals(shipped, server.rulePack().version());
    Files.delete(broken);

    // A new rule that loops on its own case is stopped by the budget: the case fails, the pack is
    // refused, the working pack stays active.
    Path loop = pack.resolve("loop.drl");
    Files.writeString(
        loop,
        """
        package org.plumbline.rules.pack;
        import org.plumbline.rules.DriftFacts;
        import org.plumbline.rules.pack.AssessmentDraft;
        rule "experiment: flip forever"
        when
            $a : AssessmentDraft( criticalOverride == true || criticalOverride == false )
            DriftFacts( key == "experiment.loop" )
        then
            modify( $a ) { setCriticalOverride( !$a.isCriticalOverride() ) }
        end
        """);
    Path loopCase = pack.resolve("tests/loop.json");
    Files.writeString(
        loopCase,
        """
        [ { "name": "the experiment settles",
            "facts": { "tier": "DEV", "key": "experiment.loop", "expected": 1, "actual": 2 },
            "expected": { "severity": "MEDIUM" } } ]
        """);
    HttpResponse<String> looping = post("/api/v1/rulepacks/reload", ADMIN, "application/json", "");
    assertEquals(422, looping.statusCode(), looping.body());
    assertEquals("PACK_TEST_FAILED", errorCode(looping));
    assertTrue(
        looping.body().contains("loop.json: the experiment settles: error PACK_INCOMPLETE"),
        looping.body());
    assertTrue(looping.body().contains("did not settle"), looping.body());
    assertEquals(shipped, server.rulePack().version());
    Files.delete(loop);
    Files.delete(loopCase);

    // A policy change: PROD MEDIUM drifts now need two approvals. The table alone fails the
    // golden case that states the old policy; with the case updated the pack is activated.
    Path table = pack.resolve("approvals.drl.csv");
    String original = Files.readString(table);
    String row = "\"approvals: prod medium\",\"PROD\",\"MEDIUM\",\"1\",\"approver\"";
    assertTrue(original.contains(row));
    Files.writeString(table, original.replace(row, row.replace("\"1\"", "\"2\"")));
    HttpResponse<String> stale = post("/api/v1/rulepacks/reload", ADMIN, "application/json", "");
    assertEquals(422, stale.statusCode(), stale.body());
    assertTrue(stale.body().contains("3 of "), stale.body());
    assertTrue(
        stale.body().contains("PROD MEDIUM needs 1: expected requiredApprovals 1, got 2"),
        stale.body());
    Path cases = pack.resolve("tests/approvals.json");
    String originalCases = Files.readString(cases);
    Path behaviourCases = pack.resolve("tests/behaviour.json");
    String originalBehaviour = Files.readString(behaviourCases);
    // Three cases state the old policy: the table row itself, and a configuration drift and a
    // behavioural drift that land on it.
    Files.writeString(
        behaviourCases,
        originalBehaviour.replace(
            "\"metric\": {\"psi\": 0.12}},\n    \"expected\": {\"severity\": \"MEDIUM\", \"requiredApprovals\": 1",
            "\"metric\": {\"psi\": 0.12}},\n    \"expected\": {\"severity\": \"MEDIUM\", \"requiredApprovals\": 2"));
    Files.writeString(
        cases,
        originalCases
            .replace(
                "\"approvals\": {\"tier\": \"PROD\", \"severity\": \"MEDIUM\"},\n    \"expected\": {\"requiredApprovals\": 1",
                "\"approvals\": {\"tier\": \"PROD\", \"severity\": \"MEDIUM\"},\n    \"expected\": {\"requiredApprovals\": 2")
            .replace(
                "\"actual\": 0.7},\n    \"expected\": {\"severity\": \"MEDIUM\", \"requiredApprovals\": 1",
                "\"actual\": 0.7},\n    \"expected\": {\"severity\": \"MEDIUM\", \"requiredApprovals\": 2"));
    HttpResponse<String> activated =
        post("/api/v1/rulepacks/reload", ADMIN, "application/json", "");
    assertEquals(200, activated.statusCode(), activated.body());
    String edited = JSON.readTree(activated.body()).get("rulePackVersion").asText();
    assertNotEquals(shipped, edited);
    assertEquals(shipped, JSON.readTree(activated.body()).get("previous").asText());
    assertEquals(edited, server.rulePack().version());
    JsonNode audit = graphql(ADMIN, "{ auditTrail { action subject detail } }").get("auditTrail");
    JsonNode last = audit.get(audit.size() - 1);
    assertEquals("rulepack.activated", last.get("action").asText());
    assertEquals(edited, last.get("subject").asText());

    // Put the shipped policy back, so the other tests see it whatever the order.
    Files.writeString(table, original);
    Files.writeString(cases, originalCases);
    Files.writeString(behaviourCases, originalBehaviour);
    assertEquals(200, post("/api/v1/rulepacks/reload", ADMIN, "application/json", "").statusCode());
    assertEquals(shipped, server.rulePack().version());
  }

  // ---- helpers ----

  static Map<String, Object> blueprintValues() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("model.version", "gpt-4o-2024-08-06");
    v.put("llm.temperature", 0.3);
    v.put("llm.max_tokens", 800);
    v.put("prompt.system", PROMPT);
    v.put("guardrails.enabled", true);
    v.put("guardrails.toxicity.threshold", 0.8);
    v.put("retrieval.top_k", 8);
    v.put("embedding.model", "text-embedding-3-large");
    v.put("flags.beta", false);
    return v;
  }

  void ingest(String env, String at, Map<String, Object> flat) throws Exception {
    ObjectNode config = JSON.createObjectNode();
    flat.forEach(
        (key, value) -> {
          String[] parts = key.split("\\.");
          ObjectNode o = config;
          for (int i = 0; i < parts.length - 1; i++) {
            o = o.withObjectProperty(parts[i]);
          }
          o.set(parts[parts.length - 1], JSON.valueToTree(value));
        });
    ObjectNode snapshot = JSON.createObjectNode().put("environment", env).put("observedAt", at);
    snapshot.set("config", config);
    HttpResponse<String> r =
        post("/api/v1/snapshots", LOADER, "application/json", snapshot.toString());
    assertEquals(201, r.statusCode(), r.body());
  }

  static String changeRequest(String id, String env, String glob, String fromDay, String untilDay) {
    return "[{\"id\":\""
        + id
        + "\",\"environment\":\""
        + env
        + "\",\"keys\":[\""
        + glob
        + "\"],\"from\":\""
        + fromDay
        + "T00:00:00Z\",\"until\":\""
        + untilDay
        + "T00:00:00Z\",\"approvedBy\":\"cab\"}]";
  }

  static String prompt(String version, String text, String model) {
    return """
        {"id": "loan-assistant", "version": "%s", "text": "%s", "testedWithModel": "%s",
         "evalScore": 0.93, "evalSuite": "loan-qa-v2", "verifiedAt": "2026-08-01T00:00:00Z"}
        """
        .formatted(version, text, model);
  }

  Map<String, JsonNode> driftsByKey(String env) throws Exception {
    JsonNode drifts =
        graphql(
                "{ drifts(environment: \""
                    + env
                    + "\", status: [OPEN]) { id key actual assessment { severity authorization"
                    + " changeRequests owner blastRadius reevaluate findings explanation } } }")
            .get("drifts");
    Map<String, JsonNode> byKey = new java.util.TreeMap<>();
    drifts.forEach(d -> byKey.put(d.get("key").asText(), d));
    return byKey;
  }

  static List<String> findings(JsonNode drift) {
    return strings(drift.at("/assessment/findings"));
  }

  static String explanation(JsonNode drift) {
    return drift.at("/assessment/explanation").asText();
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
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
    JsonNode audit = graphql(ADMIN, "{ verifyAudit { valid records } }").get("verifyAudit");
    assertTrue(audit.get("valid").asBoolean());
    return audit.get("records").asLong();
  }

  static String errorCode(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).at("/error/code").asText();
  }

  HttpResponse<String> post(String path, String token, String type, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
            .header("Content-Type", type)
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static void copyPack(Path from, Path to) throws Exception {
    Files.createDirectories(to.resolve("tests"));
    try (Stream<Path> files = Stream.concat(Files.list(from), Files.list(from.resolve("tests")))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(from.relativize(f).toString()));
      }
    }
  }
}
