package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real server process with SIGKILL at random points while a client ingests snapshots,
 * requests dispositions and approves them, then restarts it: no acknowledged write may be lost, the
 * ledger must verify after every restart, and every stored snapshot must have its audit record
 * (written in the same transaction). {@code -Dplumbline.crash.cycles=N} sets the cycle count.
 */
class CrashSafetyTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String LOADER = "crash-loader-token-001";
  static final String OPERATOR = "crash-operator-token-01";
  static final String APPROVER = "crash-approver-token-01";
  static final String AUDITOR = "crash-auditor-token-001";
  static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
  static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  final Set<Integer> ackedSnapshots = new HashSet<>();
  final Set<String> ackedRequests = new HashSet<>();
  final Set<String> ackedApprovals = new HashSet<>();
  int port;

  @Test
  void killNineLosesNoAcknowledgedWrite(@TempDir Path dir) throws Exception {
    int cycles = Integer.getInteger("plumbline.crash.cycles", 50);
    Path config = dir.resolve("plumbline.yaml");
    Files.writeString(
        config,
        """
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
    for (int cycle = 0; cycle < cycles; cycle++) {
      Process server = start(config, data);
      try {
        if (cycle == 0) {
          assertEquals(
              201,
              post(
                      "/api/v1/blueprints",
                      LOADER,
                      "application/yaml",
                      "bundle: crash\nversion: 1.0.0\nenvironments: [ { id: crash-stg, tier: STAGING, owner: o } ]\n"
                          + "config: { llm: { temperature: 0.5 } }\n")
                  .statusCode());
          assertEquals(201, postSnapshot(0).statusCode());
        }
        checkNothingLost(cycle);
        long killAfter = 300 + random.nextInt(2000);
        CompletableFuture<Void> killer =
            CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(killAfter, TimeUnit.MILLISECONDS))
                .thenRun(server::destroyForcibly);
        while (!killer.isDone()) {
          if (!step(next)) {
            break;
          }
          next++;
        }
        killer.join();
      } finally {
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
      }
    }
    Process server = start(config, data);
    try {
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
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
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
          gql(OPERATOR, "{ drifts(environment: \"crash-stg\", status: [OPEN]) { id key } }")
              .at("/data/drifts")) {
        if (d.get("key").asText().equals("flags.f" + i)) {
          drift = d.get("id").asText();
        }
      }
      if (drift == null) {
        return true;
      }
      JsonNode requested =
          gql(
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
          gql(
              APPROVER,
              "mutation { approveDisposition(disposition: \""
                  + id
                  + "\", meaning: \"ok\") { status } }");
      if ("APPROVED".equals(approved.at("/data/approveDisposition/status").asText(null))) {
        ackedApprovals.add(id);
      }
      return true;
    } catch (IOException | InterruptedException e) {
      return false; // the server died under us: this step's unacknowledged writes may or may not
      // exist
    }
  }

  void checkNothingLost(int cycle) throws Exception {
    JsonNode verify = JSON.readTree(get("/api/v1/audit/verify", AUDITOR).body());
    assertTrue(verify.get("valid").asBoolean(), "cycle " + cycle + ": " + verify);

    JsonNode changes =
        gql(AUDITOR, "{ changes(environment: \"crash-stg\") { key to at } }").at("/data/changes");
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
        gql(AUDITOR, "{ auditTrail(environment: \"crash-stg\") { action } }")
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
        gql(AUDITOR, "{ dispositions(environment: \"crash-stg\") { id status approvals { by } } }")
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

  Process start(Path config, Path data) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.plumbline.server.Main",
                "serve",
                "--config",
                config.toString(),
                "--data",
                data.toString(),
                "--port",
                "0",
                "--rules",
                "../rules"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    StringBuilder seen = new StringBuilder();
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        // Keep draining the child's output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "drain");
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    p.destroyForcibly();
    throw new AssertionError("server did not start:\n" + seen);
  }

  HttpResponse<String> postSnapshot(int i) throws IOException, InterruptedException {
    String flag = i == 0 ? "" : ",\"flags\":{\"f" + i + "\":true}";
    String body =
        "{\"environment\":\"crash-stg\",\"observedAt\":\""
            + T0.plus(Duration.ofMinutes(i))
            + "\",\"config\":{\"llm\":{\"temperature\":0.5}"
            + flag
            + "}}";
    return post("/api/v1/snapshots", LOADER, "application/json", body);
  }

  HttpResponse<String> post(String path, String token, String type, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode gql(String token, String query) throws IOException, InterruptedException {
    HttpResponse<String> r =
        post(
            "/graphql", token, "application/json", JSON.writeValueAsString(Map.of("query", query)));
    JsonNode body = JSON.readTree(r.body());
    assertFalse(r.statusCode() >= 500, r.body());
    return body;
  }
}
