package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.server.config.ServerConfig;

/**
 * Concurrent loaders share commits; a refused snapshot in a shared group is refused alone and the
 * others are stored, once each, with an intact ledger.
 */
class GroupCommitTest {
  static final String LOADER = "group-loader-token-0001";

  @Test
  void concurrentIngestsAreStoredOnceEachAndARefusalStaysAlone(@TempDir Path data)
      throws Exception {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(List.of(new ServerConfig.Token(LOADER, "loader", Set.of("loader"))));
    try (PlumblineServer server =
        PlumblineServer.start(
            config, Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC))) {
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(
          201,
          post(http, server, "/api/v1/blueprints", EndToEndTest.BLUEPRINT, "application/yaml"));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        // Every tenth snapshot names an environment no blueprint declares.
        String env = i % 10 == 9 ? "nobody-prod" : "credit-model-prod";
        String body =
            EndToEndTest.snapshot(
                env,
                Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * i).toString(),
                EndToEndTest.config(0.3 + (i % 7) / 10.0, "gpt-4o-2024-08-06", 0.8));
        answers.add(
            pool.submit(() -> post(http, server, "/api/v1/snapshots", body, "application/json")));
      }
      int created = 0;
      int refused = 0;
      for (Future<Integer> f : answers) {
        int status = f.get();
        created += status == 201 ? 1 : 0;
        refused += status == 404 ? 1 : 0;
      }
      pool.shutdown();
      assertEquals(36, created);
      assertEquals(4, refused);
      AuditLedger.Verification v = server.store().read(AuditLedger::verify);
      assertTrue(v.valid(), String.valueOf(v.reason()));
      long ingested =
          server.store().read(r -> r.audit("credit-model-prod", null, null)).stream()
              .filter(a -> a.action().equals("snapshot.ingested"))
              .count();
      assertEquals(36, ingested);
    }
  }

  static int post(HttpClient http, PlumblineServer server, String path, String body, String type)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + LOADER)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
