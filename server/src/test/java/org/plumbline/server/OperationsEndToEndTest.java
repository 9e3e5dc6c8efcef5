package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.server.config.ServerConfig;
import org.plumbline.server.demo.DemoWorld;

/**
 * Issue 20: the operator's view of a running demo. {@code /metrics} is Micrometer's Prometheus
 * exposition: the JVM and Vert.x figures, and governance gauges whose values agree with what
 * GraphQL says about the same store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-22T01:31:00Z");

  @TempDir static Path data;
  PlumblineServer server;
  String base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startDemo() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withData(data)
            .withRules(Path.of("../rules"))
            .withTokens(DemoWorld.TOKENS);
    server = PlumblineServer.startLoading(config, clock, DemoWorld.historyStart(clock));
    DemoWorld.load(server, clock, line -> {});
    server.markReady();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void metricsCarryTheContractsNamesInThePrometheusTextFormat() throws Exception {
    get("/health", "demo-viewer-token"); // one request counted before the scrape
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/snapshots"))
                .header("Authorization", "Bearer demo-loader-token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"environment\": 1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, refused.statusCode(), refused.body());
    HttpResponse<String> scrape = get("/metrics", "demo-viewer-token");
    assertEquals(200, scrape.statusCode(), scrape.body());
    assertTrue(
        scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        scrape.headers().toString());
    Exposition metrics = Exposition.parse(scrape.body());
    for (String name :
        List.of(
            "plumbline_drifts_open",
            "plumbline_drift_oldest_open_seconds",
            "plumbline_dispositions_pending",
            "plumbline_environment_last_observed_timestamp_seconds",
            "plumbline_ledger_records",
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds_count",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "process_uptime_seconds",
            "vertx_http_server_requests_total",
            "vertx_pool_queue_pending",
            "plumbline_http_request_seconds_count",
            "plumbline_ingests_total",
            "plumbline_ingest_seconds_bucket",
            "plumbline_drifts",
            "plumbline_store_size_bytes",
            "plumbline_journal_size_bytes",
            "plumbline_event_loop_lag_seconds_count",
            "plumbline_http_errors_total",
            "plumbline_ledger_verified")) {
      assertTrue(metrics.has(name), name + " missing from\n" + metrics.names());
    }
    // Bounded label sets: every severity x tier x risk, each with its count.
    assertEquals(64, metrics.samples("plumbline_drifts_open").size());
    assertEquals(
        Map.of("severity", "CRITICAL", "tier", "REGULATED", "risk", "SECURITY").keySet(),
        metrics.samples("plumbline_drifts_open").get(0).labels().keySet());
    assertEquals(4, metrics.samples("plumbline_drift_oldest_open_seconds").size());
    assertEquals(
        1,
        metrics.sum("plumbline_ingests_total", Map.of("kind", "snapshot", "outcome", "refused")));
    assertEquals(
        1,
        metrics.sum(
            "plumbline_ingest_seconds_count", Map.of("kind", "snapshot", "outcome", "refused")));
    assertTrue(metrics.sum("plumbline_http_errors_total", Map.of()) >= 1);
  }

  @Test
  void governanceGaugesAgreeWithGraphQL() throws Exception {
    Exposition metrics = Exposition.parse(get("/metrics", "demo-viewer-token").body());
    JsonNode envs =
        graphql("{ environments { id tier drifts { status detectedAt assessment { severity } } } }")
            .path("environments");
    long live = 0;
    long liveCriticalRegulated = 0;
    for (JsonNode e : envs) {
      for (JsonNode d : e.path("drifts")) {
        String s = d.path("status").asText();
        if (s.equals("OPEN") || s.equals("PENDING_APPROVAL") || s.equals("REVERT_APPROVED")) {
          live++;
          if (d.path("assessment").path("severity").asText().equals("CRITICAL")
              && e.path("tier").asText().equals("REGULATED")) {
            liveCriticalRegulated++;
          }
        }
      }
    }
    assertTrue(live > 0, "the demo has live drifts");
    assertEquals(live, (long) metrics.sum("plumbline_drifts_open", Map.of()));
    assertEquals(
        liveCriticalRegulated,
        (long)
            metrics.sum(
                "plumbline_drifts_open", Map.of("severity", "CRITICAL", "tier", "REGULATED")));
    assertEquals(
        envs.size(), metrics.samples("plumbline_environment_observe_interval_seconds").size());
    long records = server.store().read(r -> r.auditCount());
    assertTrue(metrics.sum("plumbline_ledger_records", Map.of()) >= records);
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode graphql(String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/graphql"))
                .header("Authorization", "Bearer demo-viewer-token")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode().put("query", query).toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    assertTrue(body.path("errors").isMissingNode(), r.body());
    return body.path("data");
  }
}
