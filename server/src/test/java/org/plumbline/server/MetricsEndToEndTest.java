package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.SettableClock;
import org.plumbline.server.config.ServerConfig;

/**
 * A behavioural metric through HTTP, from baseline to persistent drift to disposition, with the
 * drift in GraphQL's drifts, conformance and metricSeries, in the audit ledger and at a webhook;
 * and every kind of invalid sample refused with its code and nothing stored. Samples come from
 * fixed seeds, so every number is reproducible.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "tok-loader-0000000001";
  static final String ALICE = "tok-alice-operator-01";
  static final String BOB = "tok-bob-model-risk-01";
  static final String CAROL = "tok-carol-approver-01";
  static final String VIEWER = "tok-viewer-0000000001";
  static final String AUDITOR = "tok-dana-auditor-00001";
  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  static final String CHAT =
      """
      bundle: chat
      version: 1.0.0
      environments:
        - { id: chat-prod, tier: PROD, owner: team-cx, system: chat }
        - { id: chat-dev, tier: DEV, owner: team-cx, system: chat }
      config: { llm: { temperature: 0.5 } }
      """;

  @TempDir static Path data;
  final SettableClock clock = new SettableClock(START);
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  HttpServer receiver;
  PlumblineServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          received.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
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
                token(AUDITOR, "dana", "auditor"),
                token(VIEWER, "victor", "viewer")),
            Duration.ofHours(1),
            ServerConfig.DEFAULT_BODY_LIMIT,
            List.of(
                new ServerConfig.Webhook(
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "secret",
                    List.of("drift.opened", "drift.closed"))));
    server = PlumblineServer.start(config, clock);
    assertEquals(201, post("/api/v1/blueprints", LOADER, CHAT).statusCode());
    // The configuration matches its blueprint: only behaviour will drift.
    for (String env : List.of("chat-prod", "chat-dev")) {
      String snapshot =
          "{\"environment\":\""
              + env
              + "\",\"observedAt\":\"2026-10-31T12:00:00Z\",\"config\":{\"llm\":{\"temperature\":0.5}}}";
      assertEquals(201, post("/api/v1/snapshots", LOADER, snapshot).statusCode());
    }
  }

  @AfterAll
  void stop() {
    server.close();
    receiver.stop(0);
  }

  @Test
  void aMetricGoesFromBaselineThroughPersistentDriftToACodifiedBaseline() throws Exception {
    JsonNode baseline = created(lengths("chat-prod", "2026-09-28", true, 400, 1));
    assertTrue(baseline.get("baseline").asBoolean());
    HttpResponse<String> replay =
        post("/api/v1/metrics", LOADER, lengths("chat-prod", "2026-09-28", true, 400, 1));
    assertEquals(200, replay.statusCode(), replay.body());
    assertEquals("unchanged", JSON.readTree(replay.body()).get("status").asText());

    // two weeks as usual, then outputs grow: the third week beyond threshold opens a drift
    String[] weeks = {"2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"};
    int[] means = {400, 400, 450, 450, 450};
    List<JsonNode> summaries = new ArrayList<>();
    for (int i = 0; i < weeks.length; i++) {
      summaries.add(created(lengths("chat-prod", weeks[i], false, means[i], 10 + i)));
    }
    assertEquals(
        List.of("STABLE", "STABLE", "BREACH", "BREACH", "DRIFT"),
        summaries.stream().map(s -> s.get("windowStatus").asText()).toList());
    JsonNode opening = summaries.get(4);
    assertEquals("opened", opening.get("driftEvent").asText());
    String drift = opening.get("drift").asText();

    JsonNode d =
        ok(
                VIEWER,
                "{ drifts(environment: \"chat-prod\", status: [OPEN]) { id key kind expected actual"
                    + " assessment { riskCategory severity findings requiredApprovals explanation } } }")
            .at("/drifts/0");
    assertEquals(drift, d.get("id").asText());
    assertEquals("metrics.output.length", d.get("key").asText());
    assertEquals("METRIC", d.get("kind").asText());
    assertEquals(
        "{\"baseline\":\"2026-09-28\",\"kind\":\"CONTINUOUS\",\"psiBelow\":0.1}",
        d.get("expected").toString());
    assertEquals("2026-11-02", d.at("/actual/window").asText());
    assertEquals(opening.get("psi").asDouble(), d.at("/actual/psi").asDouble());
    assertEquals(opening.get("statistic").asDouble(), d.at("/actual/ksStatistic").asDouble());
    assertEquals(3, d.at("/actual/windowsBeyond").asInt());
    assertEquals("GOVERNANCE", d.at("/assessment/riskCategory").asText());
    assertEquals("[\"BEHAVIOURAL_DRIFT\"]", d.at("/assessment/findings").toString());
    String effect = opening.get("effect").asText();
    String severity = effect.equals("CRITICAL") ? "CRITICAL" : "HIGH"; // PROD raises one step
    assertTrue(effect.matches("SIGNIFICANT|CRITICAL"), effect);
    assertEquals(severity, d.at("/assessment/severity").asText());
    assertEquals(2, d.at("/assessment/requiredApprovals").asInt());
    assertTrue(
        d.at("/assessment/explanation")
            .asText()
            .contains("window 2026-11-02 against baseline 2026-09-28 has PSI"),
        d.toString());

    JsonNode series =
        ok(
                VIEWER,
                "{ metricSeries(environment: \"chat-prod\", metric: \"output.length\") {"
                    + " seq window kind statistic pValue psi status baseline effect beyondThreshold } }")
            .get("metricSeries");
    assertEquals(5, series.size());
    for (int i = 0; i < 5; i++) {
      JsonNode w = series.get(i);
      assertEquals(i + 1, w.get("seq").asInt());
      assertEquals(weeks[i], w.get("window").asText());
      assertEquals("CONTINUOUS", w.get("kind").asText());
      assertEquals("2026-09-28", w.get("baseline").asText());
      assertEquals(summaries.get(i).get("windowStatus").asText(), w.get("status").asText());
      assertEquals(summaries.get(i).get("psi").asDouble(), w.get("psi").asDouble());
      assertEquals(summaries.get(i).get("pValue").asDouble(), w.get("pValue").asDouble());
      assertEquals(i >= 2, w.get("beyondThreshold").asBoolean());
    }

    JsonNode conformance =
        ok(
                VIEWER,
                "{ conformance(environment: \"chat-prod\") { matchesBlueprint metricsStable"
                    + " differences { key kind } } }")
            .get("conformance");
    assertTrue(conformance.get("matchesBlueprint").asBoolean(), "the configuration is as declared");
    assertFalse(conformance.get("metricsStable").asBoolean());
    assertEquals(
        "[{\"key\":\"metrics.output.length\",\"kind\":\"METRIC\"}]",
        conformance.get("differences").toString());

    // CODIFY: the grown outputs are the new normal. PROD needs two approvers.
    String codify = ok(ALICE, request(drift, "CODIFY", "")).at("/requestDisposition/id").asText();
    ok(CAROL, approve(codify, "approved", CAROL));
    assertEquals(
        "APPROVED",
        ok(BOB, approve(codify, "approved as model-risk owner", BOB))
            .at("/approveDisposition/status")
            .asText());
    assertEquals("CODIFIED", driftStatus("chat-prod", drift));
    JsonNode metrics =
        ok(
                VIEWER,
                "{ environment(id: \"chat-prod\") { metrics { metric kind baseline status windows } } }")
            .at("/environment/metrics");
    assertEquals(
        "[{\"metric\":\"output.length\",\"kind\":\"CONTINUOUS\",\"baseline\":\"2026-11-02\","
            + "\"status\":\"STABLE\",\"windows\":5}]",
        metrics.toString());
    JsonNode next = created(lengths("chat-prod", "2026-11-09", false, 450, 20));
    assertEquals("STABLE", next.get("windowStatus").asText());
    assertEquals("2026-11-02", next.get("baselineWindow").asText());
    assertTrue(
        ok(VIEWER, "{ conformance(environment: \"chat-prod\") { metricsStable } }")
            .at("/conformance/metricsStable")
            .asBoolean());

    JsonNode trail =
        ok(AUDITOR, "{ auditTrail(environment: \"chat-prod\") { action subject } }")
            .get("auditTrail");
    List<String> actions = trail.findValuesAsText("action");
    for (String a :
        List.of(
            "metric.ingested",
            "drift.opened",
            "disposition.requested",
            "disposition.signed",
            "disposition.approved",
            "metric.baseline.codified",
            "drift.closed")) {
      assertTrue(actions.contains(a), a + " missing from " + actions);
    }
    int ingested = 0;
    for (JsonNode record : trail) {
      if (record.get("action").asText().equals("metric.ingested")
          && record.get("subject").asText().startsWith("metric output.length/")) {
        ingested++;
      }
    }
    assertEquals(7, ingested, "a baseline and six windows; the replay stored nothing");
    awaitEvent("drift.opened", drift);
    awaitEvent("drift.closed", drift);
    assertTrue(verifyAudit());
  }

  @Test
  void aCategoricalDriftIsAcceptedUntilItExpiresAndResolvesWhenTheMetricIsBack() throws Exception {
    created(labels("chat-dev", "w0", true, 0.9, 1));
    for (int i = 1; i <= 3; i++) {
      created(labels("chat-dev", "w" + i, false, 0.6, 10 + i));
    }
    String drift = driftId("chat-dev", "metrics.refusal.category");
    JsonNode d =
        ok(VIEWER, "{ drifts(environment: \"chat-dev\") { id actual assessment { severity } } }")
            .at("/drifts/0");
    assertTrue(d.at("/actual/chiSquare").asDouble() > 0, d.toString());
    Instant now = clock.instant();
    JsonNode accept =
        ok(ALICE, request(drift, "ACCEPT", ", expiresAt: \"" + now.plus(Duration.ofDays(5)) + "\""))
            .get("requestDisposition");
    assertEquals("APPROVED", accept.get("status").asText(), "DEV: no approval needed");
    assertEquals("EXCEPTED", driftStatus("chat-dev", drift));
    // a new baseline would end the excepted drift without a governed decision
    HttpResponse<String> rebase =
        post("/api/v1/metrics", LOADER, labels("chat-dev", "w0-new", true, 0.6, 2));
    assertEquals(409, rebase.statusCode(), rebase.body());
    assertEquals("METRIC_DRIFT_OPEN", code(rebase));

    clock.advance(Duration.ofDays(6));
    try {
      assertTrue(server.checkExpiries().exceptionsExpired().contains(drift));
      assertEquals("OPEN", driftStatus("chat-dev", drift));
      // closing is as deliberate as opening: three windows back within threshold
      for (int i = 4; i <= 5; i++) {
        JsonNode within = created(labels("chat-dev", "w" + i, false, 0.9, 10 + i));
        assertEquals("DRIFT", within.get("windowStatus").asText());
        assertEquals("OPEN", driftStatus("chat-dev", drift));
      }
      JsonNode back = created(labels("chat-dev", "w6", false, 0.9, 16));
      assertEquals("resolved", back.get("driftEvent").asText());
      assertEquals("RESOLVED", driftStatus("chat-dev", drift));
      JsonNode cooling = created(labels("chat-dev", "w7", false, 0.6, 17));
      assertEquals("COOLDOWN", cooling.get("windowStatus").asText());
      assertTrue(cooling.get("drift").isNull(), "no drift reopens during the cool-down");
    } finally {
      clock.advance(Duration.ofDays(-6));
    }
    awaitEvent("drift.closed", drift);
  }

  @Test
  void invalidSamplesAreRefusedWithTheirCodeAndNothingIsStored() throws Exception {
    created(lengths("chat-prod", "base", true, 400, 1, "latency.ms"));
    created(lengths("chat-prod", "w1", false, 400, 2, "latency.ms"));
    String ok = lengths("chat-prod", "w2", false, 400, 3, "latency.ms");
    record Refusal(String body, String token, int status, String code, String detail) {}
    List<Refusal> refusals =
        List.of(
            new Refusal("", LOADER, 400, "INVALID_REQUEST", null),
            new Refusal("{}", LOADER, 400, "INVALID_METRIC_SAMPLE", "/environment: is required"),
            new Refusal(
                withValues(ok, "[]"),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/values: 0 values, but at least 5 are needed"),
            new Refusal(
                withValues(ok, "[1, 2, \"abc\", 4, 5]"),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/values/2: not a number: 'abc'"),
            new Refusal(
                withValues(ok, "[1, \"NaN\", 3, 4, 5]"),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/values/1: not a number: 'NaN'"),
            new Refusal(
                withValues(ok, "[1, 2, 3, 4, \"-Infinity\"]"),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/values/4: not a number: '-Infinity'"),
            new Refusal(
                withValues(ok, "[1e400, 2, 3, 4, 5]"),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/values/0: not a finite number"),
            new Refusal(
                withValues(ok, "[1, NaN, 3, 4, 5]"), LOADER, 400, "INVALID_JSON", "/values/1"),
            new Refusal(
                withValues(ok, "[1, 2, 3, 4]"),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/values: 4 values, but at least 5 are needed"),
            new Refusal(
                ok.replace("\"CONTINUOUS\"", "\"GAUSSIAN\""),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/kind: must be CONTINUOUS or CATEGORICAL, got 'GAUSSIAN'"),
            new Refusal(
                ok.replace("\"CONTINUOUS\"", "\"CATEGORICAL\""),
                LOADER,
                400,
                "INVALID_METRIC_SAMPLE",
                "/values/0: not a category label (a string)"),
            new Refusal(
                ok.replace("chat-prod", "nowhere-prod"),
                LOADER,
                404,
                "UNKNOWN_ENVIRONMENT",
                "/environment: nowhere-prod"),
            new Refusal(
                ok.replace("latency.ms", "latency.p99"),
                LOADER,
                422,
                "METRIC_BASELINE_MISSING",
                null),
            new Refusal(
                labels("chat-prod", "w2", false, 0.9, 3).replace("refusal.category", "latency.ms"),
                LOADER,
                409,
                "METRIC_KIND_MISMATCH",
                "/kind: CATEGORICAL differs from the baseline's CONTINUOUS"),
            new Refusal(
                lengths("chat-prod", "w1", false, 420, 2, "latency.ms"),
                LOADER,
                409,
                "METRIC_WINDOW_CONFLICT",
                "/window: w1"),
            new Refusal(ok, VIEWER, 403, "FORBIDDEN", null));
    long audit = auditRecords();
    String before = seriesOf("chat-prod", "latency.ms");
    for (Refusal r : refusals) {
      HttpResponse<String> response = post("/api/v1/metrics", r.token(), r.body());
      String where = r.code() + " for " + r.body().substring(0, Math.min(120, r.body().length()));
      assertEquals(r.status(), response.statusCode(), where + ": " + response.body());
      assertEquals(r.code(), code(response), where);
      if (r.detail() != null) {
        assertTrue(response.body().contains(r.detail()), where + ": " + response.body());
      }
      assertEquals(audit, auditRecords(), "nothing audited after " + where);
      assertEquals(before, seriesOf("chat-prod", "latency.ms"), "nothing stored after " + where);
    }
    assertTrue(
        ok(
                VIEWER,
                "{ metricSeries(environment: \"chat-prod\", metric: \"latency.p99\") { window } }")
            .get("metricSeries")
            .isEmpty());
    assertEquals(
        "UNKNOWN_ENVIRONMENT",
        gql(VIEWER, "{ metricSeries(environment: \"nowhere\", metric: \"m\") { window } }")
            .at("/errors/0/extensions/code")
            .asText());
    assertEquals(201, post("/api/v1/metrics", LOADER, ok).statusCode(), "the valid one goes in");
  }

  // ---- samples ----

  /** 200 output lengths around {@code mean} (sd 60, whole numbers) from a fixed seed. */
  static String lengths(String env, String window, boolean baseline, int mean, long seed) {
    return lengths(env, window, baseline, mean, seed, "output.length");
  }

  static String lengths(
      String env, String window, boolean baseline, int mean, long seed, String metric) {
    Random random = new Random(seed);
    ObjectNode s = sample(env, metric, "CONTINUOUS", window, baseline);
    ArrayNode values = s.putArray("values");
    for (int i = 0; i < 200; i++) {
      values.add(Math.max(1, Math.round(mean + 60 * random.nextGaussian())));
    }
    return s.toString();
  }

  /** 300 refusal categories: {@code none} with probability {@code none}, the rest spread. */
  static String labels(String env, String window, boolean baseline, double none, long seed) {
    Random random = new Random(seed);
    String[] others = {"policy", "safety", "off-topic"};
    ObjectNode s = sample(env, "refusal.category", "CATEGORICAL", window, baseline);
    ArrayNode values = s.putArray("values");
    for (int i = 0; i < 300; i++) {
      values.add(random.nextDouble() < none ? "none" : others[random.nextInt(others.length)]);
    }
    return s.toString();
  }

  static ObjectNode sample(
      String env, String metric, String kind, String window, boolean baseline) {
    ObjectNode s = JSON.createObjectNode();
    s.put("environment", env);
    s.put("metric", metric);
    s.put("kind", kind);
    s.put("window", window);
    s.put("baseline", baseline);
    return s;
  }

  static String withValues(String sample, String values) {
    return sample.substring(0, sample.indexOf("\"values\":") + 9) + values + "}";
  }

  // ---- HTTP ----

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

  JsonNode created(String sample) throws Exception {
    HttpResponse<String> r = post("/api/v1/metrics", LOADER, sample);
    assertEquals(201, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("created", body.get("status").asText());
    return body;
  }

  static String code(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).at("/error/code").asText();
  }

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

  long auditRecords() throws Exception {
    return ok(AUDITOR, "{ verifyAudit { records } }").at("/verifyAudit/records").asLong();
  }

  boolean verifyAudit() throws Exception {
    return ok(AUDITOR, "{ verifyAudit { valid } }").at("/verifyAudit/valid").asBoolean();
  }

  String seriesOf(String env, String metric) throws Exception {
    return ok(
            VIEWER,
            "{ metricSeries(environment: \""
                + env
                + "\", metric: \""
                + metric
                + "\") { seq window psi status } environment(id: \""
                + env
                + "\") { metrics { metric baseline status windows } } }")
        .toString();
  }

  String driftId(String env, String key) throws Exception {
    for (JsonNode d :
        ok(VIEWER, "{ drifts(environment: \"" + env + "\", status: [OPEN]) { id key } }")
            .get("drifts")) {
      if (d.get("key").asText().equals(key)) {
        return d.get("id").asText();
      }
    }
    throw new AssertionError("no open drift of " + key + " in " + env);
  }

  String driftStatus(String env, String id) throws Exception {
    for (JsonNode d :
        ok(VIEWER, "{ drifts(environment: \"" + env + "\") { id status } }").get("drifts")) {
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
        + ", justification: \"longer answers since the prompt change PR-88\""
        + extra
        + ") { id status requiredApprovals } }";
  }

  static String approve(String disposition, String meaning, String credential) {
    return "mutation { approveDisposition(disposition: \""
        + disposition
        + "\", meaning: \""
        + meaning
        + "\", comment: \"Reviewed the evaluation of the longer answers\", credential: \""
        + credential
        + "\") { id status } }";
  }

  /** Waits (bounded) until the receiver has seen {@code event} for {@code id}. */
  void awaitEvent(String event, String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode body : received) {
        if (body.get("event").asText().equals(event) && body.get("id").asText().equals(id)) {
          assertTrue(body.hasNonNull("environment") && body.hasNonNull("at"), body.toString());
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("webhook event " + event + " of " + id + " not received: " + received);
  }
}
