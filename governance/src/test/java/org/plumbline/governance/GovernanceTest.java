package org.plumbline.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Dependency;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.Tier;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;

/**
 * The governed write path on a real in-memory TDB2 store with the shipped rule pack: change
 * requests that authorize drifts before and after the fact, and a runaway pack that must fail an
 * ingest rather than hang it.
 */
class GovernanceTest {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static RulePack shipped;

  private GraphStore store;
  private Governor governance;

  @BeforeAll
  static void compile() {
    shipped = RulePack.compile(Path.of("../rules/packs/default"));
  }

  @BeforeEach
  void open() {
    store = GraphStore.inMemory();
    governance = new Governor(store, () -> shipped, Clock.fixed(T0, ZoneOffset.UTC));
    governance.ingestBlueprint(blueprint(), "test");
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Blueprint blueprint() {
    return new Blueprint(
        "b",
        "1.0.0",
        List.of(
            new EnvironmentSpec("e-prod", "E", Tier.PROD, "team", "sys", null),
            new EnvironmentSpec("e-dev", "E dev", Tier.DEV, "team", "sys", null)),
        null,
        FlatConfig.of(
            Map.of(
                "llm.temperature", "0.3",
                "prompt.system", "\"p\"",
                "model.version", "\"m-2024-01-01\"",
                "guardrails.enabled", "true")),
        Map.of(),
        List.of(
            new Dependency("llm.temperature", List.of("prompt.system")),
            new Dependency("prompt.system", List.of("llm.temperature")), // a cycle
            new Dependency("guardrails.*", List.of("llm.temperature"))),
        List.of(),
        "sha256:test-1.0.0");
  }

  static Snapshot snapshot(String env, Instant at, String temperature) {
    return new Snapshot(
        env,
        at,
        "test",
        FlatConfig.of(
            Map.of(
                "llm.temperature", temperature,
                "prompt.system", "\"p\"",
                "model.version", "\"m-2024-01-01\"",
                "guardrails.enabled", "true")),
        "sha256:" + sha256(env + at + temperature));
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static ChangeRequest request(String id, String env, String glob, Instant from, Instant until) {
    return new ChangeRequest(id, env, List.of(glob), from, until, "cab");
  }

  /** The one configuration drift (a gap of days between snapshots is a stale observation too). */
  Drift onlyDrift(String env) {
    List<Drift> drifts = store.read(r -> r.drifts(env)).stream().filter(Drift::isConfig).toList();
    assertEquals(1, drifts.size(), drifts::toString);
    return drifts.get(0);
  }

  @Test
  void aRequestCoveringTheFirstObservationAuthorizesTheDrift() {
    governance.ingestChangeRequests(
        List.of(request("CHG-1", "e-prod", "llm.*", T0, T0.plus(Duration.ofDays(2)))), "cab");
    governance.ingestSnapshot(snapshot("e-prod", T0.plus(Duration.ofHours(1)), "0.7"), "loader");

    Drift d = onlyDrift("e-prod");
    assertEquals(Authorization.AUTHORIZED, d.assessment().authorization());
    assertEquals(List.of("CHG-1"), d.assessment().changeRequests());
    assertTrue(d.assessment().explanation().contains("Authorized by change request CHG-1"));
    // The dependency graph answers from the stored edges, through the cycle and the glob.
    assertEquals(List.of("guardrails.enabled", "prompt.system"), d.assessment().reevaluate());
  }

  /**
   * The defect a new user met: a hot-patch inside an approved window, its history posted newest
   * first (a backfill after a loader outage), read as first observed two days ago and ANOMALOUS.
   */
  @Test
  void aBackfilledHistoryGivesTheOnsetAndAuthorizationOfTimeOrder() {
    Instant patched = T0.minus(Duration.ofDays(15));
    governance.ingestChangeRequests(
        List.of(
            request(
                "CHG-7",
                "e-prod",
                "llm.*",
                patched.minus(Duration.ofHours(2)),
                patched.plusSeconds(60))),
        "cab");
    for (int day = 0; day <= 20; day++) {
      Instant at = T0.minus(Duration.ofDays(day));
      governance.ingestSnapshot(
          snapshot("e-prod", at, at.isBefore(patched) ? "0.3" : "0.7"), "loader");
    }

    Drift d = onlyDrift("e-prod");
    assertEquals(patched, d.detectedAt());
    assertEquals(Authorization.AUTHORIZED, d.assessment().authorization());
    assertEquals(List.of("CHG-7"), d.assessment().changeRequests());
    assertEquals(List.of("0.7"), store.read(r -> r.driftTrail(d.id())));
    List<AuditRecord> audit = store.read(r -> r.audit("e-prod", null, null));
    assertTrue(
        audit.stream().anyMatch(a -> a.action().equals("drift.rederived")),
        "the ledger records the backfill that moved the onset");
  }

  /** A review posted a request from 1970 to 9999: it authorized everything, retroactively. */
  @Test
  void aChangeWindowLongerThanThePolicyIsRefusedWhole() {
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () ->
                governance.ingestChangeRequests(
                    List.of(
                        request("CHG-ok", "e-prod", "llm.*", T0, T0.plus(Duration.ofDays(30))),
                        request(
                            "CHG-all",
                            "e-prod",
                            "*",
                            Instant.parse("1970-01-01T00:00:00Z"),
                            Instant.parse("9999-01-01T00:00:00Z"))),
                    "cab"));
    assertEquals(RuleError.CHANGE_WINDOW_TOO_LONG, e.code());
    assertTrue(e.details().get(0).startsWith("/1/until"), e.details()::toString);
    assertEquals(List.of(), store.read(r -> r.changeRequests("e-prod")), "nothing is stored");
  }

  @Test
  void windowsAreHalfOpenAndMatchEnvironmentAndKey() {
    Instant until = T0.plus(Duration.ofDays(1));
    governance.ingestChangeRequests(
        List.of(
            request("CHG-ends", "e-prod", "llm.*", T0, until),
            request("CHG-other-env", "e-dev", "llm.*", T0, T0.plus(Duration.ofDays(9))),
            request("CHG-other-key", "e-prod", "model.*", T0, T0.plus(Duration.ofDays(9)))),
        "cab");
    governance.ingestSnapshot(snapshot("e-prod", until, "0.7"), "loader");

    Drift d = onlyDrift("e-prod");
    assertEquals(Authorization.ANOMALOUS, d.assessment().authorization());
    assertEquals(List.of(), d.assessment().changeRequests());
  }

  @Test
  void aRequestPostedAfterTheDriftReassessesItInTheSameTransaction() {
    governance.ingestSnapshot(snapshot("e-prod", T0.plus(Duration.ofHours(1)), "0.7"), "loader");
    Drift before = onlyDrift("e-prod");
    assertEquals(Authorization.ANOMALOUS, before.assessment().authorization());
    long auditBefore = store.read(r -> r.auditCount());

    Governance.IngestResult result =
        governance.ingestChangeRequests(
            List.of(
                request("CHG-late", "e-prod", "llm.temperature", T0, T0.plus(Duration.ofDays(1)))),
            "cab");

    assertEquals(List.of(before.id()), result.summary().get("driftsReassessed"));
    Drift after = onlyDrift("e-prod");
    assertEquals(Authorization.AUTHORIZED, after.assessment().authorization());
    assertEquals(List.of("CHG-late"), after.assessment().changeRequests());
    assertEquals(before.updatedAt(), after.updatedAt(), "the value did not move");
    List<AuditRecord> audit = store.read(r -> r.audit(null, null, null));
    assertEquals(auditBefore + 2, audit.size());
    assertEquals("changerequest.recorded", audit.get(audit.size() - 2).action());
    AuditRecord reassessed = audit.get(audit.size() - 1);
    assertEquals("drift.reassessed", reassessed.action());
    assertEquals(before.id(), reassessed.subject());
    assertTrue(reassessed.detail().contains("\"authorization\":\"AUTHORIZED\""));
    assertTrue(reassessed.detail().contains("\"previousAuthorization\":\"ANOMALOUS\""));

    // A later snapshot re-assesses again from the stored requests: the authorization stays. It
    // arrives when it was observed: one from more than a day ahead is refused.
    Instant later = T0.plus(Duration.ofDays(3));
    new Governor(store, () -> shipped, Clock.fixed(later, ZoneOffset.UTC))
        .ingestSnapshot(snapshot("e-prod", later, "0.8"), "loader");
    assertEquals(Authorization.AUTHORIZED, onlyDrift("e-prod").assessment().authorization());
  }

  @Test
  void replaysAreRecognisedAndConflictsStoreNothing() {
    ChangeRequest r = request("CHG-1", "e-prod", "llm.*", T0, T0.plus(Duration.ofDays(1)));
    assertEquals(false, governance.ingestChangeRequests(List.of(r), "cab").replay());
    long audit = store.read(x -> x.auditCount());
    Governance.IngestResult replay = governance.ingestChangeRequests(List.of(r), "cab");
    assertTrue(replay.replay());
    assertEquals(List.of("CHG-1"), replay.summary().get("unchanged"));
    assertEquals(audit, (long) store.read(x -> x.auditCount()));

    ChangeRequest fresh = request("CHG-2", "e-prod", "llm.*", T0, T0.plus(Duration.ofDays(1)));
    ChangeRequest changed = request("CHG-1", "e-prod", "model.*", T0, T0.plus(Duration.ofDays(1)));
    PlumblineException conflict =
        assertThrows(
            PlumblineException.class,
            () -> governance.ingestChangeRequests(List.of(fresh, changed), "cab"));
    assertEquals(RuleError.CHANGE_REQUEST_CONFLICT, conflict.code());
    assertEquals(List.of("/1/id: 'CHG-1' is stored with other content"), conflict.details());
    assertTrue(store.read(x -> x.changeRequest("CHG-2")).isEmpty(), "nothing half-written");

    PlumblineException unknown =
        assertThrows(
            PlumblineException.class,
            () ->
                governance.ingestChangeRequests(
                    List.of(request("CHG-3", "nowhere", "*", T0, T0.plus(Duration.ofDays(1)))),
                    "cab"));
    assertEquals(StoreError.UNKNOWN_ENVIRONMENT, unknown.code());
    assertEquals(audit, (long) store.read(x -> x.auditCount()));
  }

  @Test
  void aRunawayPackFailsTheIngestInsteadOfHangingIt(@TempDir Path dir) throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../rules/packs/default"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    Files.writeString(dir.resolve("loop.drl"), LOOPING_RULE);
    RulePack looping = RulePack.compile(dir);
    Governor stuck = new Governor(store, () -> looping, Clock.fixed(T0, ZoneOffset.UTC));
    long audit = store.read(r -> r.auditCount());

    PlumblineException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                assertThrows(
                    PlumblineException.class,
                    () ->
                        stuck.ingestSnapshot(
                            snapshot("e-prod", T0.plus(Duration.ofHours(1)), "0.7"), "loader")));
    assertEquals(RuleError.PACK_INCOMPLETE, e.code());
    assertEquals(audit, (long) store.read(r -> r.auditCount()));
    assertTrue(store.read(r -> r.latestSnapshot("e-prod")).isEmpty(), "the ingest was rolled back");
  }

  /**
   * A rule that re-fires itself forever (as RulePackTest's): the engine's firing limit stops it.
   */
  private static final String LOOPING_RULE =
      """
      package org.plumbline.rules.pack;
      import org.plumbline.rules.pack.AssessmentDraft;
      rule "loop: flip forever"
      when
          $a : AssessmentDraft( criticalOverride == true || criticalOverride == false )
      then
          modify( $a ) { setCriticalOverride( !$a.isCriticalOverride() ) }
      end
      """;
}
