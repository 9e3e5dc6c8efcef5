package org.plumbline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Snapshot;
import org.plumbline.rules.DriftDetector;

/**
 * Keeps the benchmark working: a tiny world end to end through {@code plumbline bench}, in seconds.
 * Timings are not asserted (benchmarks are benchmarks); the shape of the figures is. The PostgreSQL
 * baseline runs when PostgreSQL is installed and is reported as skipped, with the reason, when not.
 */
class BenchSmokeTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aTinyRunProducesEveryWorkloadWithItsBaseline(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("bench.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new BenchCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {
                  "bench",
                  "--environments",
                  "8",
                  "--changes",
                  "200",
                  "--changes-per-snapshot",
                  "5",
                  "--keys-min",
                  "20",
                  "--keys-max",
                  "40",
                  "--ingest-snapshots",
                  "16",
                  "--ingest-keys",
                  "200",
                  "--dependency-keys",
                  "500",
                  "--queries",
                  "10",
                  "--history-snapshots",
                  "30",
                  "--history-keys",
                  "120",
                  "--rules",
                  "../rules",
                  "--data",
                  dir.resolve("stores").toString(),
                  "--json",
                  json.toString()
                });
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed + err.toString(StandardCharsets.UTF_8));
    JsonNode r = JSON.readTree(json.toFile());
    for (String w : List.of("W1", "W2a", "W2b", "W3", "W4", "W6")) {
      assertTrue(r.path(w).path("ours").isObject(), w + " has ours");
      assertFalse(
          r.path(w).path("baseline").path("name").asText().isEmpty(), w + " names its baseline");
      assertTrue(r.path(w).has("ratio"), w + " has a ratio");
    }
    assertTrue(r.path("W1").path("ours").path("keys_per_s").asDouble() > 0);
    JsonNode w6 = r.path("W6").path("ours");
    assertEquals(30, w6.path("snapshots").asInt(), w6::toString);
    assertEquals(120, w6.path("keys").asInt(), w6::toString);
    assertTrue(w6.path("snapshots_per_s").asDouble() > 0, w6::toString);
    assertTrue(r.path("W6").path("baseline").path("files_per_s").asDouble() > 0);
    assertTrue(printed.contains("| W6 bulk history import, 120-key snapshot files"), printed);
    JsonNode w1 = r.path("W1").path("ours");
    assertEquals(16, w1.path("posts_timed").asInt(), "every timed post has its latency");
    assertTrue(w1.path("post_p99_ms").asDouble() >= w1.path("post_p50_ms").asDouble());
    assertTrue(w1.path("post_p50_ms").asDouble() > 0);
    assertTrue(printed.contains("post latency under that load"), printed);
    assertTrue(r.path("W3").path("ours").path("per_s").asDouble() > 0);
    assertTrue(r.path("W3").path("ours").path("reassessed_per_s").asDouble() > 0);
    assertTrue(r.path("W3").path("ours").path("cpu_per_s").asDouble() > 0);
    // The first drift of each kind fires the rules; the others, each unlike any before, do not.
    JsonNode w3 = r.path("W3").path("ours");
    assertTrue(w3.path("cold_fired").asLong() > 0, w3::toString);
    assertTrue(w3.path("cold_fired").asLong() < w3.path("cold_assessed").asLong(), w3::toString);
    assertTrue(r.path("W4").path("ratio").asDouble() > 0, "W4's floor is always measured");
    assertTrue(r.path("machine").path("cores").asInt() > 0);
    assertEquals(8, r.path("world").path("environments").asInt());
    assertEquals(200, r.path("world").path("changes").asLong());
    assertTrue(r.path("store").path("bytes").asLong() > 0);
    assertTrue(r.path("store").has("peak_growth_ratio"), "growth between compactions reported");
    assertTrue(r.path("memory").path("peak_heap_after_gc_bytes").asLong() > 0);
    if (r.has("postgres_skipped")) {
      // CI machines may lack PostgreSQL: the run must say so, and W2 has no ratio then.
      System.out.println("PostgreSQL baseline skipped: " + r.path("postgres_skipped").asText());
      assertTrue(printed.contains("PostgreSQL baseline not run"), printed);
      assertTrue(r.path("W2a").path("ratio").isNull());
    } else {
      assertTrue(r.path("W2a").path("baseline").path("p50_ms").asDouble() > 0);
      assertTrue(r.path("W2b").path("ratio").asDouble() > 0);
      assertTrue(r.path("store").path("ratio").asDouble() > 0);
    }
    assertTrue(printed.contains("| W2a changes of one environment"), printed);
    assertTrue(printed.contains("noisy"), printed);
  }

  @Test
  void theWorldIsDeterministicAndItsChangesAddUp() {
    BenchOptions options = BenchOptions.tiny().with(Map.of("environments", "8", "changes", "203"));
    WorldGenerator a = new WorldGenerator(options);
    WorldGenerator b = new WorldGenerator(options);
    WorldGenerator other = new WorldGenerator(options.with(Map.of("seed", "8")));
    long total = 0;
    for (int e = 0; e < 8; e++) {
      List<Snapshot> snaps = a.snapshots(e);
      assertEquals(
          snaps.stream().map(Snapshot::contentHash).toList(),
          b.snapshots(e).stream().map(Snapshot::contentHash).toList());
      assertNotEquals(
          snaps.stream().map(Snapshot::contentHash).toList(),
          other.snapshots(e).stream().map(Snapshot::contentHash).toList());
      long changes = countChanges(snaps, blueprint(a, e));
      assertEquals(a.changesOf(e), changes);
      total += changes;
    }
    assertEquals(203, total);
  }

  @Test
  void badFlagsAreUsageErrors() {
    assertThrowsUsage(Map.of("environments", "2"));
    assertThrowsUsage(Map.of("postgres", "maybe"));
    assertThrowsUsage(Map.of("bogus", "1"));
    assertThrowsUsage(Map.of("changes", "lots"));
    assertThrowsUsage(Map.of("history-snapshots", "5"));
    assertThrowsUsage(Map.of("world", "huge"));
  }

  @Test
  void theFullSizeWorldIsOneFlagAndOtherFlagsStillApply() {
    BenchOptions full = BenchOptions.tiny().with(Map.of("world", "full"));
    assertEquals(1000, full.environments());
    assertEquals(1_000_000, full.changes());
    assertEquals(500, full.keysMin());
    assertEquals(5000, full.keysMax());
    assertTrue(full.fullSize());
    assertFalse(BenchOptions.defaults().fullSize());
    BenchOptions more = BenchOptions.defaults().with(Map.of("world", "full", "changes", "2000000"));
    assertEquals(2_000_000, more.changes());
    assertEquals(1000, more.environments());
    assertEquals(BenchOptions.defaults(), BenchOptions.tiny().with(Map.of("world", "default")));
  }

  @Test
  void theCommandAnswersHelpAndBadUsageExitsTwoWithOneLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    BenchCommand bench =
        new BenchCommand(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, bench.run(new String[] {"bench", "--help"}));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: plumbline bench"));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    assertEquals(2, bench.run(new String[] {"bench", "--environments", "2"}));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("--environments must be at least 4"),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count());
    assertEquals(2, bench.run(new String[] {"bench", "--speed", "11"}));
    assertEquals(2, bench.run(new String[] {"bench", "--workloads", "W7"}));
    assertEquals(
        java.util.Set.of("W3", "W5"),
        BenchOptions.defaults().with(Map.of("workloads", "w3, W5")).workloads());
    assertTrue(BenchOptions.defaults().runs("W1"));
    assertEquals(2, bench.run(new String[] {"bench", "words"}));
    assertEquals(2, bench.run(new String[] {"serve"}));
  }

  private static void assertThrowsUsage(Map<String, String> flags) {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> BenchOptions.defaults().with(flags));
  }

  private static long countChanges(List<Snapshot> snaps, Blueprint bp) {
    long n = 0;
    for (int i = 1; i < snaps.size(); i++) {
      n += DriftDetector.changes(snaps.get(i - 1), snaps.get(i), bp).size();
    }
    return n;
  }

  private static Blueprint blueprint(WorldGenerator world, int env) {
    return new org.plumbline.loaders.BlueprintParser().parse(world.blueprintJson(env / 4), "json");
  }
}
