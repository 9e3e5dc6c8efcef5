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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.cli.StoreServer;

/**
 * Issue 22: two real server processes on one shared store (Apache Jena Fuseki on TDB2, as {@code
 * plumbline store-server} starts it), a loader posting snapshots through each, and one server
 * killed with SIGKILL while its loader is ingesting. Every snapshot either server acknowledged is
 * in the store with its audit record, the ledger is one valid chain that both servers (the killed
 * one started again) see alike, and the survivor kept acknowledging writes after the kill.
 */
class SharedStoreKillIT {
  static final String LOADER = "shared-loader-token-001";
  static final String AUDITOR = "shared-auditor-token-01";
  static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
  static final Duration WAIT = Duration.ofMinutes(3);

  /** The snapshots each server acknowledged, by environment. */
  final Set<Integer> ackedA = ConcurrentHashMap.newKeySet();

  final Set<Integer> ackedB = ConcurrentHashMap.newKeySet();

  @Test
  void killNineOfOneServerMidIngestLosesNoAcknowledgedWriteAndTheOtherKeepsServing(
      @TempDir Path dir) throws Exception {
    try (StoreServer store = StoreServer.start(dir.resolve("store"), 0, true, null)) {
      Path config = config(dir, store.url());
      CompletableFuture<ServerProcess> startA =
          CompletableFuture.supplyAsync(() -> start(config, dir.resolve("a")));
      ServerProcess b = start(config, dir.resolve("b"));
      ServerProcess a = startA.join();
      log("both servers up");
      try {
        assertEquals(
            201,
            a.post(
                    "/api/v1/blueprints",
                    LOADER,
                    "application/yaml",
                    """
                    bundle: shared
                    version: 1.0.0
                    environments:
                      - { id: shared-a, tier: STAGING, owner: o }
                      - { id: shared-b, tier: STAGING, owner: o }
                    config: { llm: { temperature: 0.5 } }
                    """)
                .statusCode());
        for (String env : new String[] {"shared-a", "shared-b"}) { // the first, without flags
          assertEquals(
              201,
              a.post("/api/v1/snapshots", LOADER, "application/json", snapshot(env, 0))
                  .statusCode());
        }
        AtomicBoolean stopB = new AtomicBoolean();
        CompletableFuture<Void> loadA = load(a, "shared-a", ackedA, new AtomicBoolean());
        CompletableFuture<Void> loadB = load(b, "shared-b", ackedB, stopB);
        await(
            () -> ackedA.size() >= 2 && ackedB.size() >= 1 || loadB.isCompletedExceptionally(),
            "both loaders acknowledged");
        // a is ingesting (its loader posts back to back): kill it in the middle of a request
        Thread.sleep(50 + (System.nanoTime() % 200));
        a.kill();
        log("a killed");
        loadA.join(); // its loader stops at the first request that got no answer
        int survivorBefore = ackedB.size();
        await(
            () -> ackedB.size() >= survivorBefore + 1 || loadB.isCompletedExceptionally(),
            "the survivor keeps acknowledging");
        stopB.set(true);
        loadB.join();
        log("loaders stopped");

        checkNothingLost(b);
        try (ServerProcess again = start(config, dir.resolve("a"))) {
          checkNothingLost(again);
          // Both see one chain: the same root over the same records (read again when a write,
          // such as the restarted server's own start-up record, landed between the two reads).
          JsonNode seenByA = null;
          JsonNode seenByB = null;
          for (int i = 0; i < 5 && (seenByA == null || !seenByA.equals(seenByB)); i++) {
            seenByA = verify(again);
            seenByB = verify(b);
          }
          assertEquals(seenByB.get("root"), seenByA.get("root"), "one chain, seen alike by both");
          assertEquals(seenByB.get("records"), seenByA.get("records"));
        }
        log("checked");
      } finally {
        a.kill();
        b.kill();
      }
    }
  }

  static Path config(Path dir, String storeUrl) throws IOException {
    Path key = dir.resolve("shared.key");
    Files.writeString(key, "0123456789abcdef".repeat(4) + "\n");
    Path config = dir.resolve("plumbline.yaml");
    Files.writeString(
        config,
        """
        store: { sparql: "%s" }
        secrets: { hmacKey: "%s" }
        auth:
          tokens:
            - { token: "%s", user: loader, roles: [loader] }
            - { token: "%s", user: audrey, roles: [auditor, viewer] }
        """
            .formatted(storeUrl, key, LOADER, AUDITOR));
    return config;
  }

  static ServerProcess start(Path config, Path data) {
    try {
      return ServerProcess.start(config, data, Path.of("../rules"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Posts snapshot after snapshot (each with a new flag) until told to stop or unanswered. */
  static CompletableFuture<Void> load(
      ServerProcess server, String env, Set<Integer> acked, AtomicBoolean stop) {
    ExecutorService thread = Executors.newSingleThreadExecutor(); // each loader its own thread
    CompletableFuture<Void> load =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 1; !stop.get(); i++) {
                try {
                  HttpResponse<String> r =
                      server.post(
                          "/api/v1/snapshots", LOADER, "application/json", snapshot(env, i));
                  if (r.statusCode() / 100 != 2) {
                    throw new AssertionError("snapshot " + i + " of " + env + ": " + r.body());
                  }
                  acked.add(i);
                } catch (IOException | InterruptedException e) {
                  return; // the server died: this snapshot may or may not be stored, whole
                }
              }
            },
            thread);
    thread.shutdown(); // ends once the loader does
    return load;
  }

  static String snapshot(String env, int i) {
    return "{\"environment\":\""
        + env
        + "\",\"observedAt\":\""
        + T0.plus(Duration.ofMinutes(i))
        + "\",\"config\":{\"llm\":{\"temperature\":0.5}"
        + (i == 0 ? "" : ",\"flags\":{\"f" + i + "\":true}")
        + "}}";
  }

  /**
   * Checks, through one server, that every acknowledged snapshot of both loaders is stored with its
   * audit record and nothing else is half there, and that the ledger verifies.
   */
  void checkNothingLost(ServerProcess server) throws Exception {
    JsonNode verify = verify(server);
    assertTrue(verify.get("valid").asBoolean(), verify.toString());
    for (String env : new String[] {"shared-a", "shared-b"}) {
      Set<Integer> acked = env.equals("shared-a") ? ackedA : ackedB;
      Set<Integer> stored = new HashSet<>();
      for (JsonNode c :
          server
              .gql(AUDITOR, "{ changes(environment: \"" + env + "\") { key to at } }")
              .at("/data/changes")) {
        String key = c.get("key").asText();
        if (key.startsWith("flags.f") && "true".equals(c.get("to").toString())) {
          int i = Integer.parseInt(key.substring(7));
          assertEquals(T0.plus(Duration.ofMinutes(i)).toString(), c.get("at").asText());
          stored.add(i);
        }
      }
      for (int i : acked) {
        assertTrue(stored.contains(i), env + ": acknowledged snapshot " + i + " is lost");
      }
      long ingested = 0;
      for (JsonNode r :
          server
              .gql(AUDITOR, "{ auditTrail(environment: \"" + env + "\") { action } }")
              .at("/data/auditTrail")) {
        if (r.get("action").asText().equals("snapshot.ingested")) {
          ingested++;
        }
      }
      assertEquals(
          stored.size() + 1, ingested, env + ": stored snapshots and their audit records disagree");
    }
  }

  static JsonNode verify(ServerProcess server) throws Exception {
    HttpResponse<String> v = server.get("/api/v1/audit/verify", AUDITOR);
    assertEquals(200, v.statusCode(), v.body());
    return ServerProcess.JSON.readTree(v.body());
  }

  final long t0 = System.nanoTime();

  /** Progress with the seconds since the start, into the test's output file. */
  void log(String what) {
    System.out.printf(
        "%6.1f s  %s (a acknowledged %d, b %d)%n",
        (System.nanoTime() - t0) / 1e9, what, ackedA.size(), ackedB.size());
  }

  static void await(java.util.function.BooleanSupplier done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
