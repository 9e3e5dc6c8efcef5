package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.ledger.AuditLedger;

class GraphStoreTest {
  static final Instant T0 = Instant.parse("2026-08-01T06:00:00Z");

  /** The store under test: TDB2 in memory here; {@code SparqlGraphStoreTest} runs all on Fuseki. */
  GraphStore newStore() {
    return GraphStore.inMemory();
  }

  static Environment env(String id) {
    return new Environment(id, id, Tier.PROD, "team", "sys", "ACTIVE", T0, null, "bundle", "1.0.0");
  }

  static Snapshot snap(String env, Instant at, Map<String, String> values) {
    String hash = "sha256:" + org.plumbline.ontology.Hashing.sha256Hex(env + at + values);
    return new Snapshot(env, at, "test", FlatConfig.of(new TreeMap<>(values)), hash);
  }

  @Test
  void changesInAWindowComeFromTheDaysItCoversInTimeOrder() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            for (int d = 0; d < 30; d++) {
              Snapshot s =
                  snap("e1", T0.plus(Duration.ofDays(d)), Map.of("k", Integer.toString(d)));
              w.putSnapshot(s);
              if (d > 0) {
                w.putChanges(
                    s,
                    List.of(
                        new Change(
                            "e1",
                            "k",
                            Integer.toString(d - 1),
                            Integer.toString(d),
                            s.observedAt(),
                            "test")));
              }
            }
            return null;
          });
      List<Change> window =
          store.read(
              r -> r.changes("e1", T0.plus(Duration.ofDays(10)), T0.plus(Duration.ofDays(13))));
      assertEquals(List.of("10", "11", "12"), window.stream().map(Change::to).toList());
      assertEquals(29, store.read(r -> r.changes("e1", null, null)).size());
      assertTrue(store.read(r -> r.changes("e1", T0.minus(Duration.ofDays(50)), T0)).isEmpty());
    }
  }

  /** A dry run's primitive: the work sees its own writes, and nothing of them is kept. */
  @Test
  void aRehearsedWriteSeesItselfAndLeavesNothingBehind() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            return null;
          });
      long audit = store.read(StoreReader::auditCount);
      int seen =
          store.rehearse(
              w -> {
                w.putEnvironment(env("e2"));
                w.putSnapshot(snap("e2", T0, Map.of("k", "1")));
                w.appendAudit(T0, "tester", "snapshot.ingested", "e2", "s", "rehearsed");
                return w.environments().size() + (w.latestSnapshot("e2").isPresent() ? 10 : 0);
              });
      assertEquals(12, seen);
      assertEquals(
          List.of("e1"), store.read(r -> r.environments().stream().map(Environment::id).toList()));
      assertTrue(store.read(r -> r.latestSnapshot("e2")).isEmpty());
      long auditAfter = store.read(StoreReader::auditCount);
      assertEquals(audit, auditAfter);
      // and the store still takes real writes after it
      store.write(
          w -> {
            w.putEnvironment(env("e3"));
            return null;
          });
      List<Environment> after = store.read(StoreReader::environments);
      assertEquals(2, after.size());
    }
  }

  @Test
  void neighbouringSnapshotsAreFoundAcrossGapsOfDays() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.putSnapshot(snap("e1", T0, Map.of("k", "1")));
            w.putSnapshot(snap("e1", T0.plus(Duration.ofDays(9)), Map.of("k", "2")));
            return null;
          });
      Instant mid = T0.plus(Duration.ofDays(4));
      assertEquals(
          "1", store.read(r -> r.snapshotBefore("e1", mid)).orElseThrow().config().get("k"));
      assertEquals(
          "2", store.read(r -> r.snapshotAfter("e1", mid)).orElseThrow().config().get("k"));
      assertEquals(
          "1", store.read(r -> r.snapshotAtOrBefore("e1", T0)).orElseThrow().config().get("k"));
      assertTrue(store.read(r -> r.snapshotBefore("e1", T0)).isEmpty());
      assertEquals("2", store.read(r -> r.latestSnapshot("e1")).orElseThrow().config().get("k"));
    }
  }

  @Test
  void currentValuesFollowTheLatestObservationOnly() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putEnvironment(env("a"));
            w.putEnvironment(env("b"));
            w.putSnapshot(snap("a", T0.plus(Duration.ofDays(2)), Map.of("m", "\"x\"")));
            w.putSnapshot(snap("a", T0, Map.of("m", "\"old\""))); // backfill: not the latest
            w.putSnapshot(snap("b", T0, Map.of("m", "\"x\"", "n", "1")));
            return null;
          });
      assertEquals(Map.of("a", "\"x\"", "b", "\"x\""), store.read(r -> r.currentValues("m")));
      assertEquals(Map.of("b", "1"), store.read(r -> r.currentValues("n")));
      // the shared-value index follows the latest observation too
      assertEquals(List.of("a", "b"), store.read(r -> r.environmentsWithValue("m", "\"x\"")));
      assertEquals(List.of(), store.read(r -> r.environmentsWithValue("m", "\"old\"")));
      assertEquals(List.of("b"), store.read(r -> r.environmentsWithValue("n", "1")));
      store.write(
          w -> {
            w.putSnapshot(snap("b", T0.plus(Duration.ofDays(3)), Map.of("m", "\"y\"")));
            return null;
          });
      assertEquals(List.of("a"), store.read(r -> r.environmentsWithValue("m", "\"x\"")));
      assertEquals(List.of("b"), store.read(r -> r.environmentsWithValue("m", "\"y\"")));
      assertEquals(List.of(), store.read(r -> r.environmentsWithValue("n", "1")));
      assertEquals("\"y\"", store.read(r -> r.currentValue("b", "m")).orElseThrow());
      assertTrue(store.read(r -> r.currentValue("b", "n")).isEmpty());
    }
  }

  @Test
  void aStoreOfAnOlderFormatIsRefusedUntouchedWithTheRebuildCommand(@TempDir Path dir) {
    Path data = dir.resolve("data");
    try (GraphStore store = GraphStore.openTdb2(data)) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            return null;
          });
    }
    // What an older version wrote: the same facts without the format marker.
    var raw =
        org.apache.jena.tdb2.DatabaseMgr.connectDatasetGraph(
            org.apache.jena.dboe.base.file.Location.create(data.toAbsolutePath()));
    org.apache.jena.system.Txn.executeWrite(
        raw,
        () ->
            raw.getDefaultGraph()
                .remove(
                    org.apache.jena.graph.Node.ANY,
                    org.apache.jena.graph.NodeFactory.createURI(
                        "https://w3id.org/plumbline#storeFormat"),
                    org.apache.jena.graph.Node.ANY));
    long triples =
        org.apache.jena.system.Txn.calculateRead(raw, () -> raw.getDefaultGraph().size());
    org.apache.jena.tdb2.sys.TDBInternal.expel(raw);

    PlumblineException e = assertThrows(PlumblineException.class, () -> GraphStore.openTdb2(data));
    assertEquals(StoreError.STORE_FORMAT_OUTDATED, e.code());
    assertTrue(e.details().get(0).startsWith("plumbline rebuild --from "), e.details().toString());
    var again =
        org.apache.jena.tdb2.DatabaseMgr.connectDatasetGraph(
            org.apache.jena.dboe.base.file.Location.create(data.toAbsolutePath()));
    assertEquals(
        triples,
        (int)
            org.apache.jena.system.Txn.calculateRead(again, () -> again.getDefaultGraph().size()));
    org.apache.jena.tdb2.sys.TDBInternal.expel(again);
  }

  /** Format 2 stores hold audit records without their environment links (issue 17). */
  @Test
  void aStoreOfFormat2IsRefusedAsItsLedgerLacksTheEnvironmentChains(@TempDir Path dir) {
    Path data = dir.resolve("data");
    try (GraphStore store = GraphStore.openTdb2(data)) {
      store.write(w -> w.appendAudit(T0, "u", "act", "e1", "s", null));
    }
    var raw =
        org.apache.jena.tdb2.DatabaseMgr.connectDatasetGraph(
            org.apache.jena.dboe.base.file.Location.create(data.toAbsolutePath()));
    var marker =
        org.apache.jena.graph.NodeFactory.createURI("https://w3id.org/plumbline#storeFormat");
    org.apache.jena.system.Txn.executeWrite(
        raw,
        () -> {
          var g = raw.getDefaultGraph();
          var store =
              g.find(org.apache.jena.graph.Node.ANY, marker, org.apache.jena.graph.Node.ANY)
                  .next()
                  .getSubject();
          g.remove(store, marker, org.apache.jena.graph.Node.ANY);
          g.add(
              store,
              marker,
              org.apache.jena.graph.NodeFactory.createLiteralDT(
                  "2", org.apache.jena.datatypes.xsd.XSDDatatype.XSDinteger));
        });
    org.apache.jena.tdb2.sys.TDBInternal.expel(raw);
    PlumblineException e = assertThrows(PlumblineException.class, () -> GraphStore.openTdb2(data));
    assertEquals(StoreError.STORE_FORMAT_OUTDATED, e.code());
    assertTrue(
        e.getMessage().contains("holds store format 2, this version reads format 4"),
        e.getMessage());
  }

  @Test
  void aCommitTornByACrashIsCutOffAndTheStoreOpensWithEverythingCommitted(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    try (GraphStore store = GraphStore.openTdb2(data)) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            return null;
          });
    }
    // What a kill in the middle of writing a commit leaves: a header announcing 4,096 bytes of
    // data, and 24 of them.
    Path journal;
    try (var generations = java.nio.file.Files.list(data)) {
      journal =
          generations
              .filter(p -> p.getFileName().toString().startsWith("Data-"))
              .findFirst()
              .orElseThrow()
              .resolve("journal.jrnl");
    }
    long before = java.nio.file.Files.size(journal);
    java.nio.ByteBuffer torn = java.nio.ByteBuffer.allocate(16 + 24);
    torn.putInt(4096).putInt(0x1234).putInt(1).putInt(7);
    java.nio.file.Files.write(journal, torn.array(), java.nio.file.StandardOpenOption.APPEND);

    try (GraphStore store = GraphStore.openTdb2(data)) {
      assertTrue(store.read(r -> r.environment("e1")).isPresent());
      store.write(
          w -> {
            w.putEnvironment(env("e2"));
            return null;
          });
    }
    try (GraphStore store = GraphStore.openTdb2(data)) {
      assertEquals(2, store.read(r -> r.environments()).size());
    }
    assertTrue(java.nio.file.Files.size(journal) <= before + 16 + 24);
  }

  @Test
  void aFailedWriteLeavesNothingBehind() {
    try (GraphStore store = newStore()) {
      assertThrows(
          IllegalStateException.class,
          () ->
              store.write(
                  w -> {
                    w.putEnvironment(env("e1"));
                    w.appendAudit(T0, "u", "x", "e1", "s", null);
                    throw new IllegalStateException("boom");
                  }));
      assertTrue(store.read(r -> r.environment("e1")).isEmpty());
      assertEquals(0, store.read(StoreReader::auditCount));
    }
  }

  @Test
  void shapeViolationsAbortTheWriteWithACode() {
    try (GraphStore store = newStore()) {
      PlumblineException e =
          assertThrows(
              PlumblineException.class,
              () ->
                  store.write(
                      w -> {
                        w.putEnvironment(env("has space"));
                        return null;
                      }));
      assertEquals(StoreError.SHAPE_VIOLATION, e.code());
      assertFalse(e.details().isEmpty());
      assertTrue(store.read(r -> r.environments()).isEmpty());
    }
  }

  @Test
  void auditLedgerChainsVerifiesAndFindsWindowsByTime() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            for (int i = 0; i < 50; i++) {
              w.appendAudit(
                  T0.plus(Duration.ofHours(i)),
                  "u",
                  "act",
                  i % 2 == 0 ? "e1" : "e2",
                  "s" + i,
                  "{\"i\":" + i + "}");
            }
            // Nanosecond instants survive the round trip, or the chain would not verify.
            w.appendAudit(
                T0.plus(Duration.ofHours(49)).plusNanos(123_456_789), "u", "act", null, "n", null);
            // A clock that steps back does not make the ledger go back in time.
            w.appendAudit(T0, "u", "late", null, "s", null);
            return null;
          });
      assertEquals(52, store.read(StoreReader::auditCount));
      AuditLedger.Verification v = store.read(AuditLedger::verify);
      assertTrue(v.valid(), String.valueOf(v.reason()));
      List<AuditRecord> window =
          store.read(
              r -> r.audit("e1", T0.plus(Duration.ofHours(10)), T0.plus(Duration.ofHours(20))));
      assertEquals(
          List.of(11L, 13L, 15L, 17L, 19L), window.stream().map(AuditRecord::seq).toList());
      assertEquals(
          store.read(r -> r.auditRecord(51)).orElseThrow().at(),
          store.read(r -> r.auditRecord(52)).orElseThrow().at());
    }
  }

  @Test
  void tamperedExportsAreCaughtAtTheBrokenRecord() {
    List<AuditRecord> records;
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            for (int i = 0; i < 10; i++) {
              w.appendAudit(T0.plusSeconds(i), "u", "act", "e", "s" + i, "{}");
            }
            return null;
          });
      records = store.read(r -> r.audit(null, null, null));
    }
    assertTrue(AuditLedger.verifyExport(records, null, null).valid());
    List<AuditRecord> changed = new java.util.ArrayList<>(records);
    AuditRecord r4 = changed.get(3);
    changed.set(
        3,
        new AuditRecord(
            r4.seq(),
            r4.at(),
            "mallory",
            r4.action(),
            r4.environment(),
            r4.subject(),
            r4.detail(),
            r4.hash(),
            r4.prevHash(),
            r4.envSeq(),
            r4.envPrevHash()));
    assertEquals(4L, AuditLedger.verifyExport(changed, null, null).firstBrokenSeq());
    List<AuditRecord> deleted = new java.util.ArrayList<>(records);
    deleted.remove(6);
    assertEquals(7L, AuditLedger.verifyExport(deleted, null, null).firstBrokenSeq());
    List<AuditRecord> swapped = new java.util.ArrayList<>(records);
    java.util.Collections.swap(swapped, 1, 2);
    assertEquals(2L, AuditLedger.verifyExport(swapped, null, null).firstBrokenSeq());
  }

  @Test
  void onDiskStoreKeepsCommittedFactsAcrossReopen(@TempDir Path dir) {
    try (GraphStore store = GraphStore.openTdb2(dir)) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.appendAudit(T0, "u", "registered", "e1", "e1", null);
            return null;
          });
    }
    try (GraphStore store = GraphStore.openTdb2(dir)) {
      assertEquals("e1", store.read(r -> r.environment("e1")).orElseThrow().id());
      assertTrue(store.read(AuditLedger::verify).valid());
      assertEquals(dir.toAbsolutePath().toString(), store.location());
    }
  }

  static final String HASH_A = "sha256:" + "a".repeat(64);
  static final String HASH_B = "sha256:" + "b".repeat(64);

  static MetricWindow window(long seq, String label, String status, double psi) {
    return new MetricWindow(
        "e1",
        "output.length",
        seq,
        label,
        "CONTINUOUS",
        "base",
        0.31,
        1.5e-9,
        psi,
        "SIGNIFICANT",
        true,
        status,
        seq == 1 ? HASH_A : HASH_B,
        T0.plusSeconds(seq));
  }

  @Test
  void metricSeriesKeepsBaselineWindowsInArrivalOrderAndValues() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.putMetricBaseline(
                new MetricBaseline(
                    "e1",
                    "output.length",
                    "base",
                    "CONTINUOUS",
                    "[1.0,2.0]",
                    HASH_A,
                    T0,
                    "loader"));
            w.putMetricSeries(
                new MetricSeries("e1", "output.length", "CONTINUOUS", "base", "STABLE", 0, 0, 0));
            // labels sort the other way round: the order is the order of arrival
            w.putMetricWindow(window(1, "w-b", "BREACH", 0.25), "[3.0,4.0]");
            w.putMetricWindow(window(2, "w-a", "BREACH", 0.2500000000000001), "[5.0,6.0]");
            // the series again in the same transaction: validated as it ends up, not twice
            w.putMetricSeries(
                new MetricSeries("e1", "output.length", "CONTINUOUS", "base", "BREACH", 2, 0, 2));
            return null;
          });
      store.read(
          r -> {
            assertEquals(
                new MetricSeries("e1", "output.length", "CONTINUOUS", "base", "BREACH", 2, 0, 2),
                r.metricSeries("e1", "output.length").orElseThrow());
            assertEquals(
                List.of("output.length"),
                r.metricSeriesOf("e1").stream().map(MetricSeries::metric).toList());
            assertEquals(
                List.of(
                    window(1, "w-b", "BREACH", 0.25),
                    window(2, "w-a", "BREACH", 0.2500000000000001)),
                r.metricWindows("e1", "output.length"));
            assertEquals(
                "[5.0,6.0]", r.metricWindowValues("e1", "output.length", "w-a").orElseThrow());
            assertEquals(
                "[1.0,2.0]",
                r.metricBaseline("e1", "output.length", "base").orElseThrow().values());
            assertTrue(r.metricWindow("e1", "output.length", "w-c").isEmpty());
            assertTrue(r.metricSeries("e1", "other").isEmpty());
            return null;
          });
    }
  }

  @Test
  void aMetricWindowOutsideItsShapesIsRefusedWhole() {
    try (GraphStore store = newStore()) {
      PlumblineException e =
          assertThrows(
              PlumblineException.class,
              () ->
                  store.write(
                      w -> {
                        w.putEnvironment(env("e1"));
                        w.putMetricWindow(window(1, "w1", "DRIFTING", 0.3), "[1.0]");
                        return null;
                      }));
      assertEquals(StoreError.SHAPE_VIOLATION, e.code());
      assertTrue(e.details().toString().contains("status"), e.details().toString());
      assertTrue(store.read(r -> r.environment("e1")).isEmpty());
    }
  }

  static Drift drift(String id, String env, String key, DriftStatus status, Severity severity) {
    Assessment a =
        new Assessment(
            RiskCategory.SECURITY,
            severity,
            Authorization.AUTHORIZED,
            List.of(),
            "team",
            List.of(),
            List.of(),
            1,
            List.of("approver"),
            List.of(),
            "x",
            List.of(),
            "sha256:1");
    return new Drift(
        id, env, key, "1", "2", T0.plusNanos(id.length()), T0, status, a, DriftKind.CONFIG);
  }

  /**
   * The summaries are what each stored drift says, whatever wrote it: the governed list holds
   * exactly the live and excepted drifts of every environment, and each environment's list all its
   * drifts.
   */
  static void assertSummariesMatchTheDrifts(GraphStore store, String... environments) {
    store.read(
        r -> {
          java.util.Set<DriftSummary> governed = new java.util.HashSet<>();
          for (String e : environments) {
            java.util.Set<DriftSummary> all = new java.util.HashSet<>();
            for (Drift d : r.drifts(e)) {
              all.add(DriftSummary.of(d));
              if (d.status().isLive() || d.status() == DriftStatus.EXCEPTED) {
                governed.add(DriftSummary.of(d));
              }
            }
            assertEquals(all, java.util.Set.copyOf(r.driftSummaries(e)), e);
            assertEquals(all.size(), r.driftSummaries(e).size(), e);
          }
          assertEquals(governed, java.util.Set.copyOf(r.governedDriftSummaries()));
          assertEquals(governed.size(), r.governedDriftSummaries().size());
          return null;
        });
  }

  @Test
  void eachDriftsSummaryIsWrittenWithItAndTheGovernedOnesAreListedTogether() {
    String hostile = "<img src=x onerror=alert(1)>\"],[\t\u00e9";
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.putEnvironment(env("e2"));
            w.putDrift(
                drift("D-1", "e1", "llm.temperature", DriftStatus.OPEN, Severity.LOW), List.of());
            w.putDrift(
                drift("D-2", "e1", hostile, DriftStatus.PENDING_APPROVAL, Severity.HIGH),
                List.of());
            w.putDrift(
                drift("D-3", "e2", "model.version", DriftStatus.OPEN, Severity.CRITICAL),
                List.of());
            w.putDrift(
                drift("D-4", "e2", "llm.top_p", DriftStatus.RESOLVED, Severity.MEDIUM), List.of());
            return null;
          });
      assertSummariesMatchTheDrifts(store, "e1", "e2");
      assertEquals(3, store.read(StoreReader::governedDriftSummaries).size());
      DriftSummary d2 =
          store.read(r -> r.driftSummaries("e1")).stream()
              .filter(s -> s.id().equals("D-2"))
              .findFirst()
              .orElseThrow();
      assertEquals(hostile, d2.key());
      assertEquals(T0.plusNanos(3), d2.detectedAt());
      assertEquals(Severity.HIGH, d2.severity());
      assertEquals(Authorization.AUTHORIZED, d2.authorization());

      // A drift assessed again, excepted, closed, reopened and removed: its summary follows.
      store.write(
          w -> {
            w.putDrift(
                drift("D-1", "e1", "llm.temperature", DriftStatus.OPEN, Severity.CRITICAL),
                List.of());
            w.putDrift(drift("D-2", "e1", hostile, DriftStatus.EXCEPTED, Severity.HIGH), List.of());
            w.putDrift(
                drift("D-3", "e2", "model.version", DriftStatus.REVERTED, Severity.CRITICAL),
                List.of());
            w.putDrift(
                drift("D-4", "e2", "llm.top_p", DriftStatus.OPEN, Severity.MEDIUM), List.of());
            return null;
          });
      assertSummariesMatchTheDrifts(store, "e1", "e2");
      assertEquals(
          List.of("D-1", "D-2", "D-4"),
          store.read(StoreReader::governedDriftSummaries).stream()
              .map(DriftSummary::id)
              .sorted()
              .toList());
      store.write(
          w -> {
            w.removeDrift("D-1");
            w.removeDrift("D-3");
            return null;
          });
      assertSummariesMatchTheDrifts(store, "e1", "e2");
      assertEquals(
          List.of("D-2", "D-4"),
          store.read(StoreReader::governedDriftSummaries).stream()
              .map(DriftSummary::id)
              .sorted()
              .toList());

      // A write that fails leaves the summaries as they were.
      assertThrows(
          RuntimeException.class,
          () ->
              store.write(
                  w -> {
                    w.putDrift(
                        drift("D-4", "e2", "llm.top_p", DriftStatus.RESOLVED, Severity.LOW),
                        List.of());
                    w.putDrift(drift("D-5", "e2", "k", DriftStatus.OPEN, Severity.LOW), List.of());
                    throw new IllegalStateException("abandoned");
                  }));
      assertSummariesMatchTheDrifts(store, "e1", "e2");
      assertEquals(2, store.read(StoreReader::governedDriftSummaries).size());
    }
  }

  /**
   * A drift written again changes only the statements that differ (issue 21), and ends with exactly
   * the statements of a drift written once: nothing of the older version is left, nothing of the
   * newer missing. Compared statement by statement in the TDB2 files.
   */
  @Test
  void aTransactionReadsTheDriftsItWroteAsItWroteThem(@TempDir Path dir) {
    Drift open = drift("D-1", "e1", "llm.temperature", DriftStatus.OPEN, Severity.LOW);
    Drift other = drift("D-2", "e1", "llm.top_p", DriftStatus.OPEN, Severity.LOW);
    Drift resolved = open.withStatus(DriftStatus.RESOLVED, T0.plusSeconds(60));
    try (GraphStore store = GraphStore.openTdb2(dir)) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.putDrift(open, List.of("2"));
            w.putDrift(other, List.of("5"));
            return null;
          });
      store.write(
          w -> {
            // read first, so the transaction has seen them, then changed under it
            assertEquals(List.of(open, other), w.activeDrifts("e1"));
            assertEquals(List.of("2"), w.driftTrail("D-1"));
            w.putDrift(resolved, List.of("2", "null"));
            assertEquals(List.of(other), w.activeDrifts("e1"));
            assertEquals(resolved, w.drift("D-1").orElseThrow());
            assertEquals(List.of("2", "null"), w.driftTrail("D-1"));
            w.removeDrift("D-2");
            assertTrue(w.drift("D-2").isEmpty());
            assertEquals(List.of(), w.driftTrail("D-2"));
            assertEquals(List.of(), w.activeDrifts("e1"));
            return null;
          });
      assertEquals(resolved, store.read(r -> r.drift("D-1")).orElseThrow());
      assertEquals(List.of("2", "null"), store.read(r -> r.driftTrail("D-1")));
      assertTrue(store.read(r -> r.drift("D-2")).isEmpty());
    }
  }

  @Test
  void aDriftWrittenAgainHoldsExactlyWhatOneWrittenOnceHolds(@TempDir Path dir) {
    Drift first = drift("D-1", "e1", "llm.temperature", DriftStatus.OPEN, Severity.LOW);
    Assessment a = first.assessment();
    Drift moved =
        new Drift(
            "D-1",
            "e1",
            "llm.temperature",
            "1",
            null,
            first.detectedAt(),
            T0.plusSeconds(60),
            DriftStatus.RESOLVED,
            new Assessment(
                a.riskCategory(),
                Severity.HIGH,
                a.authorization(),
                a.changeRequests(),
                a.owner(),
                a.blastRadius(),
                a.reevaluate(),
                a.requiredApprovals(),
                a.approverRoles(),
                List.of("value vanished"),
                "y",
                a.firedRules(),
                a.rulePackVersion()),
            DriftKind.CONFIG);
    Path twice = dir.resolve("twice");
    Path once = dir.resolve("once");
    try (GraphStore store = GraphStore.openTdb2(twice)) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.putDrift(first, List.of("2"));
            return null;
          });
      store.write(
          w -> {
            w.putDrift(moved, List.of("2", "null"));
            return null;
          });
      assertEquals(moved, store.read(r -> r.drift("D-1")).orElseThrow());
      assertSummariesMatchTheDrifts(store, "e1");
    }
    try (GraphStore store = GraphStore.openTdb2(once)) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.putDrift(moved, List.of("2", "null"));
            return null;
          });
    }
    assertEquals(statements(once), statements(twice));
  }

  /** Every statement of a closed TDB2 store, as N-Triples lines. */
  static java.util.Set<String> statements(Path dir) {
    var raw =
        org.apache.jena.tdb2.DatabaseMgr.connectDatasetGraph(
            org.apache.jena.dboe.base.file.Location.create(dir));
    try {
      return org.apache.jena.system.Txn.calculateRead(
          raw,
          () -> {
            java.util.Set<String> out = new java.util.TreeSet<>();
            raw.getDefaultGraph()
                .find()
                .forEachRemaining(t -> out.add(org.apache.jena.riot.out.NodeFmtLib.str(t)));
            return out;
          });
    } finally {
      org.apache.jena.tdb2.sys.TDBInternal.expel(raw);
    }
  }

  @Test
  void driftsKeepTheirKindAndOlderOnesReadAsConfig() {
    Assessment a =
        new Assessment(
            RiskCategory.GOVERNANCE,
            Severity.HIGH,
            Authorization.ANOMALOUS,
            List.of(),
            "team",
            List.of(),
            List.of(),
            1,
            List.of("approver"),
            List.of(),
            "x",
            List.of(),
            "sha256:1");
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putEnvironment(env("e1"));
            w.putDrift(
                new Drift(
                    "D-1",
                    "e1",
                    "metrics.output.length",
                    "{}",
                    "{}",
                    T0,
                    T0,
                    DriftStatus.OPEN,
                    a,
                    DriftKind.METRIC),
                List.of("{}"));
            w.putDrift(
                new Drift(
                    "D-2",
                    "e1",
                    "llm.temperature",
                    "0.3",
                    "0.7",
                    T0,
                    T0,
                    DriftStatus.OPEN,
                    a,
                    DriftKind.CONFIG),
                List.of("0.7"));
            return null;
          });
      assertEquals(
          List.of(DriftKind.CONFIG, DriftKind.METRIC), // by detectedAt, then key
          store.read(r -> r.drifts("e1")).stream().map(Drift::kind).toList());
      assertTrue(store.read(r -> r.drift("D-1")).orElseThrow().isMetric());
      // the governed-drift index: by environment, and by environment and key
      assertEquals(2, store.read(r -> r.activeDrifts("e1")).size());
      assertEquals(
          List.of("D-2"),
          store.read(r -> r.activeDrifts("e1", "llm.temperature")).stream()
              .map(Drift::id)
              .toList());
      store.write(
          w -> {
            Drift d2 = w.drift("D-2").orElseThrow();
            w.putDrift(d2.withStatus(DriftStatus.EXCEPTED, T0), List.of("0.7"));
            w.putDrift(
                w.drift("D-1").orElseThrow().withStatus(DriftStatus.RESOLVED, T0), List.of());
            return null;
          });
      assertEquals(
          List.of("D-2"), store.read(r -> r.activeDrifts("e1")).stream().map(Drift::id).toList());
      assertTrue(store.read(r -> r.activeDrifts("e1", "metrics.output.length")).isEmpty());
      assertEquals(2, store.read(r -> r.drifts("e1")).size());
    }
  }

  @Test
  void semanticVersionsOrderAsSemverSays() {
    assertTrue(SemVer.parse("1.10.0").compareTo(SemVer.parse("1.9.9")) > 0);
    assertTrue(SemVer.parse("2.0.0").compareTo(SemVer.parse("2.0.0-rc.1")) > 0);
    assertTrue(SemVer.parse("2.0.0-rc.2").compareTo(SemVer.parse("2.0.0-rc.10")) < 0);
    assertEquals("2.3.1", SemVer.parse("2.3.0").nextPatch().toString());
    assertThrows(IllegalArgumentException.class, () -> SemVer.parse("2.3"));
  }

  @Test
  void globsMatchAcrossDots() {
    assertTrue(KeyPattern.of("guardrails.*").matches("guardrails.toxicity.threshold"));
    assertTrue(KeyPattern.of("*.podName").matches("runtime.podName"));
    assertTrue(KeyPattern.of("container.image*").matches("container.image"));
    assertFalse(KeyPattern.of("llm.*").matches("llmx.temperature"));
    assertTrue(KeyPattern.of("routing.fallbacks[0]").matches("routing.fallbacks[0]"));
    assertFalse(KeyPattern.of("a.b").matches("aXb"));
  }

  static Blueprint withDependencies(String version, List<Dependency> dependencies) {
    return new Blueprint(
        "bundle",
        version,
        List.of(),
        null,
        FlatConfig.of(
            Map.of(
                "a",
                "1",
                "b",
                "1",
                "c",
                "1",
                "guardrails.enabled",
                "true",
                "guardrails.toxicity.threshold",
                "0.8",
                "model.version",
                "\"m\"")),
        Map.of("e1", FlatConfig.of(Map.of("d", "1"))),
        dependencies,
        List.of(),
        "sha256:" + version);
  }

  @Test
  void dependentsAreTransitiveOverStoredEdgesAndSurviveCycles() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putBlueprint(
                withDependencies(
                    "1.0.0",
                    List.of(
                        new Dependency("a", List.of("b")),
                        new Dependency("b", List.of("a")), // a cycle
                        new Dependency("c", List.of("b")),
                        new Dependency("d", List.of("c")), // d only in an override
                        new Dependency("guardrails.*", List.of("model.version")),
                        new Dependency("model.version", List.of("prompt.system")))),
                T0,
                "test");
            w.putEnvironment(env("e1"));
            return null;
          });
      assertEquals(List.of("b", "c", "d"), store.read(r -> r.dependents("a", "e1")));
      assertEquals(List.of("a", "c", "d"), store.read(r -> r.dependents("b", "e1")));
      assertEquals(List.of(), store.read(r -> r.dependents("d", "e1")));
      assertEquals(
          List.of("guardrails.enabled", "guardrails.toxicity.threshold", "model.version"),
          store.read(r -> r.dependents("prompt.system", "e1")),
          "a literal key stands for itself even when undeclared; globs expand over declared keys");
      assertEquals(List.of(), store.read(r -> r.dependents("a", "unknown-env")));
    }
  }

  @Test
  void dependentsFollowTheEnvironmentsCurrentBundleVersion() {
    try (GraphStore store = newStore()) {
      store.write(
          w -> {
            w.putBlueprint(
                withDependencies("1.0.0", List.of(new Dependency("a", List.of("b")))), T0, "t");
            w.putBlueprint(
                withDependencies("1.1.0", List.of(new Dependency("c", List.of("b")))), T0, "t");
            w.putEnvironment(env("e1")); // governed by bundle 1.0.0
            return null;
          });
      assertEquals(List.of("a"), store.read(r -> r.dependents("b", "e1")));
      store.write(
          w -> {
            Environment e = env("e1");
            w.putEnvironment(
                new Environment(
                    e.id(),
                    e.name(),
                    e.tier(),
                    e.owner(),
                    e.system(),
                    e.status(),
                    e.registeredAt(),
                    e.expiresAt(),
                    e.bundle(),
                    "1.1.0"));
            return null;
          });
      assertEquals(List.of("c"), store.read(r -> r.dependents("b", "e1")));
    }
  }
}
