package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during the two maintenance operations that rewrite what a server depends on: store
 * compaction (TDB2 copies the live data into a new generation and switches to it) and a rule-pack
 * reload (compile, test, record, swap). After each restart the store must open with every
 * acknowledged snapshot, the ledger must verify, and the running pack must be the one the ledger
 * names as active. {@code -Dplumbline.crash.maintenance.cycles=N} sets the cycles of each test.
 */
class CrashDuringMaintenanceIT {
  static final String LOADER = "maint-loader-token-0001";
  static final String ADMIN = "maint-admin-token-00001";
  static final String AUDITOR = "maint-auditor-token-001";
  static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

  final int cycles = Integer.getInteger("plumbline.crash.maintenance.cycles", 8);
  final Random random = new Random(11);
  final Set<Integer> acked = new HashSet<>();
  ServerProcess server;
  int next = 1;

  @Test
  void killDuringCompactionLeavesAStoreThatOpensWithEveryAcknowledgedWrite(@TempDir Path dir)
      throws Exception {
    Path config = config(dir);
    Path data = dir.resolve("data");
    Path rules = Path.of("../rules");
    server = ServerProcess.start(config, data, rules);
    long fullCompaction;
    try {
      seed();
      // Enough small commits that compaction has real work to copy.
      for (int i = 0; i < 150; i++) {
        assertTrue(ingest(), "snapshot " + next);
      }
      fullCompaction = compact();
    } finally {
      server.kill();
    }
    int interrupted = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      server = ServerProcess.start(config, data, rules);
      try {
        check("compaction cycle " + cycle);
        // More commits, so that each compaction has superseded blocks to drop.
        for (int i = 0; i < 20; i++) {
          assertTrue(ingest(), "snapshot " + next);
        }
        interrupted += killDuring(this::postCompact, fullCompaction) ? 1 : 0;
      } finally {
        server.kill();
      }
    }
    server = ServerProcess.start(config, data, rules);
    try {
      check("after the last kill");
      assertTrue(ingest(), "the store takes writes again");
      compact(); // and compacts again
      check("after a clean compaction");
      assertTrue(
          interrupted >= cycles / 2,
          "only " + interrupted + " of " + cycles + " kills landed during a compaction");
    } finally {
      server.kill();
    }
  }

  @Test
  void killDuringReloadLeavesTheRecordedPackRunning(@TempDir Path dir) throws Exception {
    Path config = config(dir);
    Path data = dir.resolve("data");
    Path rules = dir.resolve("pack");
    copy(Path.of("../rules/packs/default"), rules);
    server = ServerProcess.start(config, data, rules);
    long fullReload;
    try {
      seed();
      String before = runningPack("first start");
      marker(rules, -1);
      long start = System.nanoTime();
      HttpResponse<String> r = postReload();
      fullReload = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, r.statusCode(), r.body());
      String after = runningPack("after a clean reload");
      assertTrue(!after.equals(before), "a changed pack has a new version");
    } finally {
      server.kill();
    }
    int interrupted = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      server = ServerProcess.start(config, data, rules);
      try {
        runningPack("reload cycle " + cycle);
        check("reload cycle " + cycle);
        marker(rules, cycle);
        interrupted += killDuring(this::postReload, fullReload) ? 1 : 0;
      } finally {
        server.kill();
      }
    }
    server = ServerProcess.start(config, data, rules);
    try {
      runningPack("after the last kill");
      check("after the last kill");
      assertTrue(
          interrupted >= cycles / 2,
          "only " + interrupted + " of " + cycles + " kills landed during a reload");
    } finally {
      server.kill();
    }
  }

  /**
   * The same on a shared store (issue 22): {@code plumbline store-server} in its own process, and
   * odd cycles kill the store under the running server instead of the server. What a server
   * maintains there is its rule pack, whose activation it records in the shared store; compaction
   * is the store engine's own (docs/deployment.md), and the server's compaction leaves the store
   * alone. {@code -Dplumbline.crash.maintenance.shared.cycles=N} sets the cycles.
   */
  @Test
  void killOfTheServerOrItsSharedStoreDuringReloadLeavesTheRecordedPackRunning(@TempDir Path dir)
      throws Exception {
    int sharedCycles = Integer.getInteger("plumbline.crash.maintenance.shared.cycles", 4);
    int port = StoreProcess.freePort();
    Path key = dir.resolve("shared.key");
    Files.writeString(key, "0123456789abcdef".repeat(4) + "\n");
    Path config = config(dir);
    Files.writeString(
        config,
        "store: { sparql: \"http://127.0.0.1:%d/plumbline\" }\nsecrets: { hmacKey: \"%s\" }\n"
                .formatted(port, key)
            + Files.readString(config));
    Path data = dir.resolve("data");
    Path rules = dir.resolve("pack");
    copy(Path.of("../rules/packs/default"), rules);
    StoreProcess store = StoreProcess.start(dir.resolve("store"), port);
    try {
      server = ServerProcess.start(config, data, rules);
      long fullReload;
      try {
        seed();
        marker(rules, -1);
        long start = System.nanoTime();
        HttpResponse<String> r = postReload();
        fullReload = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode(), r.body());
        runningPack("after a clean reload");
        JsonNode before =
            ServerProcess.JSON.readTree(server.get("/api/v1/audit/verify", AUDITOR).body());
        HttpResponse<String> compacted = postCompact();
        assertEquals(200, compacted.statusCode(), compacted.body());
        assertEquals(
            before.get("root"),
            ServerProcess.JSON
                .readTree(server.get("/api/v1/audit/verify", AUDITOR).body())
                .get("root"),
            "the server's compaction leaves a shared store alone");
      } catch (Exception | AssertionError e) {
        server.kill();
        throw e;
      }
      int interrupted = 0;
      for (int cycle = 0; cycle < sharedCycles; cycle++) {
        boolean killStore = cycle % 2 == 1;
        if (server == null) {
          server = ServerProcess.start(config, data, rules);
        }
        awaitStore();
        runningPack("reload cycle " + cycle);
        check("reload cycle " + cycle);
        marker(rules, cycle);
        StoreProcess victim = store;
        interrupted += killDuring(this::postReload, fullReload, killStore ? victim : null) ? 1 : 0;
        if (killStore) {
          store = StoreProcess.start(dir.resolve("store"), port);
          // The server lived on: whatever it answered, the pack it runs is the recorded one.
          awaitStore();
          runningPack("reload cycle " + cycle + ", the store killed");
        } else {
          server = null;
        }
      }
      if (server == null) {
        server = ServerProcess.start(config, data, rules);
      }
      try {
        awaitStore();
        runningPack("after the last kill");
        check("after the last kill");
        assertTrue(
            interrupted >= sharedCycles / 2,
            "only " + interrupted + " of " + sharedCycles + " kills landed during a reload");
      } finally {
        server.kill();
      }
    } finally {
      store.kill();
    }
  }

  /** Waits until the server reads its store again (a shared store started again). */
  void awaitStore() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (server.get("/api/v1/audit/verify", AUDITOR).statusCode() != 200) {
      assertTrue(System.nanoTime() < deadline, "the store did not come back");
      Thread.sleep(100);
    }
  }

  boolean killDuring(Call operation, long millis) {
    return killDuring(operation, millis, null);
  }

  /**
   * Starts {@code operation}, ingests while it runs, and kills the server (or, when given, its
   * shared {@code store}) at a random point within {@code millis} (how long the operation took
   * uninterrupted); true if the kill cut it short.
   */
  boolean killDuring(Call operation, long millis, StoreProcess store) {
    CompletableFuture<HttpResponse<String>> running = async(operation);
    long killAfter = random.nextInt((int) Math.max(50, millis));
    CompletableFuture<Void> killer =
        CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(killAfter, TimeUnit.MILLISECONDS))
            .thenRun(store != null ? store::kill : server::kill);
    while (!killer.isDone() && ingest()) {
      // writes, and so assessments, concurrent with the operation
    }
    killer.join();
    if (store != null) {
      // the server outlived its store: its answer to the operation says whether it was cut short
      try {
        return running.get(90, TimeUnit.SECONDS).statusCode() != 200;
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException
          | InterruptedException e) {
        return true;
      }
    }
    return !running.isDone() || running.isCompletedExceptionally();
  }

  // ---- checks ----

  /**
   * The running pack is the one the ledger names active; the activation records form one chain
   * (each names the one before it as previous); every drift was assessed by a pack on that chain.
   */
  String runningPack(String when) throws Exception {
    JsonNode pack =
        server.gql(AUDITOR, "{ rulePack { version activatedSeq } }").at("/data/rulePack");
    String version = pack.get("version").asText();
    assertTrue(pack.get("activatedSeq").isNumber(), when + ": the ledger does not name " + pack);
    List<String> chain = new ArrayList<>();
    String previous = null;
    for (JsonNode a :
        server.gql(AUDITOR, "{ auditTrail { action subject detail } }").at("/data/auditTrail")) {
      if (a.get("action").asText().equals("rulepack.activated")) {
        JsonNode detail = a.get("detail");
        assertEquals(previous, detail.get("previous").textValue(), when + ": " + a);
        previous = a.get("subject").asText();
        chain.add(previous);
      }
    }
    assertEquals(version, previous, when + ": the last activation is not the running pack");
    for (JsonNode d :
        server
            .gql(
                AUDITOR,
                "{ drifts(environment: \"maint-stg\") { assessment { rulePackVersion } } }")
            .at("/data/drifts")) {
      String v = d.at("/assessment/rulePackVersion").asText();
      assertTrue(chain.contains(v), when + ": a drift assessed by unrecorded pack " + v);
    }
    return version;
  }

  /** The ledger verifies, every acknowledged snapshot is stored, each with its audit record. */
  void check(String when) throws Exception {
    JsonNode verify =
        ServerProcess.JSON.readTree(server.get("/api/v1/audit/verify", AUDITOR).body());
    assertTrue(verify.get("valid").asBoolean(), when + ": " + verify);
    Set<Integer> stored = new HashSet<>();
    for (JsonNode c :
        server
            .gql(AUDITOR, "{ changes(environment: \"maint-stg\") { key to } }")
            .at("/data/changes")) {
      String key = c.get("key").asText();
      if (key.startsWith("flags.f") && "true".equals(c.get("to").toString())) {
        stored.add(Integer.parseInt(key.substring(7)));
      }
    }
    for (int i : acked) {
      assertTrue(stored.contains(i), when + ": acknowledged snapshot " + i + " is lost");
    }
    long ingested = 0;
    for (JsonNode a :
        server
            .gql(AUDITOR, "{ auditTrail(environment: \"maint-stg\") { action } }")
            .at("/data/auditTrail")) {
      ingested += a.get("action").asText().equals("snapshot.ingested") ? 1 : 0;
    }
    assertEquals(stored.size() + 1, ingested, when + ": snapshots and audit records disagree");
  }

  // ---- actions ----

  void seed() throws Exception {
    assertEquals(
        201,
        server
            .post(
                "/api/v1/blueprints",
                LOADER,
                "application/yaml",
                "bundle: maint\nversion: 1.0.0\nenvironments: [ { id: maint-stg, tier: STAGING,"
                    + " owner: o } ]\nconfig: { llm: { temperature: 0.5 } }\n")
            .statusCode());
    assertEquals(201, snapshot(0).statusCode());
  }

  /** One snapshot with a new flag; false once the server is gone. */
  boolean ingest() {
    try {
      if (snapshot(next).statusCode() / 100 != 2) {
        return false;
      }
      acked.add(next++);
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  HttpResponse<String> snapshot(int i) throws IOException, InterruptedException {
    String flags = i == 0 ? "" : ",\"flags\":{\"f" + i + "\":true}";
    return server.post(
        "/api/v1/snapshots",
        LOADER,
        "application/json",
        "{\"environment\":\"maint-stg\",\"observedAt\":\""
            + T0.plus(Duration.ofMinutes(i))
            + "\",\"config\":{\"llm\":{\"temperature\":0.5}"
            + flags
            + "}}");
  }

  /** Compacts, checks the answer; returns how long it took in milliseconds. */
  long compact() throws Exception {
    HttpResponse<String> r = postCompact();
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = ServerProcess.JSON.readTree(r.body());
    assertTrue(body.get("afterBytes").asLong() > 0, r.body());
    return body.get("millis").asLong();
  }

  HttpResponse<String> postCompact() throws IOException, InterruptedException {
    return server.post("/api/v1/admin/compact", ADMIN, "application/json", "");
  }

  HttpResponse<String> postReload() throws IOException, InterruptedException {
    return server.post("/api/v1/rulepacks/reload", ADMIN, "application/json", "");
  }

  /** A rule that never fires: a pack of a new version whose golden cases still pass. */
  static void marker(Path pack, int n) throws IOException {
    Files.writeString(
        pack.resolve("zz-crash-marker.drl"),
        "package org.plumbline.rules.crashmarker;\n\nrule \"crash marker "
            + n
            + "\"\nwhen\n  eval(false)\nthen\nend\n");
  }

  interface Call {
    HttpResponse<String> call() throws Exception;
  }

  static CompletableFuture<HttpResponse<String>> async(Call call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }

  static Path config(Path dir) throws IOException {
    Path config = dir.resolve("plumbline.yaml");
    Files.writeString(
        config,
        """
        auth:
          tokens:
            - { token: "%s", user: loader, roles: [loader] }
            - { token: "%s", user: root, roles: [admin] }
            - { token: "%s", user: audrey, roles: [auditor, viewer] }
        """
            .formatted(LOADER, ADMIN, AUDITOR));
    return config;
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
