package org.plumbline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
            .withTokens(DemoWorld.TOKENS)
            // Nothing listens there: deliveries fail, and the webhook meters show it.
            .withWebhooks(
                List.of(new ServerConfig.Webhook("http://127.0.0.1:9/hook", null, List.of())));
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
            "plumbline_ledger_verified",
            "plumbline_webhook_deliveries_total",
            "plumbline_webhook_consecutive_failures")) {
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

  /** The metric names a PromQL text uses: every name of a family the server exports. */
  static Set<String> metricNames(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(promql);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  static final Pattern METRIC =
      Pattern.compile("\\b(plumbline|jvm|process|system|vertx)_[a-zA-Z0-9_]+");

  static final Path DEPLOY = Path.of("../deploy");

  @Test
  void everyMetricTheDashboardAndTheAlertRulesQueryIsExported() throws Exception {
    Set<String> queried = new TreeSet<>();
    JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/plumbline-dashboard.json").toFile());
    List<String> exprs = dashboard.findValuesAsText("expr");
    assertTrue(exprs.size() >= 20, "the dashboard's queries: " + exprs);
    exprs.forEach(e -> queried.addAll(metricNames(e)));
    JsonNode rules =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
    List<String> alerts = rules.findValuesAsText("expr");
    assertTrue(alerts.size() >= 5, "the alert rules: " + alerts);
    alerts.forEach(e -> queried.addAll(metricNames(e)));
    for (String contract :
        List.of(
            "plumbline_drifts_open",
            "plumbline_drift_oldest_open_seconds",
            "plumbline_dispositions_pending",
            "plumbline_environment_last_observed_timestamp_seconds",
            "plumbline_ledger_records",
            "jvm_memory_used_bytes")) {
      assertTrue(queried.contains(contract), "the dashboard shows " + contract);
    }
    Set<String> exported = Exposition.parse(get("/metrics", "demo-viewer-token").body()).names();
    Set<String> missing = new TreeSet<>(queried);
    missing.removeAll(exported);
    assertEquals(Set.of(), missing, "queried but not exported");
  }

  /** CI installs Debian's prometheus package (.ci/run), which brings promtool. */
  @Test
  void theAlertRulesPassPromtool() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(
        Files.isExecutable(promtool),
        "promtool is missing: install Debian's prometheus package (.ci/run does) to check the rules");
    for (List<String> command :
        List.of(
            List.of(promtool.toString(), "check", "rules", "alerts.yml"),
            List.of(promtool.toString(), "test", "rules", "alerts.test.yml"))) {
      Process p =
          new ProcessBuilder(command)
              .directory(DEPLOY.resolve("prometheus").toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), command + "\n" + out);
    }
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
