package org.plumbline.ontology.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.CompactionPolicy;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;

/** Compaction started by growth, on a real TDB2 folder (issue 21). */
class GrowthCompactionTest {
  static final Instant T0 = Instant.parse("2026-08-01T06:00:00Z");
  static final int COMMITS = 50;

  /** The test's small factor: compact at 1.5x, from any size, looked at after every commit. */
  static final CompactionPolicy EAGER = new CompactionPolicy(1.5, 0, Duration.ZERO);

  @Test
  void aStoreThatGrowsPastItsFactorCompactsItselfAndKeepsEveryCommit(@TempDir Path dir) {
    Path folder = dir.resolve("grows");
    AtomicInteger compactions = new AtomicInteger();
    long peakWithPolicy;
    try (TdbGraphStore store = TdbGraphStore.open(folder, EAGER)) {
      store.onCompacted(compactions::incrementAndGet);
      peakWithPolicy = commitMany(store);
    }
    long peakWithout;
    try (TdbGraphStore store = TdbGraphStore.open(dir.resolve("never"), CompactionPolicy.OFF)) {
      peakWithout = commitMany(store);
    }
    assertTrue(compactions.get() >= 2, "compactions on growth: " + compactions.get());
    assertTrue(
        peakWithPolicy * 2 < peakWithout,
        "peak bytes in use with compaction on growth "
            + peakWithPolicy
            + ", without "
            + peakWithout);
    try (TdbGraphStore reopened = TdbGraphStore.open(folder, CompactionPolicy.OFF)) {
      assertEquals(
          COMMITS, reopened.read(GrowthCompactionTest::snapshotsOfE1), "every commit kept");
      assertTrue(reopened.compactedBytes() > 0);
    }
  }

  @Test
  void bytesInUseAreTheBlocksTheFolderHoldsNotItsSparseLength(@TempDir Path dir) throws Exception {
    try (TdbGraphStore store = TdbGraphStore.open(dir, CompactionPolicy.OFF)) {
      commitMany(store);
      long used = store.bytesInUse();
      long allocated = du(dir);
      // The index files are 8 MB-sparse: 24 of them make an empty store 192 MB long.
      assertTrue(store.sizeOnDisk() > 4 * allocated, store.sizeOnDisk() + " vs " + allocated);
      assertTrue(
          Math.abs(used - allocated) < allocated / 5 + (1 << 20),
          "bytes in use " + used + ", blocks allocated (du) " + allocated);
      store.compact();
      assertTrue(store.bytesInUse() < used / 2, "compacted " + store.bytesInUse() + " of " + used);
      assertEquals(store.bytesInUse(), store.compactedBytes());
    }
  }

  /**
   * Readers and writers never stop while the store compacts again and again: every compaction
   * finishes, every transaction gets in, and nothing is lost. TDB2 alone could leave a compaction
   * waiting forever for the old generation's readers (LoadIT hung so).
   */
  @Test
  void compactionsWhileReadersAndAWriterRunAllFinish(@TempDir Path dir) throws Exception {
    try (TdbGraphStore store = TdbGraphStore.open(dir, CompactionPolicy.OFF)) {
      commitMany(store);
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.ExecutorService threads =
          java.util.concurrent.Executors.newFixedThreadPool(5);
      java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
      for (int r = 0; r < 4; r++) {
        running.add(
            threads.submit(
                () -> {
                  while (!stop.get()) {
                    assertEquals(COMMITS, store.read(GrowthCompactionTest::snapshotsOfE1));
                    reads.incrementAndGet();
                  }
                }));
      }
      running.add(
          threads.submit(
              () -> {
                while (!stop.get()) {
                  store.write(w -> w.environment("e1"));
                }
              }));
      try {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            Duration.ofSeconds(120),
            () -> {
              for (int i = 0; i < 25; i++) {
                store.compact();
              }
            },
            "a compaction waited for a transaction that never ended");
      } finally {
        stop.set(true);
        threads.shutdown();
      }
      for (java.util.concurrent.Future<?> f : running) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS); // a failed read fails the test
      }
      assertTrue(reads.get() > 0, "reads ran during the compactions");
    }
  }

  @Test
  void aPolicyRefusesFactorsThatWouldCompactForever() {
    assertThrows(IllegalArgumentException.class, () -> new CompactionPolicy(1.0, 0, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> CompactionPolicy.growth(0.5));
    assertEquals(CompactionPolicy.OFF, CompactionPolicy.growth(0));
    assertTrue(CompactionPolicy.DEFAULT.due(100L << 20, 30L << 20));
    assertTrue(!CompactionPolicy.DEFAULT.due(65L << 20, 30L << 20)); // 2.17x, under 2.25x
    assertTrue(!CompactionPolicy.DEFAULT.due(10L << 20, 1L << 20), "under the floor");
  }

  /** One snapshot per commit, each on a new configuration; returns the peak bytes in use. */
  private static long commitMany(TdbGraphStore store) {
    store.write(
        w -> {
          w.putEnvironment(
              new Environment(
                  "e1", "e1", Tier.PROD, "team", "sys", "ACTIVE", T0, null, "bundle", "1.0.0"));
          return null;
        });
    long peak = 0;
    for (int i = 0; i < COMMITS; i++) {
      Map<String, String> values = new TreeMap<>();
      for (int k = 0; k < 120; k++) {
        values.put("key." + k, "\"" + (k == i % 120 ? "v" + i : "stable-" + k) + "\"");
      }
      Instant at = T0.plusSeconds(60L * i);
      Snapshot s =
          new Snapshot(
              "e1",
              at,
              "test",
              FlatConfig.of(values),
              "sha256:" + Hashing.sha256Hex("e1" + at + values));
      store.write(
          w -> {
            w.putSnapshot(s);
            return null;
          });
      peak = Math.max(peak, store.bytesInUse());
    }
    return peak;
  }

  private static int snapshotsOfE1(org.plumbline.ontology.StoreReader r) {
    int n = 0;
    java.util.Optional<Snapshot> s = r.latestSnapshot("e1");
    while (s.isPresent()) {
      n++;
      s = r.snapshotBefore("e1", s.get().observedAt());
    }
    return n;
  }

  private static long du(Path dir) throws Exception {
    Process p = new ProcessBuilder("du", "-sk", dir.toString()).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    return Long.parseLong(out.trim().split("\\s+")[0]) * 1024;
  }
}
