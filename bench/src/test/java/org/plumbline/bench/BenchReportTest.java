package org.plumbline.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The printed table says what did not run instead of showing zeros for it. */
class BenchReportTest {
  @Test
  void aRunOfW5AloneListsTheOtherWorkloadsAsNotRunAndShowsTheInbox() throws Exception {
    JsonNode run =
        new ObjectMapper()
            .readTree(
                """
                {"machine": {"cores": 2},
                 "world": {"environments": 1000, "changes": 1000, "seed": 42},
                 "note": "timings on a shared machine are noisy",
                 "W5": {"what": "the console's inbox page over HTTP (GraphQL in process, template),\
                 signed in; 1000 environments, 5000 open drifts",
                        "inbox": {"p50_ms": 66.2, "p95_ms": 228.8},
                        "inbox_filtered": {"p50_ms": 59.7, "p95_ms": 73.2}},
                 "memory": {"peak_heap_after_gc_bytes": 1048576}}
                """);
    String table = BenchReport.table(run);

    for (String workload :
        new String[] {
          "W1 ingest", "W2a", "W2b", "W3", "W4", "store size", "W6 bulk history import"
        }) {
      assertTrue(
          table.lines().anyMatch(l -> l.startsWith("| " + workload) && l.contains("| not run |")),
          workload + " should be listed as not run:\n" + table);
    }
    assertTrue(
        table.contains(
            "| W5 console inbox over HTTP, 1000 environments, 5000 open drifts | first page p50"
                + " 66.2 / p95 229 ms; filtered p50 59.7 / p95 73.2 ms |"),
        table);
    assertFalse(table.contains("0.0 snapshots/s"), table);
    assertFalse(table.contains("world load"), table);
    assertFalse(table.contains("server start"), table);
  }

  @Test
  void aFullSizeWorldLoadSaysWhetherItMetItsGoal() throws Exception {
    JsonNode run =
        new ObjectMapper()
            .readTree(
                """
                {"world": {"environments": 1000, "changes": 1000000},
                 "load": {"seconds": 5400, "changes_per_s": 185.2, "compaction_seconds": 60,
                          "target": "the full-size world in under 30 minutes", "met": false},
                 "store": {"bytes": 1048576},
                 "memory": {"peak_heap_after_gc_bytes": 1048576}}
                """);
    String table = BenchReport.table(run);
    assertTrue(
        table.contains("full-size world: loaded in 90.0 minutes; goal under 30 minutes: not met"),
        table);
  }
}
