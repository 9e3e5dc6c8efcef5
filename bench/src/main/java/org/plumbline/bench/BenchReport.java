package org.plumbline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The benchmark's figures as the table {@code plumbline bench} prints. */
public final class BenchReport {
  private BenchReport() {}

  /** A Markdown table, one row per figure, then the run's context. */
  public static String table(JsonNode r) {
    StringBuilder sb = new StringBuilder();
    JsonNode w = r.path("world");
    sb.append(
        String.format(
            Locale.ROOT,
            "world: %,d environments, %,d changes in %,d snapshots (seed %d), %d to %d keys;"
                + " %,d-key dependency graph; %d cores%n",
            w.path("environments").asLong(),
            w.path("changes").asLong(),
            w.path("snapshots").asLong(),
            w.path("seed").asLong(),
            w.path("keys_min").asInt(),
            w.path("keys_max").asInt(),
            w.path("dependency_keys").asLong(),
            r.path("machine").path("cores").asInt()));
    sb.append("| workload | ours | baseline | ratio | target | met |\n");
    sb.append("|---|---|---|---|---|---|\n");
    JsonNode w1 = r.path("W1");
    String w1Name =
        "W1 ingest, "
            + w.path("ingest_keys").asInt()
            + "-key snapshots, HTTP, "
            + w.path("loaders").asInt()
            + " loaders, durable";
    if (w1.isMissingNode()) {
      notRun(sb, w1Name);
    } else {
      row(
          sb,
          w1Name,
          String.format(
              Locale.ROOT,
              "%.1f snapshots/s, %,.0f keys/s; post latency under that load p50 %s / p99 %s ms;"
                  + " %d compactions while it ran",
              w1.path("ours").path("snapshots_per_s").asDouble(),
              w1.path("ours").path("keys_per_s").asDouble(),
              num(w1.path("ours").path("post_p50_ms").asDouble()),
              num(w1.path("ours").path("post_p99_ms").asDouble()),
              w1.path("ours").path("compactions").asInt()),
          String.format(
              Locale.ROOT,
              "%,.0f keys/s (Jackson parse-and-diff, 1 core)",
              w1.path("baseline").path("keys_per_s").asDouble()),
          w1);
    }
    latencyRow(sb, "W2a changes of one environment, last 90 days", r.path("W2a"));
    latencyRow(sb, "W2b change counts per PROD environment, last 90 days", r.path("W2b"));
    JsonNode w3 = r.path("W3");
    if (w3.isMissingNode()) {
      notRun(sb, "W3 drifts assessed by the shipped packs (1 thread)");
    } else {
      row(
          sb,
          "W3 drifts assessed by the shipped packs (1 thread)",
          String.format(
              Locale.ROOT,
              "first assessments %,.0f /s (%,.0f per CPU second; rules fired for %,d of %,d);"
                  + " through a fresh pack %,.0f /s (%,.0f per CPU second; fired for %,d of %,d);"
                  + " re-assessed, blast radius changed: %,.0f /s (%,.0f per CPU second, ratio"
                  + " %.2f)",
              w3.path("ours").path("per_s").asDouble(),
              w3.path("ours").path("cpu_per_s").asDouble(),
              w3.path("ours").path("fired").asLong(),
              w3.path("ours").path("assessed").asLong(),
              w3.path("ours").path("cold_per_s").asDouble(),
              w3.path("ours").path("cold_cpu_per_s").asDouble(),
              w3.path("ours").path("cold_fired").asLong(),
              w3.path("ours").path("cold_assessed").asLong(),
              w3.path("ours").path("reassessed_per_s").asDouble(),
              w3.path("ours").path("reassessed_cpu_per_s").asDouble(),
              w3.path("reassessed_ratio").asDouble()),
          String.format(Locale.ROOT, "%,d /s (target)", RuleThroughput.TARGET),
          w3);
    }
    latencyRow(sb, "W4 transitive dependents", r.path("W4"));
    JsonNode pgW4 = r.path("W4").path("postgres");
    if (!pgW4.isMissingNode()) {
      sb.append(
          String.format(
              Locale.ROOT, "| W4 beside PostgreSQL (recursive CTE) | | %s | | | |%n", ms(pgW4)));
    }
    if (r.has("start")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| server start (store open, rules compiled, /health answered) | %,.0f ms | | | | |%n",
              r.path("start").path("ms").asDouble()));
    }
    JsonNode s = r.path("store");
    if (s.isMissingNode()) {
      notRun(sb, "store size per million changes, after compaction");
    } else {
      row(
          sb,
          "store size per million changes, after compaction (same data: environments and changes)",
          mb(s.path("changes_only_bytes_per_million_changes").asLong())
              + " (whole governed store: "
              + mb(s.path("bytes_per_million_changes").asLong())
              + ")",
          s.has("postgres_bytes_per_million_changes")
              ? mb(s.path("postgres_bytes_per_million_changes").asLong()) + " (PostgreSQL)"
              : "not run",
          s);
    }
    JsonNode w5 = r.path("W5");
    if (w5.has("inbox")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| W5 console inbox over HTTP, %s | first page p50 %s / p95 %s ms; filtered p50 %s"
                  + " / p95 %s ms | | | under 300 ms | |%n",
              w5.path("what").asText().replaceFirst("^.*signed in; ", ""),
              num(w5.path("inbox").path("p50_ms").asDouble()),
              num(w5.path("inbox").path("p95_ms").asDouble()),
              num(w5.path("inbox_filtered").path("p50_ms").asDouble()),
              num(w5.path("inbox_filtered").path("p95_ms").asDouble())));
    }
    JsonNode w6 = r.path("W6");
    String w6Name =
        "W6 bulk history import, "
            + w.path("history_keys").asInt()
            + "-key snapshot files, durable";
    if (w6.isMissingNode()) {
      notRun(sb, w6Name);
    } else {
      row(
          sb,
          w6Name,
          String.format(
              Locale.ROOT,
              "%,.0f snapshots/s (%,d files in %.1f s)",
              w6.path("ours").path("snapshots_per_s").asDouble(),
              w6.path("ours").path("snapshots").asInt(),
              w6.path("ours").path("seconds").asDouble()),
          String.format(
              Locale.ROOT,
              "%,.0f files/s (Jackson read-and-flatten, 1 core)",
              w6.path("baseline").path("files_per_s").asDouble()),
          w6);
    }
    JsonNode m = r.path("memory");
    sb.append(
        String.format(
            Locale.ROOT,
            "| peak memory | heap in use after a collection at most %s (pools' peaks summed %s,"
                + " max heap %s), RSS %s%s | | | | |%n",
            mb(m.path("peak_heap_after_gc_bytes").asLong()),
            mb(m.path("peak_heap_bytes").asLong()),
            mb(m.path("max_heap_bytes").asLong()),
            m.has("peak_rss_bytes") ? mb(m.path("peak_rss_bytes").asLong()) : "n/a",
            m.has("peak_rss_anon_bytes")
                ? " (without mapped files "
                    + mb(m.path("peak_rss_anon_bytes").asLong())
                    + ", mapped files "
                    + mb(m.path("peak_rss_file_bytes").asLong())
                    + ")"
                : ""));
    JsonNode load = r.path("load");
    if (!load.isMissingNode()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nworld load (bulk, one transaction per environment): %,.0f s, %,.0f changes/s;"
                  + " compaction %.1f s (%s before, %s after); during the load %d compactions on"
                  + " growth, growth between them at most %.2fx the compacted size (%s; %s before"
                  + " the first)%n",
              load.path("seconds").asDouble(),
              load.path("changes_per_s").asDouble(),
              load.path("compaction_seconds").asDouble(),
              mb(s.path("bytes_before_compaction").asLong()),
              mb(s.path("bytes").asLong()),
              s.path("compactions_on_growth").asInt(),
              s.path("peak_growth_ratio").asDouble(),
              mb(s.path("peak_growth_bytes").asLong()),
              mb(s.path("peak_bytes_before_first_compaction").asLong())));
      if (load.has("met")) {
        sb.append(
            String.format(
                Locale.ROOT,
                "full-size world: loaded in %.1f minutes; goal under 30 minutes: %s%n",
                load.path("seconds").asDouble() / 60,
                load.path("met").asBoolean() ? "met" : "not met"));
      }
    }
    if (r.has("postgres_skipped")) {
      sb.append("PostgreSQL baseline not run: ").append(r.path("postgres_skipped").asText());
      sb.append('\n');
    } else if (r.has("postgres_version")) {
      sb.append("baseline: ").append(r.path("postgres_version").asText()).append(" on loopback\n");
    }
    sb.append(r.path("note").asText()).append('\n');
    return sb.toString();
  }

  private static void notRun(StringBuilder sb, String name) {
    sb.append("| ").append(name).append(" | not run | | | | |\n");
  }

  private static void latencyRow(StringBuilder sb, String name, JsonNode w) {
    if (w.isMissingNode()) {
      notRun(sb, name);
      return;
    }
    JsonNode o = w.path("ours");
    row(
        sb,
        name,
        ms(o) + " (GraphQL over HTTP " + ms(o.path("graphql")) + ")",
        w.path("baseline").has("p50_ms")
            ? ms(w.path("baseline")) + " (" + w.path("baseline").path("name").asText() + ")"
            : "not run",
        w);
  }

  private static String ms(JsonNode n) {
    return String.format(
        Locale.ROOT,
        "p50 %s / p99 %s ms",
        num(n.path("p50_ms").asDouble()),
        num(n.path("p99_ms").asDouble()));
  }

  private static String num(double v) {
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : v >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static void row(StringBuilder sb, String name, String ours, String base, JsonNode w) {
    String ratio =
        w.path("ratio").isNumber()
            ? String.format(Locale.ROOT, "%.2f", w.path("ratio").asDouble())
                + (w.has("ratio_p99")
                    ? String.format(Locale.ROOT, " / %.2f", w.path("ratio_p99").asDouble())
                    : "")
            : "";
    String met = w.has("met") ? (w.path("met").asBoolean() ? "yes" : "no") : "";
    sb.append("| ")
        .append(name)
        .append(" | ")
        .append(ours)
        .append(" | ")
        .append(base)
        .append(" | ")
        .append(ratio)
        .append(" | ")
        .append(w.path("target").asText(""))
        .append(" | ")
        .append(met)
        .append(" |\n");
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%,.1f MB", bytes / 1048576.0);
  }
}
