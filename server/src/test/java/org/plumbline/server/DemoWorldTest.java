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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.demo.DemoWorld;
import org.plumbline.server.write.Rebuild;

/**
 * Issue 13: the demo is ready only once its world is in ({@code /health} 503 STARTING before,
 * liveness 200 throughout), and its ledger is true to the README: the records of the demo's history
 * carry the instants they would have had, not the instant the demo started, and still never go back
 * in time.
 */
class DemoWorldTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-22T01:31:00Z");

  @Test
  void readyAfterTheWorldLoadsAndTheLedgerCarriesTheDemosPast(@TempDir Path data) throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(DemoWorld.TOKENS);
    HttpClient http = HttpClient.newHttpClient();
    try (PlumblineServer server =
        PlumblineServer.startLoading(config, clock, DemoWorld.historyStart(clock))) {
      String base = "http://127.0.0.1:" + server.port();
      assertEquals(503, get(http, base + "/health").statusCode());
      assertEquals(
          "STARTING", JSON.readTree(get(http, base + "/health").body()).path("status").asText());
      assertEquals(503, get(http, base + "/health/ready").statusCode());
      assertEquals(200, get(http, base + "/health/live").statusCode());
      DemoWorld.load(server, clock, line -> {});
      server.markReady();
      HttpResponse<String> up = get(http, base + "/health");
      assertEquals(200, up.statusCode());
      assertEquals("{\"status\":\"UP\"}", up.body());
      assertEquals(200, get(http, base + "/health/ready").statusCode());

      HttpResponse<String> export =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/export"))
                      .header("Authorization", "Bearer demo-auditor-token")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, export.statusCode(), export.body());
      JsonNode records = JSON.readTree(export.body()).path("records");
      assertTrue(records.size() > 100, export.body().substring(0, 200));
      Instant previous = Instant.MIN;
      List<Instant> registrations = new ArrayList<>();
      for (JsonNode r : records) {
        Instant at = Instant.parse(r.path("at").asText());
        assertFalse(at.isBefore(previous), "the ledger goes back in time at " + r);
        previous = at;
        if (r.path("action").asText().equals("environment.registered")) {
          registrations.add(at);
        }
      }
      // Eight environments, the first three bundles' registered at the start of the history
      // (about 120 days ago), the later ones on their days: none at start-up.
      assertEquals(8, registrations.size(), registrations.toString());
      assertEquals(DemoWorld.historyStart(clock), registrations.get(0));
      for (Instant at : registrations) {
        assertTrue(at.isBefore(NOW.minus(Duration.ofDays(5))), "registered at start-up: " + at);
      }
      assertTrue(registrations.get(0).isBefore(NOW.minus(Duration.ofDays(119))));
      // The ledger still verifies.
      HttpResponse<String> verify =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/verify"))
                      .header("Authorization", "Bearer demo-auditor-token")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertTrue(JSON.readTree(verify.body()).path("valid").asBoolean(), verify.body());
    }
    // Issue 15: the demo is journaled through the server's write path, so a rebuild of its
    // folder reproduces it: same environments, drifts, dispositions, metrics, prompts, ledger.
    Path rebuilt = data.resolveSibling(data.getFileName() + "-rebuilt");
    Rebuild.Outcome outcome =
        Rebuild.run(data, rebuilt, RulePacks.load(Path.of("../rules")), line -> {});
    assertEquals(0, outcome.refused(), outcome.toString());
    try (org.plumbline.ontology.GraphStore a = org.plumbline.ontology.GraphStore.openTdb2(data);
        org.plumbline.ontology.GraphStore b = org.plumbline.ontology.GraphStore.openTdb2(rebuilt)) {
      assertEquals(world(a), world(b));
      List<String> before = ledger(a);
      List<String> after = ledger(b);
      assertEquals(before, after, "the ledger, less the server's start-up and the rebuild's end");
      assertTrue(before.size() > 500, "the whole demo is in the journal: " + before.size());
    }
    // The README says what this test checks.
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains("instants they would have had"), "README and demo out of step");
  }

  /** What a demo store holds, as comparable text. */
  static List<String> world(org.plumbline.ontology.GraphStore store) {
    return store.read(
        r -> {
          List<String> out = new ArrayList<>();
          for (var e : r.environments()) {
            out.add(e.toString());
            for (var d : r.drifts(e.id())) {
              out.add(d + " trail=" + r.driftTrail(d.id()) + " " + r.dispositions(d.id()));
            }
            for (var m : r.metricSeriesOf(e.id())) {
              out.add(m + " " + r.metricWindows(e.id(), m.metric()));
            }
            out.add(e.id() + " changes=" + r.changes(e.id(), null, null));
          }
          for (String prompt : List.of("fraud-classifier", "credit-assistant")) {
            out.add(prompt + " " + r.promptVersions(prompt));
          }
          return out;
        });
  }

  /** The ledger's records (action, subject, instant), less those no input journals. */
  static List<String> ledger(org.plumbline.ontology.GraphStore store) {
    return store.read(
        r ->
            r.audit(null, null, null).stream()
                .filter(a -> !a.action().equals("rulepack.activated"))
                .filter(a -> !a.action().equals("store.rebuilt"))
                .map(a -> a.action() + " " + a.subject() + " " + a.at() + " " + a.detail())
                .toList());
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
