package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real server process with SIGKILL at random points while a client ingests snapshots,
 * requests dispositions and approves them, then restarts it: no acknowledged write may be lost, the
 * ledger must verify after every restart, and every stored snapshot must have its audit record
 * (written in the same transaction). {@code -Dplumbline.crash.cycles=N} sets the cycle count.
 */
class CrashSafetyIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "crash-loader-token-001";
  static final String OPERATOR = "crash-operator-token-01";
  static final String APPROVER = "crash-approver-token-01";
  static final String AUDITOR = "crash-auditor-token-001";
  static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

  final Set<Integer> ackedSnapshots = ConcurrentHashMap.newKeySet();
  final Set<String> ackedRequests = ConcurrentHashMap.newKeySet();
  final Set<String> ackedApprovals = ConcurrentHashMap.newKeySet();
  ServerProcess server;

  /** Set just before the shared store is killed: the server then answers 503, rightly. */
  volatile boolean storeDown;

  @Test
  void killNineLosesNoAcknowledgedWrite(@TempDir Path dir) throws Exception {
    run(dir, Integer.getInteger("plumbline.crash.cycles", 50), false);
  }

  /**
   * The same on a shared store ({@code plumbline store-server}, its own process): odd cycles kill
   * the server, even cycles kill the store under the running server, which answers 503 until the
   * store is back and then carries on. {@code -Dplumbline.crash.shared.cycles=N} sets the cycles.
   */
  @Test
  void killNineOfTheServerOrItsSharedStoreLosesNoAcknowledgedWrite(@TempDir Path dir)
      throws Exception {
    run(dir, Integer.getInteger("plumbline.crash.shared.cycles", 4), true);
  }

  void run(Path dir, int cycles, boolean shared) throws Exception {
    Path config = dir.resolve("plumbline.yaml");
    int storePort = StoreProcess.freePort();
    Path storeData = dir.resolve("store");
    StoreProcess store = null;
    String sharedStore = "";
    if (shared) {
      Path key = dir.resolve("shared.key");
      Files.writeString(key, "0123456789abcdef".repeat(4) + "\n");
      sharedStore =
          "store: { sparql: \"http://127.0.0.1:%d/plumbline\" }\nsecrets: { hmacKey: \"%s\" }\n"
              .formatted(storePort, key);
    }
    Files.writeString(
        config,
        sharedStore
            + """
        auth:
          tokens:
            - { token: "%s", user: loader, roles: [loader] }
            - { token: "%s", user: olga, roles: [operator] }
            - { token: "%s", user: abe, roles: [approver] }
            - { token: "%s", user: audrey, roles: [auditor, viewer] }
        """
                .formatted(LOADER, OPERATOR, APPROVER, AUDITOR));
    Path data = dir.resolve("data");
    Random random = new Random(7);
    int next = 1;
    server = null;
    try {
      for (int cycle = 0; cycle < cycles; cycle++) {
        if (shared && store == null) {
          store = StoreProcess.start(storeData, storePort);
          storeDown = false;
        }
        if (server == null) {
          server = ServerProcess.start(config, data, Path.of("../rules"));
        }
        if (cycle == 0) {
          assertEquals(
              201,
              server
                  .post(
                      "/api/v1/blueprints",
                      LOADER,
                      "application/yaml",
                      "bundle: crash\nversion: 1.0.0\nenvironments: [ { id: crash-stg, tier: STAGING, owner: o } ]\n"
                          + "config: { llm: { temperature: 0.5 } }\n")
                  .statusCode());
          assertEquals(201, postSnapshot(0).statusCode());
        }
        awaitStore();
        checkNothingLost(cycle);
        boolean killStore = shared && cycle % 2 == 0;
        // a write on a shared store takes longer: give each cycle time to acknowledge some
        long killAfter = 300 + random.nextInt(2000);
        StoreProcess killedStore = killStore ? store : null;
        ServerProcess killedServer = killStore ? null : server;
        int approvedBefore = ackedApprovals.size();
        CompletableFuture<Void> killer =
            CompletableFuture.runAsync(
                    () -> {
                      // On a shared store a write takes a round trip or more: kill once this cycle
                      // had a disposition approved, then at a random point of what follows.
                      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                      while (shared
                          && ackedApprovals.size() == approvedBefore
                          && System.nanoTime() < deadline) {
                        sleep(20);
                      }
                    })
                .thenRun(() -> sleep(shared ? killAfter / 2 : killAfter))
                .thenRun(
                    () -> {
                      if (killStore) {
                        storeDown = true;
                        killedStore.kill();
                      } else {
                        killedServer.kill();
                      }
                    });
        while (!killer.isDone()) {
          if (!step(next)) {
            break;
          }
          next++;
        }
        killer.join();
        if (killStore) {
          store = null;
        } else {
          server.kill();
          server = null;
        }
      }
      if (shared && store == null) {
        store = StoreProcess.start(storeData, storePort);
        storeDown = false;
      }
      if (server == null) {
        server = ServerProcess.start(config, data, Path.of("../rules"));
      }
      awaitStore();
      checkNothingLost(cycles);
      // The test proves something only if writes were acknowledged between the kills.
      assertTrue(
          ackedSnapshots.size() >= cycles / 2 && !ackedApprovals.isEmpty(),
          "too few acknowledged writes to prove anything: "
              + ackedSnapshots.size()
              + " snapshots, "
              + ackedApprovals.size()
              + " approvals");
    } finally {
      if (server != null) {
        server.kill();
      }
      if (store != null) {
        store.kill();
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the server reads the store (at once on TDB2; on a shared store started again, once
   * the server's next request reaches it).
   */
  void awaitStore() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = server.get("/api/v1/audit/verify", AUDITOR);
      if (r.statusCode() == 200) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "the store did not come back: " + r.body());
      Thread.sleep(200);
    }
  }

  /**
   * One client step: a snapshot with a new flag (a drift), a REVERT request for it, an approval.
   */
  boolean step(int i) {
    try {
      if (postSnapshot(i).statusCode() / 100 != 2) {
        return false;
      }
      ackedSnapshots.add(i);
      String drift = null;
      for (JsonNode d :
          server
              .gql(OPERATOR, "{ drifts(environment: \"crash-stg\", status: [OPEN]) { id key } }")
              .at("/data/drifts")) {
        if (d.get("key").asText().equals("flags.f" + i)) {
          drift = d.get("id").asText();
        }
      }
      if (drift == null) {
        return true;
      }
      JsonNode requested =
          server.gql(
              OPERATOR,
              "mutation { requestDisposition(drift: \""
                  + drift
                  + "\", kind: REVERT, justification: \"crash test "
                  + i
                  + "\") { id } }");
      String id = requested.at("/data/requestDisposition/id").asText(null);
      if (id == null) {
        return true;
      }
      ackedRequests.add(id);
      JsonNode approved =
          server.gql(
              APPROVER,
              "mutation { approveDisposition(disposition: \""
                  + id
                  + "\", meaning: \"approved\", credential: \""
                  + APPROVER
                  + "\") { status } }");
      if ("APPROVED".equals(approved.at("/data/approveDisposition/status").asText(null))) {
        ackedApprovals.add(id);
      }
      return true;
    } catch (AssertionError e) {
      if (!storeDown) {
        throw e;
      }
      return false; // the shared store died under the server: it answered 503
    } catch (IOException | InterruptedException e) {
      return false; // the server died under us: this step's unacknowledged writes may or may not
      // exist
    }
  }

  void checkNothingLost(int cycle) throws Exception {
    JsonNode verify = JSON.readTree(server.get("/api/v1/audit/verify", AUDITOR).body());
    assertTrue(verify.get("valid").asBoolean(), "cycle " + cycle + ": " + verify);

    JsonNode changes =
        server
            .gql(AUDITOR, "{ changes(environment: \"crash-stg\") { key to at } }")
            .at("/data/changes");
    Set<Integer> stored = new HashSet<>();
    for (JsonNode c : changes) {
      String key = c.get("key").asText();
      if (key.startsWith("flags.f") && "true".equals(c.get("to").toString())) {
        int i = Integer.parseInt(key.substring(7));
        assertEquals(T0.plus(Duration.ofMinutes(i)).toString(), c.get("at").asText());
        stored.add(i);
      }
    }
    for (int i : ackedSnapshots) {
      assertTrue(
          stored.contains(i), "cycle " + cycle + ": acknowledged snapshot " + i + " is lost");
    }
    // Every stored snapshot has the audit record written in its transaction, and no record exists
    // without its snapshot.
    long ingested = 0;
    for (JsonNode a :
        server
            .gql(AUDITOR, "{ auditTrail(environment: \"crash-stg\") { action } }")
            .at("/data/auditTrail")) {
      if (a.get("action").asText().equals("snapshot.ingested")) {
        ingested++;
      }
    }
    assertEquals(
        stored.size() + 1,
        ingested,
        "cycle " + cycle + ": snapshots and their audit records disagree");

    Map<String, String> statuses = new java.util.HashMap<>();
    for (JsonNode d :
        server
            .gql(
                AUDITOR,
                "{ dispositions(environment: \"crash-stg\") { id status approvals { by } } }")
            .at("/data/dispositions")) {
      statuses.put(d.get("id").asText(), d.get("status").asText());
    }
    for (String id : ackedRequests) {
      assertTrue(
          statuses.containsKey(id),
          "cycle " + cycle + ": acknowledged disposition " + id + " is lost");
    }
    for (String id : ackedApprovals) {
      assertEquals(
          "APPROVED",
          statuses.get(id),
          "cycle " + cycle + ": acknowledged approval of " + id + " is lost");
    }
  }

  HttpResponse<String> postSnapshot(int i) throws IOException, InterruptedException {
    String flag = i == 0 ? "" : ",\"flags\":{\"f" + i + "\":true}";
    String body =
        "{\"environment\":\"crash-stg\",\"observedAt\":\""
            + T0.plus(Duration.ofMinutes(i))
            + "\",\"config\":{\"llm\":{\"temperature\":0.5}"
            + flag
            + "}}";
    return server.post("/api/v1/snapshots", LOADER, "application/json", body);
  }
}
