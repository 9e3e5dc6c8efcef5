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
    // The README says what this test checks.
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains("instants they would have had"), "README and demo out of step");
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
