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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.governance.InputJournal;
import org.plumbline.governance.SettableClock;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.SparqlEndpoint;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.server.cli.StoreServer;
import org.plumbline.server.config.ServerConfig;

/**
 * Two servers on one shared store (Apache Jena Fuseki on TDB2, as {@code plumbline store-server}
 * starts it, in this JVM): both ingest at once and nothing is lost; a disposition requested on one
 * is approved on the other; what one acknowledged, the other reads at once; the ledger is one valid
 * chain that both see alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedStoreTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "tok-loader-0000000001";
  static final String ALICE = "tok-alice-operator-01";
  static final String BOB = "tok-bob-model-risk-01";
  static final String CAROL = "tok-carol-approver-01";
  static final String AUDITOR = "tok-dana-auditor-00001";
  static final String ADMIN = "tok-erin-admin-0000001";
  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  static final String CREDIT =
      """
      bundle: credit-model
      version: 2.3.0
      environments:
        - { id: credit-model-prod, tier: REGULATED, owner: team-credit-risk, system: credit-model }
        - { id: credit-model-staging, tier: STAGING, owner: team-credit-risk, system: credit-model }
        - { id: credit-model-dev, tier: DEV, owner: team-credit-risk, system: credit-model }
      validated: { at: "2026-08-01T00:00:00Z", by: model-validation, evidence: VAL-2026-031 }
      config:
        llm: { temperature: 0.3 }
        retrieval: { top_k: 8 }
      """;

  @TempDir static Path dir;
  final SettableClock clock = new SettableClock(START.plus(Duration.ofDays(10)));
  final HttpClient http = HttpClient.newHttpClient();
  StoreServer store;
  PlumblineServer a;
  PlumblineServer b;

  @BeforeAll
  void start() throws Exception {
    store = StoreServer.start(dir.resolve("store"), 0, true, null);
    Path key = dir.resolve("shared.key");
    Files.writeString(key, "0123456789abcdef".repeat(4) + "\n");
    a = PlumblineServer.start(config(dir.resolve("a"), key), clock);
    b = PlumblineServer.start(config(dir.resolve("b"), key), clock);
    assertEquals(201, post(a, "/api/v1/blueprints", LOADER, CREDIT).statusCode());
  }

  ServerConfig config(Path data, Path key) {
    return new ServerConfig(
            0,
            data,
            Path.of("../rules"),
            List.of(
                token(LOADER, "ci-loader", "loader"),
                token(ALICE, "alice", "operator"),
                token(BOB, "bob", "approver", "model-risk"),
                token(CAROL, "carol", "approver"),
                token(AUDITOR, "dana", "auditor"),
                token(ADMIN, "erin", "admin")),
            Duration.ofHours(1),
            ServerConfig.DEFAULT_BODY_LIMIT,
            List.of())
        .withStore(SparqlEndpoint.open(store.url()))
        .withHmacKey(key)
        // a write over a shared store on this busy test machine may take long: no idle cut-off
        .withHttp(
            new ServerConfig.HttpSettings(
                Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofMinutes(10)));
  }

  @AfterAll
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void twoServersIngestingAtOnceLoseNothingAndKeepOneChain() throws Exception {
    long before = verify(a).get("records").asLong();
    int each = 3;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<List<Integer>>> loads = new ArrayList<>();
    for (PlumblineServer server : List.of(a, b)) {
      String env = server == a ? "credit-model-staging" : "credit-model-dev";
      loads.add(
          pool.submit(
              () -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                  String at = START.plus(Duration.ofDays(1).plusMinutes(i)).toString();
                  String config = "{\"llm\":{\"temperature\":0." + (i + 4) + "}}";
                  statuses.add(
                      post(server, "/api/v1/snapshots", LOADER, snapshot(env, at, config))
                          .statusCode());
                }
                return statuses;
              }));
    }
    for (Future<List<Integer>> load : loads) {
      assertEquals(List.of(201, 201, 201), load.get());
    }
    pool.shutdown();
    JsonNode va = verify(a);
    JsonNode vb = verify(b);
    assertTrue(va.get("valid").asBoolean(), va.toString());
    assertEquals(va.get("root"), vb.get("root"), "both servers see the same chain");
    assertEquals(va.get("records"), vb.get("records"));
    assertTrue(va.get("records").asLong() >= before + 2L * each, va.toString());
    for (PlumblineServer server : List.of(a, b)) {
      for (String env : List.of("credit-model-staging", "credit-model-dev")) {
        JsonNode e = ok(server, "{ environment(id: \"" + env + "\") { lastObservedAt } }");
        assertEquals(
            START.plus(Duration.ofDays(1).plusMinutes(each - 1)).toString(),
            e.at("/environment/lastObservedAt").asText(),
            "every acknowledged snapshot is there, on both servers");
      }
    }
  }

  @Test
  void aDispositionRequestedOnOneServerIsApprovedOnTheOther() throws Exception {
    assertEquals(
        201,
        post(
                a,
                "/api/v1/snapshots",
                LOADER,
                snapshot(
                    "credit-model-prod",
                    START.plus(Duration.ofHours(2)).toString(),
                    "{\"llm\":{\"temperature\":0.9},\"retrieval\":{\"top_k\":8}}"))
            .statusCode());
    String drift = null;
    for (JsonNode d :
        ok(b, "{ drifts(environment: \"credit-model-prod\") { id key status } }").get("drifts")) {
      if (d.get("key").asText().equals("llm.temperature")
          && d.get("status").asText().equals("OPEN")) {
        drift = d.get("id").asText();
      }
    }
    assertTrue(drift != null, "the drift server a opened is seen on server b at once");
    String id =
        ok(
                a,
                "mutation { requestDisposition(drift: \""
                    + drift
                    + "\", kind: REVERT, justification: \"INC-7\") { id status } }")
            .at("/requestDisposition/id")
            .asText();
    assertEquals(
        "PENDING", ok(b, CAROL, approve(CAROL, id)).at("/approveDisposition/status").asText());
    assertEquals(
        "APPROVED", ok(a, BOB, approve(BOB, id)).at("/approveDisposition/status").asText());
    for (PlumblineServer server : List.of(a, b)) {
      JsonNode drifts = ok(server, "{ drifts(environment: \"credit-model-prod\") { id status } }");
      for (JsonNode d : drifts.get("drifts")) {
        if (d.get("id").asText().equals(drift)) {
          assertEquals("REVERT_APPROVED", d.get("status").asText());
        }
      }
    }
    JsonNode va = verify(a);
    assertTrue(va.get("valid").asBoolean(), va.toString());
    assertEquals(va.get("root"), verify(b).get("root"));
  }

  @Test
  void oneServerRunsTheSchedulerAndAnotherTakesOverWhenItsLeaseLapses() throws Exception {
    var leaseA = a.writes().schedulerLease();
    var leaseB = b.writes().schedulerLease();
    Duration tick = Duration.ofHours(1); // the servers' scheduler interval; the lease lasts 3
    boolean aFirst = leaseA.tick();
    if (!aFirst) { // b ticked first at start-up: a waits until b's lease lapses
      clock.advance(tick.multipliedBy(3).plusSeconds(1));
      assertTrue(leaseA.tick(), "a lapsed lease is taken over");
    }
    assertFalse(leaseB.tick(), "one server at a time runs the scheduler");
    clock.advance(tick);
    assertTrue(leaseA.tick(), "the holder renews");
    clock.advance(tick.multipliedBy(2));
    assertFalse(leaseB.tick(), "a renewed lease has not lapsed yet");
    // a stops ticking (it died): once its lease lapses, b takes over, and a is out
    clock.advance(tick.plusSeconds(1));
    assertTrue(leaseB.tick(), "b takes over the lapsed lease");
    assertFalse(leaseA.tick());
    assertEquals(0, a.writes().scheduledExpiry().exceptionsExpired().size());
  }

  /**
   * Where the journal lives with a shared store (docs/deployment.md): each server journals the
   * inputs it accepted, in its own data folder; the store itself is recovered from a backup taken
   * through any server, which restored into a TDB2 folder holds the ledger both servers verify.
   */
  @Test
  void eachServerJournalsItsOwnInputsAndABackupThroughEitherRestoresTheWholeStore()
      throws Exception {
    Path journalA = dir.resolve("a").resolve("journal");
    Path journalB = dir.resolve("b").resolve("journal");
    int aBefore = InputJournal.read(journalA).size();
    int bBefore = InputJournal.read(journalB).size();
    HttpResponse<String> prompt =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + b.port() + "/api/v1/prompts"))
                .header("Authorization", "Bearer " + LOADER)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"shared-prompt\",\"version\":\"1.0.0\",\"text\":\"Be brief.\","
                            + "\"testedWithModel\":\"gpt-4o-2024-08-06\",\"evalScore\":0.9}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, prompt.statusCode(), prompt.body());
    assertEquals(bBefore + 1, InputJournal.read(journalB).size(), "b journals what b accepted");
    assertEquals(aBefore, InputJournal.read(journalA).size(), "and a does not");
    assertTrue(
        InputJournal.read(journalA).stream().anyMatch(e -> e.kind().equals("blueprint")),
        "a journaled the blueprint it took");
    assertTrue(InputJournal.read(journalB).stream().noneMatch(e -> e.kind().equals("blueprint")));

    JsonNode before = verify(a);
    HttpResponse<String> backup =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + b.port() + "/api/v1/admin/backup"))
                .header("Authorization", "Bearer " + ADMIN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, backup.statusCode(), backup.body());
    assertEquals(before.get("root"), verify(a).get("root"), "nothing was written meanwhile");
    Path file = Path.of(JSON.readTree(backup.body()).get("file").asText());
    assertTrue(file.startsWith(dir.resolve("b")), "the copy lands in b's data folder: " + file);
    Path restored = dir.resolve("restored");
    try (var in = Files.newInputStream(file)) {
      GraphStore.restore(in, restored);
    }
    try (GraphStore copy = GraphStore.openTdb2(restored)) {
      AuditLedger.Verification v = copy.read(AuditLedger::verify);
      assertTrue(v.valid(), String.valueOf(v.reason()));
      assertEquals(before.get("root").asText(), v.root());
      assertEquals(before.get("records").asLong(), v.records());
    }
  }

  /**
   * Issue 22: each server journals only its own inputs, and {@code plumbline rebuild --journal A
   * --journal B} replays both in the order the store committed them. Snapshots of one environment
   * posted through both servers at once interleave (some arrive after a later one, as backfills),
   * so an order other than the store's would give other changes, drifts and audit details.
   */
  @Test
  void theJournalsOfBothServersRebuildTheSharedStoreInCommitOrder() throws Exception {
    String env = "credit-model-staging";
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<List<Integer>>> loads = new ArrayList<>();
    for (PlumblineServer server : List.of(a, b)) {
      int first = server == a ? 0 : 1;
      loads.add(
          pool.submit(
              () -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = first; i < 6; i += 2) {
                  String at = START.plus(Duration.ofDays(3).plusMinutes(i)).toString();
                  String config =
                      "{\"llm\":{\"temperature\":0." + (i + 4) + "},\"retrieval\":{\"top_k\":8}}";
                  statuses.add(
                      post(server, "/api/v1/snapshots", LOADER, snapshot(env, at, config))
                          .statusCode());
                }
                return statuses;
              }));
    }
    for (Future<List<Integer>> load : loads) {
      assertEquals(List.of(201, 201, 201), load.get());
    }
    pool.shutdown();
    String drift = null;
    for (JsonNode d :
        ok(a, "{ drifts(environment: \"" + env + "\") { id status } }").get("drifts")) {
      if (d.get("status").asText().equals("OPEN")) {
        drift = d.get("id").asText();
      }
    }
    assertTrue(drift != null, "the interleaved snapshots opened a drift");
    JsonNode requested =
        ok(
                b,
                "mutation { requestDisposition(drift: \""
                    + drift
                    + "\", kind: REVERT, justification: \"INC-9\") { id status } }")
            .get("requestDisposition");
    if (!requested.get("status").asText().equals("APPROVED")) {
      assertEquals(
          "APPROVED", // one approval is enough on staging
          ok(a, CAROL, approve(CAROL, requested.get("id").asText()))
              .at("/approveDisposition/status")
              .asText());
    }
    String shared = rebuildFacts(a);
    JsonNode verified = verify(a);

    Path rebuilt = dir.resolve("rebuilt-from-journals");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    org.plumbline.server.cli.Main main =
        new org.plumbline.server.cli.Main(
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
            System.err);
    assertEquals(
        0,
        main.run(
            new String[] {
              "rebuild",
              "--journal",
              dir.resolve("a").toString(),
              "--journal",
              dir.resolve("b").resolve("journal").toString(),
              "--hmac-key",
              dir.resolve("shared.key").toString(),
              "--data",
              rebuilt.toString(),
              "--rules",
              "../rules"
            }),
        out.toString(java.nio.charset.StandardCharsets.UTF_8));
    PlumblineServer copy =
        PlumblineServer.start(config(rebuilt, dir.resolve("shared.key")).withStore(null), clock);
    try {
      JsonNode v = verify(copy);
      assertTrue(v.get("valid").asBoolean(), v.toString());
      assertEquals(
          shared, rebuildFacts(copy), out.toString(java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(
          v.get("records").asLong() >= verified.get("records").asLong(),
          "every audit record of a journaled input is there again: " + v + " " + verified);
    } finally {
      copy.close();
    }
  }

  /**
   * What a rebuild from the journals must reproduce: each environment's head (its configuration now
   * and when it was last observed), the changes, drifts and dispositions with their identities, and
   * the ledger's records of journaled inputs in ledger order (what the servers record on their own,
   * a rule pack activated at start or a rebuild, is no input).
   */
  String rebuildFacts(PlumblineServer server) throws Exception {
    StringBuilder facts = new StringBuilder();
    for (String env : List.of("credit-model-prod", "credit-model-staging", "credit-model-dev")) {
      facts.append(
          ok(
              server,
              AUDITOR,
              "{ environment(id: \""
                  + env
                  + "\") { id status lastObservedAt configAt { key value } } changes(environment:"
                  + " \""
                  + env
                  + "\", lastDays: 3650) { key from to at } }"));
    }
    facts.append(
        ok(
            server,
            AUDITOR,
            "{ drifts { id key expected actual status detectedAt } dispositions { id kind status"
                + " approvals { by meaning } } }"));
    for (JsonNode r :
        ok(server, AUDITOR, "{ auditTrail { action actor subject detail at } }")
            .get("auditTrail")) {
      String action = r.get("action").asText();
      if (!action.startsWith("rulepack.") && !action.equals("store.rebuilt")) {
        facts.append('\n').append(r);
      }
    }
    return facts.toString();
  }

  static String approve(String token, String disposition) {
    return "mutation { approveDisposition(disposition: \""
        + disposition
        + "\", meaning: \""
        + (BOB.equals(token) ? "approved as model-risk owner" : "approved")
        + "\", credential: \""
        + token
        + "\") { id status } }";
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

  JsonNode verify(PlumblineServer server) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/api/v1/audit/verify"))
                .header("Authorization", "Bearer " + AUDITOR)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  HttpResponse<String> post(PlumblineServer server, String path, String token, String body)
      throws Exception {
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

  JsonNode ok(PlumblineServer server, String query) throws Exception {
    return ok(server, ALICE, query);
  }

  JsonNode ok(PlumblineServer server, String token, String query) throws Exception {
    HttpResponse<String> r =
        post(server, "/graphql", token, JSON.writeValueAsString(Map.of("query", query)));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertFalse(body.has("errors"), body.toString());
    return body.get("data");
  }
}
