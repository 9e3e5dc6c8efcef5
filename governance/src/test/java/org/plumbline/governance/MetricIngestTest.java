package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.MetricSeries;
import org.plumbline.ontology.MetricWindow;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.Tier;
import org.plumbline.ontology.ledger.AuditLedger;
import org.plumbline.rules.EffectSize;
import org.plumbline.rules.MetricError;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.RulePack;

/**
 * The metric ingest path on a real (in-memory) TDB2 store with the shipped Drools pack: series,
 * windows, the drift a persistent shift opens, its dispositions, and every refusal storing nothing.
 * Samples are generated from fixed seeds, so every number is reproducible.
 */
class MetricIngestTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  static final String PROD = "chat-prod";
  static final String DEV = "chat-dev";
  static final String LENGTH = "output.length";
  static final String KEY = "metrics.output.length";

  static RulePack pack;
  GraphStore store;
  SettableClock clock;
  Governor governance;

  @BeforeAll
  static void compile() {
    pack = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void open() {
    store = GraphStore.inMemory();
    clock = new SettableClock(START);
    governance = new Governor(store, () -> pack, clock);
    governance.ingestBlueprint(blueprint(), "loader");
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aPersistentShiftOpensAnAssessedDriftThatFollowsTheWindowsAndClosesWithACooldown() {
    ingest(length(PROD, "base", true, 400, 1));
    List<String> statuses = new ArrayList<>();
    List<Object> driftEvents = new ArrayList<>();
    // stable, stable, shifted ×4, back to normal ×3 (closing takes three), shifted ×3 (cool-down 2
    // swallows the first two)
    int[] means = {400, 400, 450, 450, 450, 450, 400, 400, 400, 450, 450, 450};
    for (int i = 0; i < means.length; i++) {
      Map<String, Object> summary = ingest(length(PROD, "w" + i, false, means[i], 100 + i));
      statuses.add((String) summary.get("windowStatus"));
      driftEvents.add(summary.get("driftEvent"));
    }
    assertEquals(
        List.of(
            "STABLE",
            "STABLE",
            "BREACH",
            "BREACH",
            "DRIFT",
            "DRIFT",
            "DRIFT",
            "DRIFT",
            "STABLE",
            "COOLDOWN",
            "COOLDOWN",
            "BREACH"),
        statuses);
    assertEquals(
        java.util.Arrays.asList(
            null, null, null, null, "opened", "updated", null, null, "resolved", null, null, null),
        driftEvents);

    List<MetricWindow> windows = store.read(r -> r.metricWindows(PROD, LENGTH));
    assertEquals(12, windows.size());
    assertEquals(List.of(1L, 12L), List.of(windows.get(0).seq(), windows.get(11).seq()));
    MetricWindow opening = windows.get(4);
    assertEquals("base", opening.baseline());
    assertTrue(opening.beyondThreshold());
    assertTrue(opening.psi() >= 0.1 && opening.statistic() > 0.1 && opening.pValue() < 0.05);
    assertEquals(
        new MetricSeries(PROD, LENGTH, "CONTINUOUS", "base", "BREACH", 1, 0, 12),
        store.read(r -> r.metricSeries(PROD, LENGTH)).orElseThrow());

    Drift drift = onlyDrift(PROD);
    assertEquals(DriftKind.METRIC, drift.kind());
    assertEquals(KEY, drift.key());
    assertEquals(DriftStatus.RESOLVED, drift.status());
    assertEquals(
        "{\"baseline\":\"base\",\"kind\":\"CONTINUOUS\",\"psiBelow\":0.1}", drift.expected());
    JsonNode actual = json(drift.actual());
    assertEquals("w5", actual.get("window").asText(), "the last window of the drift");
    assertEquals(4, actual.get("windowsBeyond").asInt());
    assertEquals(windows.get(5).psi(), actual.get("psi").asDouble());
    assertEquals(windows.get(5).statistic(), actual.get("ksStatistic").asDouble());
    assertEquals(2, store.read(r -> r.driftTrail(drift.id())).size(), "one entry per window");
    assertEquals("GOVERNANCE", drift.assessment().riskCategory().name());
    assertEquals(List.of("BEHAVIOURAL_DRIFT"), drift.assessment().findings());
    assertTrue(
        drift.assessment().explanation().startsWith("Behaviour metric output.length drifted"),
        drift.assessment().explanation());

    List<String> actions = actions(PROD);
    assertEquals(13, actions.stream().filter("metric.ingested"::equals).count());
    assertEquals(
        List.of("drift.opened", "drift.updated", "drift.closed"),
        actions.stream().filter(a -> a.startsWith("drift.")).toList());
    assertTrue(store.read(AuditLedger::verify).valid());
  }

  /**
   * Issue 13: a five-value window (PSI far beyond the critical edge, p = 0.14 on five values) moved
   * an open CRITICAL drift to RESOLVED with no decision. A window too small to test changes
   * nothing.
   */
  @Test
  void aTinyWindowNeitherClosesNorFollowsADrift() {
    ingest(length(PROD, "base", true, 400, 1));
    for (int i = 0; i < 3; i++) {
      ingest(length(PROD, "w" + i, false, 600, 100 + i));
    }
    Drift open = onlyDrift(PROD);
    assertEquals(DriftStatus.OPEN, open.status());
    assertEquals(Severity.CRITICAL, open.assessment().severity());

    Map<String, Object> tiny =
        ingest(
            MetricSample.of(
                PROD, LENGTH, "CONTINUOUS", "w3", false, List.of(400, 425, 450, 475, 500)));

    assertEquals("CRITICAL", tiny.get("effect"), tiny::toString);
    assertTrue((Double) tiny.get("pValue") > 0.05, tiny::toString);
    assertEquals("INSUFFICIENT", tiny.get("windowStatus"));
    assertNull(tiny.get("driftEvent"));
    Drift after = onlyDrift(PROD);
    assertEquals(DriftStatus.OPEN, after.status());
    assertEquals(open.actual(), after.actual(), "the tiny window is no evidence of the drift");
    assertEquals(
        "INSUFFICIENT",
        store.read(r -> r.metricWindow(PROD, LENGTH, "w3")).orElseThrow().status(),
        "stored and shown in metricSeries");
    assertEquals(
        "DRIFT",
        store.read(r -> r.metricSeries(PROD, LENGTH)).orElseThrow().status(),
        "the tracker did not move");
  }

  @Test
  void severityFollowsTheEffectSizeAndTheTier() {
    // the same shift in PROD and in DEV, and a larger one in PROD
    for (String env : List.of(PROD, DEV)) {
      ingest(length(env, "base", true, 400, 1));
      for (int i = 0; i < 3; i++) {
        ingest(length(env, "w" + i, false, 450, 100 + i));
      }
    }
    Drift prod = onlyDrift(PROD);
    Drift dev = onlyDrift(DEV);
    EffectSize effect = EffectSize.valueOf(json(prod.actual()).get("effect").asText());
    Severity base =
        switch (effect) {
          case STABLE, MODERATE -> Severity.LOW;
          case SIGNIFICANT -> Severity.MEDIUM;
          case CRITICAL -> Severity.HIGH;
        };
    assertEquals(base, dev.assessment().severity(), dev.assessment().explanation());
    assertEquals(base.raisedBy(1), prod.assessment().severity(), prod.assessment().explanation());

    ingest(length(PROD, "w3", false, 600, 200)); // far larger: CRITICAL effect
    Drift grown = onlyDrift(PROD);
    assertEquals("CRITICAL", json(grown.actual()).get("effect").asText());
    assertEquals(Severity.CRITICAL, grown.assessment().severity());
  }

  @Test
  void replaysStoreNothingAndConflictsMismatchesAndUnknownsAreRefusedWhole() {
    ingest(length(PROD, "base", true, 400, 1));
    ingest(length(PROD, "w0", false, 400, 2));
    long audit = auditCount();

    Governance.IngestResult replay =
        governance.ingestMetric(length(PROD, "w0", false, 400, 2), "x");
    assertTrue(replay.replay());
    assertTrue(governance.ingestMetric(length(PROD, "base", true, 400, 1), "x").replay());
    assertEquals(audit, auditCount());

    assertEquals(
        MetricError.METRIC_WINDOW_CONFLICT, refused(length(PROD, "w0", false, 401, 2)).code());
    assertEquals(
        MetricError.METRIC_WINDOW_CONFLICT, refused(length(PROD, "base", true, 400, 9)).code());
    PlumblineException missing = refused(length(PROD, "w0", false, 400, 2, "other.metric"));
    assertEquals(MetricError.METRIC_BASELINE_MISSING, missing.code());
    assertTrue(missing.getMessage().contains("other.metric"), missing.getMessage());
    PlumblineException mismatch = refused(labels(PROD, LENGTH, "w1", false, 0.8, 3));
    assertEquals(MetricError.METRIC_KIND_MISMATCH, mismatch.code());
    assertEquals(
        List.of("/kind: CATEGORICAL differs from the baseline's CONTINUOUS"), mismatch.details());
    assertEquals(
        MetricError.METRIC_KIND_MISMATCH,
        refused(labels(PROD, LENGTH, "base2", true, 0.8, 3)).code());
    assertEquals(
        StoreError.UNKNOWN_ENVIRONMENT, refused(length("nowhere", "w1", false, 400, 2)).code());

    assertEquals(audit, auditCount());
    assertEquals(1, store.read(r -> r.metricWindows(PROD, LENGTH)).size());
    assertTrue(store.read(r -> r.metricSeries(PROD, "other.metric")).isEmpty());
    assertEquals("base", store.read(r -> r.metricSeries(PROD, LENGTH)).orElseThrow().baseline());
  }

  @Test
  void aNewBaselineRestartsTheTrackerButNeverEndsADriftToGovern() {
    ingest(length(DEV, "base", true, 400, 1));
    ingest(length(DEV, "w0", false, 450, 2));
    assertEquals("BREACH", ingest(length(DEV, "w1", false, 450, 3)).get("windowStatus"));
    Map<String, Object> rebased = ingest(length(DEV, "base-2", true, 450, 4));
    assertEquals("base", rebased.get("previousBaseline"));
    MetricSeries restarted = store.read(r -> r.metricSeries(DEV, LENGTH)).orElseThrow();
    assertEquals(
        new MetricSeries(DEV, LENGTH, "CONTINUOUS", "base-2", "STABLE", 0, 0, 2), restarted);
    assertEquals("STABLE", ingest(length(DEV, "w2", false, 450, 5)).get("windowStatus"));
    assertEquals("BREACH", ingest(length(DEV, "w3", false, 520, 6)).get("windowStatus"));
    ingest(length(DEV, "w4", false, 520, 7));
    assertEquals("opened", ingest(length(DEV, "w5", false, 520, 8)).get("driftEvent"));

    PlumblineException open = refused(length(DEV, "base-3", true, 520, 9));
    assertEquals(MetricError.METRIC_DRIFT_OPEN, open.code());
    assertTrue(open.details().contains("drift: " + onlyDrift(DEV).id()), open.details()::toString);
  }

  @Test
  void codifyMakesTheDriftedWindowTheNewBaseline() {
    ingest(length(DEV, "base", true, 400, 1));
    for (int i = 0; i < 3; i++) {
      ingest(length(DEV, "w" + i, false, 450, 100 + i));
    }
    Drift drift = onlyDrift(DEV);
    assertEquals(0, drift.assessment().requiredApprovals(), "DEV: takes effect at once");

    var codify =
        governance.execute(
            new Command.RequestDisposition(
                drift.id(),
                DispositionKind.CODIFY,
                "new prompt",
                null,
                new Caller("al", java.util.Set.of())));

    assertEquals("APPROVED", codify.status().name());
    assertEquals(DriftStatus.CODIFIED, onlyDrift(DEV).status());
    assertEquals(
        new MetricSeries(DEV, LENGTH, "CONTINUOUS", "w2", "STABLE", 0, 0, 3),
        store.read(r -> r.metricSeries(DEV, LENGTH)).orElseThrow());
    // the new normal: a window like the drifted ones is stable against it
    Map<String, Object> next = ingest(length(DEV, "w3", false, 450, 103));
    assertEquals("STABLE", next.get("windowStatus"));
    assertEquals("w2", next.get("baselineWindow"));
    // the loader posting the same sample as a baseline is a replay of what CODIFY stored
    MetricSample asBaseline = length(DEV, "w2", true, 450, 102);
    assertTrue(governance.ingestMetric(asBaseline, "loader").replay());
    List<AuditRecord> trail = store.read(r -> r.audit(DEV, null, null));
    AuditRecord codified =
        trail.stream()
            .filter(a -> a.action().equals("metric.baseline.codified"))
            .findFirst()
            .orElseThrow();
    assertEquals("al", codified.actor());
    assertEquals("base", json(codified.detail()).get("previousBaseline").asText());
    assertTrue(
        trail.stream()
            .anyMatch(
                a ->
                    a.action().equals("drift.closed")
                        && json(a.detail()).get("status").asText().equals("CODIFIED")));
  }

  @Test
  void acceptIsAnExpiringExceptionAndRevertClosesWhenTheMetricIsBack() {
    ingest(labels(DEV, "refusal.category", "base", true, 0.9, 1));
    for (int i = 0; i < 3; i++) {
      ingest(labels(DEV, "refusal.category", "w" + i, false, 0.6, 100 + i));
    }
    Drift drift = onlyDrift(DEV);
    assertEquals("metrics.refusal.category", drift.key());
    assertTrue(json(drift.actual()).has("chiSquare"), drift.actual());
    governance.execute(
        new Command.RequestDisposition(
            drift.id(),
            DispositionKind.ACCEPT,
            "seasonal",
            START.plus(Duration.ofDays(5)),
            new Caller("al", java.util.Set.of())));
    assertEquals(DriftStatus.EXCEPTED, onlyDrift(DEV).status());
    ingest(labels(DEV, "refusal.category", "w3", false, 0.6, 103));
    assertEquals(DriftStatus.EXCEPTED, onlyDrift(DEV).status(), "still drifting, still excepted");

    clock.advance(Duration.ofDays(6));
    assertEquals(List.of(drift.id()), governance.expire().exceptionsExpired());
    assertEquals(DriftStatus.OPEN, onlyDrift(DEV).status());

    governance.execute(
        new Command.RequestDisposition(
            drift.id(),
            DispositionKind.REVERT,
            "roll back the prompt",
            null,
            new Caller("al", java.util.Set.of())));
    assertEquals(DriftStatus.REVERT_APPROVED, onlyDrift(DEV).status());
    ingest(labels(DEV, "refusal.category", "w4", false, 0.6, 104));
    assertEquals(DriftStatus.REVERT_APPROVED, onlyDrift(DEV).status());
    ingest(labels(DEV, "refusal.category", "w5", false, 0.9, 105));
    ingest(labels(DEV, "refusal.category", "w6", false, 0.9, 106));
    assertEquals(DriftStatus.REVERT_APPROVED, onlyDrift(DEV).status(), "two windows back: not yet");
    Map<String, Object> back = ingest(labels(DEV, "refusal.category", "w7", false, 0.9, 107));
    assertEquals("reverted", back.get("driftEvent"));
    assertEquals(DriftStatus.REVERTED, onlyDrift(DEV).status());
    assertEquals("STABLE", back.get("windowStatus"));
  }

  @Test
  void anExceptedDriftNeedsGoverningAgainWhenItsSeverityGrows() {
    ingest(length(DEV, "base", true, 400, 1));
    for (int i = 0; i < 3; i++) {
      ingest(length(DEV, "w" + i, false, 420, 100 + i)); // a third of a standard deviation
    }
    Drift drift = onlyDrift(DEV);
    assertTrue(
        drift.assessment().severity().compareTo(Severity.HIGH) < 0,
        "a smaller shift than the one to come: " + drift.actual());
    governance.execute(
        new Command.RequestDisposition(
            drift.id(),
            DispositionKind.ACCEPT,
            "under review",
            START.plus(Duration.ofDays(5)),
            new Caller("al", java.util.Set.of())));
    ingest(length(DEV, "w3", false, 420, 103));
    assertEquals(DriftStatus.EXCEPTED, onlyDrift(DEV).status(), "the accepted size of shift");

    Map<String, Object> grown = ingest(length(DEV, "w4", false, 600, 104));

    assertEquals("CRITICAL", grown.get("effect"));
    Drift reopened = onlyDrift(DEV);
    assertEquals(DriftStatus.OPEN, reopened.status());
    assertEquals(Severity.HIGH, reopened.assessment().severity());
    List<AuditRecord> trail = store.read(r -> r.audit(DEV, null, null));
    AuditRecord updated = trail.get(trail.size() - 1);
    assertEquals("drift.updated", updated.action());
    assertTrue(json(updated.detail()).get("reopened").asBoolean());
  }

  @Test
  void snapshotsNeverTouchMetricDriftsNorTheOtherWayRound() {
    ingest(length(DEV, "base", true, 400, 1));
    for (int i = 0; i < 3; i++) {
      ingest(length(DEV, "w" + i, false, 450, 100 + i));
    }
    // the environment's config matches its blueprint: config reconcile has nothing to open
    Map<String, String> config = Map.of("llm.temperature", "0.5");
    governance.ingestSnapshot(
        new Snapshot(
            DEV,
            START,
            "test",
            FlatConfig.of(new java.util.TreeMap<>(config)),
            "sha256:" + "c".repeat(64)),
        "loader");
    Drift metric = onlyDrift(DEV);
    assertEquals(DriftStatus.OPEN, metric.status());
    assertNull(store.read(r -> r.latestSnapshot(DEV)).orElseThrow().config().get(KEY));
    assertFalse(store.read(r -> r.drifts(DEV)).stream().anyMatch(d -> !d.isMetric()));
  }

  @Test
  void aChangeRequestOnTheMetricKeyAuthorizesItsDriftEvenAfterTheFact() {
    ingest(length(PROD, "base", true, 400, 1));
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofDays(7));
      ingest(length(PROD, "w" + i, false, 450, 100 + i));
    }
    Drift before = onlyDrift(PROD);
    assertEquals(Authorization.ANOMALOUS, before.assessment().authorization());
    // a window for configuration keys does not cover the metric
    Instant opened = before.detectedAt();
    governance.ingestChangeRequests(
        List.of(
            new ChangeRequest(
                "CHG-1",
                PROD,
                List.of("llm.*"),
                opened.minusSeconds(60),
                opened.plusSeconds(60),
                null)),
        "cab");
    assertEquals(Authorization.ANOMALOUS, onlyDrift(PROD).assessment().authorization());

    Governance.IngestResult late =
        governance.ingestChangeRequests(
            List.of(
                new ChangeRequest(
                    "CHG-2",
                    PROD,
                    List.of("metrics.*"),
                    opened.minusSeconds(60),
                    opened.plusSeconds(60),
                    "cab")),
            "cab");

    assertEquals(List.of(before.id()), late.summary().get("driftsReassessed"));
    Drift after = onlyDrift(PROD);
    assertEquals(Authorization.AUTHORIZED, after.assessment().authorization());
    assertEquals(List.of("CHG-2"), after.assessment().changeRequests());
    // re-assessed from its own window's evidence: still a behavioural drift of the same severity
    assertEquals(before.assessment().severity(), after.assessment().severity());
    assertEquals(List.of("BEHAVIOURAL_DRIFT"), after.assessment().findings());
    assertEquals(List.of(), after.assessment().blastRadius());
    assertTrue(
        after.assessment().explanation().startsWith("Behaviour metric output.length drifted")
            && after.assessment().explanation().contains("Authorized by change request CHG-2"),
        after.assessment().explanation());
    assertEquals(before.actual(), after.actual());
    assertEquals(before.status(), after.status());

    // the next window follows the drift and keeps the authorization of its first observation
    clock.advance(Duration.ofDays(7));
    assertEquals("updated", ingest(length(PROD, "w3", false, 450, 103)).get("driftEvent"));
    assertEquals(Authorization.AUTHORIZED, onlyDrift(PROD).assessment().authorization());
  }

  // ---- helpers ----

  Map<String, Object> ingest(MetricSample sample) {
    Governance.IngestResult r = governance.ingestMetric(sample, "loader");
    assertFalse(r.replay(), sample.window());
    return r.summary();
  }

  PlumblineException refused(MetricSample sample) {
    return assertThrows(PlumblineException.class, () -> governance.ingestMetric(sample, "loader"));
  }

  long auditCount() {
    return store.read(r -> r.auditCount());
  }

  List<String> actions(String env) {
    return store.read(r -> r.audit(env, null, null)).stream().map(AuditRecord::action).toList();
  }

  Drift onlyDrift(String env) {
    List<Drift> drifts = store.read(r -> r.drifts(env));
    assertEquals(1, drifts.size(), drifts::toString);
    return drifts.get(0);
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static Blueprint blueprint() {
    return new Blueprint(
        "chat",
        "1.0.0",
        List.of(
            new EnvironmentSpec(PROD, PROD, Tier.PROD, "team-cx", "chat", null),
            new EnvironmentSpec(DEV, DEV, Tier.DEV, "team-cx", "chat", null)),
        null,
        FlatConfig.of(new java.util.TreeMap<>(Map.of("llm.temperature", "0.5"))),
        Map.of(),
        List.of(),
        List.of(),
        "sha256:" + "b".repeat(64));
  }

  /** 200 output lengths around {@code mean} (sd 60, whole numbers) from a fixed seed. */
  static MetricSample length(String env, String window, boolean baseline, int mean, long seed) {
    return length(env, window, baseline, mean, seed, LENGTH);
  }

  static MetricSample length(
      String env, String window, boolean baseline, int mean, long seed, String metric) {
    Random random = new Random(seed);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      values.add(Math.max(1, Math.round(mean + 60 * random.nextGaussian())));
    }
    return MetricSample.of(env, metric, "CONTINUOUS", window, baseline, values);
  }

  /** 300 refusal categories: {@code none} with probability {@code none}, the rest spread. */
  static MetricSample labels(
      String env, String metric, String window, boolean baseline, double none, long seed) {
    Random random = new Random(seed);
    String[] others = {"policy", "safety", "off-topic"};
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      values.add(random.nextDouble() < none ? "none" : others[random.nextInt(others.length)]);
    }
    return MetricSample.of(env, metric, "CATEGORICAL", window, baseline, values);
  }
}
