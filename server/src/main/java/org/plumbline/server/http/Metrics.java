package org.plumbline.server.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/** Counters and latency sums rendered in the Prometheus text format. */
public final class Metrics {
  private final Map<String, AtomicLong> ingests = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requestCount = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> requestSeconds = new ConcurrentHashMap<>();

  public void ingest(String kind, String outcome) {
    ingests.computeIfAbsent(kind + "\u0000" + outcome, k -> new AtomicLong()).incrementAndGet();
  }

  private void request(String route, int status, double seconds) {
    String k = route + "\u0000" + status;
    requestCount.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
    requestSeconds.computeIfAbsent(k, x -> new DoubleAdder()).add(seconds);
  }

  /** Renders all metrics; {@code driftsByStatus} is read from the store at scrape time. */
  public String render(Map<String, Long> driftsByStatus) {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP plumbline_ingests_total Ingest requests by kind and outcome.\n");
    sb.append("# TYPE plumbline_ingests_total counter\n");
    ingests.forEach(
        (k, v) -> {
          String[] p = k.split("\u0000");
          sb.append("plumbline_ingests_total{kind=\"")
              .append(p[0])
              .append("\",outcome=\"")
              .append(p[1])
              .append("\"} ")
              .append(v.get())
              .append('\n');
        });
    sb.append("# HELP plumbline_drifts Drifts by status.\n");
    sb.append("# TYPE plumbline_drifts gauge\n");
    driftsByStatus.forEach(
        (s, n) ->
            sb.append("plumbline_drifts{status=\"")
                .append(s)
                .append("\"} ")
                .append(n)
                .append('\n'));
    sb.append("# HELP plumbline_http_request_seconds HTTP request latency by route and status.\n");
    sb.append("# TYPE plumbline_http_request_seconds summary\n");
    requestCount.forEach(
        (k, v) -> {
          String[] p = k.split("\u0000");
          String labels = "{route=\"" + p[0] + "\",status=\"" + p[1] + "\"}";
          sb.append("plumbline_http_request_seconds_count")
              .append(labels)
              .append(' ')
              .append(v.get())
              .append('\n');
          sb.append("plumbline_http_request_seconds_sum")
              .append(labels)
              .append(' ')
              .append(requestSeconds.get(k).sum())
              .append('\n');
        });
    return sb.toString();
  }

  /** Counts every request by route and status, with its latency, once its body has gone. */
  public void timed(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(
        v ->
            request(
                routeName(ctx.request().path()),
                ctx.response().getStatusCode(),
                (System.nanoTime() - start) / 1e9));
    ctx.next();
  }

  /** The route a path is counted under: one name per route, "other" for any unknown path. */
  public static String routeName(String path) {
    if (path.startsWith("/api/v1/environments/")) {
      return "/api/v1/environments/{id}/audit";
    }
    if (path.startsWith("/graphiql")) {
      return "/graphiql";
    }
    return switch (path) {
      case "/health",
          "/health/live",
          "/health/ready",
          "/graphql",
          "/metrics",
          "/api/v1/blueprints",
          "/api/v1/snapshots",
          "/api/v1/metrics",
          "/api/v1/change-requests",
          "/api/v1/prompts",
          "/api/v1/audit/verify",
          "/api/v1/audit/export",
          "/api/v1/admin/backup",
          "/api/v1/admin/compact",
          "/api/v1/rulepacks/reload" ->
          path;
      default -> "other";
    };
  }
}
