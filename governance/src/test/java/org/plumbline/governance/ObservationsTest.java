package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.DispositionKind;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Severity;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;

/**
 * Stale environments as governed findings, on a real in-memory TDB2 store with the shipped pack:
 * the tick opens the drift with the facts' {@code staleSince}, the next snapshot closes it in its
 * own transaction, and a late snapshot leaves the drifts as an in-order arrival would.
 */
class ObservationsTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static RulePack shipped;

  private final SettableClock clock = new SettableClock(T0);
  private GraphStore store;
  private Governor governor;

  @BeforeAll
  static void compile() {
    shipped = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void open() {
    store = GraphStore.inMemory();
    governor = governorOn(store, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Governor governorOn(GraphStore store, Clock clock) {
    Governor g = new Governor(store, () -> shipped, clock);
    g.ingestBlueprint(blueprint(), "test");
    return g;
  }

  /** e-prod observed every hour; e-dev at the default, once a day. */
  static Blueprint blueprint() {
    return new Blueprint(
        "b",
        "1.0.0",
        List.of(
            new EnvironmentSpec("e-prod", "E", Tier.PROD, "team", "sys", null, Duration.ofHours(1)),
            new EnvironmentSpec("e-dev", "E dev", Tier.DEV, "team", "sys", null)),
        null,
        FlatConfig.of(Map.of("llm.temperature", "0.3")),
        Map.of(),
        List.of(),
        List.of(),
        "sha256:test-1.0.0");
  }

  private void post(Governor g, String env, Instant at) {
    g.ingestSnapshot(GovernanceTest.snapshot(env, at, "0.3"), "loader");
  }

  private List<Drift> observationDrifts(GraphStore s, String env) {
    return s.read(r -> r.drifts(env, Observations.KEY)).stream()
        .filter(d -> d.kind() == DriftKind.OBSERVATION)
        .toList();
  }

  @Test
  void theTickOpensTheFindingAtStaleSinceAndTheNextSnapshotClosesIt() {
    post(governor, "e-prod", T0);
    post(governor, "e-dev", T0);
    clock.set(T0.plus(Duration.ofMinutes(119)));
    assertTrue(governor.checkObservations().opened().isEmpty(), "not stale before 2 x PT1H");

    clock.set(T0.plus(Duration.ofHours(3)));
    Observations.ObservationReport report = governor.checkObservations();
    assertEquals(1, report.opened().size(), report::toString);
    Drift d = observationDrifts(store, "e-prod").get(0);
    assertEquals(report.opened().get(0), d.id());
    assertEquals(DriftStatus.OPEN, d.status());
    assertEquals(T0.plus(Duration.ofHours(2)), d.detectedAt(), "detectedAt is staleSince");
    assertEquals(Severity.HIGH, d.assessment().severity());
    assertEquals(List.of("STALE_OBSERVATION"), d.assessment().findings());
    assertTrue(d.assessment().explanation().contains("every PT1H"), d.assessment().explanation());
    assertTrue(observationDrifts(store, "e-dev").isEmpty(), "e-dev is observed daily");
    AuditRecord opened = lastAudit("drift.opened");
    assertEquals(d.id(), opened.subject());
    assertEquals("scheduler", opened.actor());

    clock.set(T0.plus(Duration.ofHours(4)));
    assertTrue(governor.checkObservations().opened().isEmpty(), "an idle tick opens nothing");
    assertEquals(1, observationDrifts(store, "e-prod").size());

    Instant seen = T0.plus(Duration.ofMinutes(230));
    post(governor, "e-prod", seen);
    Drift closed = store.read(r -> r.drift(d.id())).orElseThrow();
    assertEquals(DriftStatus.RESOLVED, closed.status());
    assertEquals(seen, closed.updatedAt(), "the episode ended when it was observed again");
    assertEquals(d.id(), lastAudit("drift.closed").subject());
    assertFalse(store.read(r -> Observations.active(r, "e-prod")).isPresent());
  }

  @Test
  void aLateSnapshotGivesTheDriftsAnInOrderArrivalGives() {
    // Arrival A: T0, a tick finds it stale, then the snapshot of T0+90min arrives late.
    post(governor, "e-prod", T0);
    clock.set(T0.plus(Duration.ofHours(5)));
    String first = governor.checkObservations().opened().get(0);
    post(governor, "e-prod", T0.plus(Duration.ofMinutes(90)));
    assertTrue(observationDrifts(store, "e-prod").isEmpty(), "a snapshot opens nothing");
    governor.checkObservations();

    // Arrival B: both snapshots in order, one tick at the same instant.
    SettableClock otherClock = new SettableClock(T0);
    try (GraphStore other = GraphStore.inMemory()) {
      Governor inOrder = governorOn(other, otherClock);
      post(inOrder, "e-prod", T0);
      otherClock.set(T0.plus(Duration.ofHours(5)));
      post(inOrder, "e-prod", T0.plus(Duration.ofMinutes(90)));
      inOrder.checkObservations();

      // The late snapshot disproves the first episode (observed before its staleSince, T0+2h):
      // withdrawn. Still stale since T0+3h30: the same drift as in order, same id.
      assertTrue(store.read(r -> r.drift(first)).isEmpty(), "the disproved drift is withdrawn");
      assertEquals(first, lastAudit("drift.withdrawn").subject());
      List<Drift> a = observationDrifts(store, "e-prod");
      List<Drift> b = observationDrifts(other, "e-prod");
      assertEquals(1, a.size(), a::toString);
      assertEquals(summary(b), summary(a));
      assertEquals(T0.plus(Duration.ofMinutes(210)), a.get(0).detectedAt());
    }
  }

  @Test
  void aClosedEpisodeThatALateSnapshotDisprovesIsWithdrawnToo() {
    post(governor, "e-prod", T0);
    clock.set(T0.plus(Duration.ofHours(3)));
    String first = governor.checkObservations().opened().get(0);
    post(governor, "e-prod", T0.plus(Duration.ofMinutes(170)));
    assertEquals(
        DriftStatus.RESOLVED, store.read(r -> r.drift(first)).orElseThrow().status(), "closed");
    // observed at T0+1h after all: e-prod was never stale between T0 and T0+2h50
    post(governor, "e-prod", T0.plus(Duration.ofHours(1)));
    assertTrue(store.read(r -> r.drift(first)).isEmpty());
    assertTrue(observationDrifts(store, "e-prod").isEmpty());
  }

  @Test
  void aStaleObservationCanBeAcceptedButNotRevertedOrCodified() {
    post(governor, "e-prod", T0);
    clock.set(T0.plus(Duration.ofHours(3)));
    String id = governor.checkObservations().opened().get(0);
    Caller operator = new Caller("olga", java.util.Set.of("operator", "admin"));
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () ->
                governor.execute(
                    new Command.RequestDisposition(
                        id, DispositionKind.CODIFY, "make it so", null, operator)));
    assertEquals(RuleError.ILLEGAL_TRANSITION, e.code());
  }

  private static List<String> summary(List<Drift> drifts) {
    return drifts.stream()
        .map(d -> d.id() + " " + d.status() + " " + d.detectedAt() + " " + d.actual())
        .toList();
  }

  private AuditRecord lastAudit(String action) {
    List<AuditRecord> all = store.read(r -> r.audit(null, Instant.EPOCH, Instant.MAX));
    return all.stream()
        .filter(a -> a.action().equals(action))
        .reduce((x, y) -> y)
        .orElseThrow(() -> new AssertionError("no " + action + " in " + all));
  }
}
