package org.plumbline.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Authorization;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.EnvironmentSpec;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.ontology.internal.Hashing;

/**
 * The governed write path: every ingest is one write transaction that stores the facts, derives
 * changes and drifts, assesses drifts with the active rule pack, and appends its audit record.
 */
public final class Governance {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GraphStore store;
  private final Supplier<RulePack> rulePack;
  private final Clock clock;

  public Governance(GraphStore store, Supplier<RulePack> rulePack, Clock clock) {
    this.store = store;
    this.rulePack = rulePack;
    this.clock = clock;
  }

  /** What one ingest did. {@code replay} is true when it stored nothing new. */
  public record IngestResult(boolean replay, String subject, Map<String, Object> summary) {}

  /** Stores a bundle version and registers (or updates) the environments it declares. */
  public IngestResult ingestBlueprint(Blueprint bp, String actor) {
    return store.write(
        w -> {
          Optional<Blueprint> existing = w.blueprint(bp.bundle(), bp.version());
          String subject = bp.bundle() + "@" + bp.version();
          if (existing.isPresent()) {
            if (existing.get().contentHash().equals(bp.contentHash())) {
              return new IngestResult(
                  true, subject, Map.of("bundle", bp.bundle(), "version", bp.version()));
            }
            throw new PlumblineException(
                RuleError.BLUEPRINT_CONFLICT,
                "bundle '"
                    + bp.bundle()
                    + "' already has version "
                    + bp.version()
                    + " with other content; publish a new version",
                List.of("/version: " + bp.version()));
          }
          Instant now = clock.instant();
          List<String> conflicts = new ArrayList<>();
          for (int i = 0; i < bp.environments().size(); i++) {
            EnvironmentSpec spec = bp.environments().get(i);
            w.environment(spec.id())
                .filter(e -> !e.bundle().equals(bp.bundle()))
                .ifPresent(
                    e ->
                        conflicts.add(
                            "/environments/"
                                + bp.environments().indexOf(spec)
                                + "/id: '"
                                + e.id()
                                + "' is governed by bundle '"
                                + e.bundle()
                                + "'"));
          }
          if (!conflicts.isEmpty()) {
            throw new PlumblineException(
                RuleError.ENVIRONMENT_CONFLICT,
                "an environment belongs to one bundle only",
                conflicts);
          }
          w.putBlueprint(bp, now, actor);
          Blueprint current = w.currentBlueprint(bp.bundle()).orElseThrow();
          List<String> registered = new ArrayList<>();
          for (EnvironmentSpec spec : current.environments()) {
            Optional<Environment> before = w.environment(spec.id());
            Instant registeredAt = before.map(Environment::registeredAt).orElse(now);
            Instant expiresAt =
                before
                    .map(Environment::expiresAt)
                    .orElse(spec.ttl() == null ? null : registeredAt.plus(spec.ttl()));
            w.putEnvironment(
                new Environment(
                    spec.id(),
                    spec.name() == null ? spec.id() : spec.name(),
                    spec.tier(),
                    spec.owner(),
                    spec.system(),
                    before.map(Environment::status).orElse("ACTIVE"),
                    registeredAt,
                    expiresAt,
                    bp.bundle(),
                    current.version()));
            if (before.isEmpty()) {
              registered.add(spec.id());
              w.appendAudit(
                  now,
                  actor,
                  "environment.registered",
                  spec.id(),
                  spec.id(),
                  detail(
                      "tier", spec.tier().name(), "bundle", bp.bundle(), "expiresAt", expiresAt));
            }
          }
          w.appendAudit(
              now,
              actor,
              "blueprint.published",
              null,
              subject,
              detail(
                  "contentHash", bp.contentHash(),
                  "current", current.version(),
                  "validated", bp.validated() != null));
          int driftsMoved = 0;
          for (EnvironmentSpec spec : current.environments()) {
            Optional<Snapshot> latest = w.latestSnapshot(spec.id());
            if (latest.isPresent()) {
              driftsMoved += reconcile(w, current, latest.get(), actor).moved();
            }
          }
          return new IngestResult(
              false,
              subject,
              Map.of(
                  "bundle", bp.bundle(),
                  "version", bp.version(),
                  "currentVersion", current.version(),
                  "environments", current.environments().size(),
                  "registered", registered,
                  "driftsUpdated", driftsMoved));
        });
  }

  /**
   * Ingests several snapshots in one write transaction (bulk loads and the demo world): far fewer
   * commits, same outcome as one at a time.
   */
  public List<IngestResult> ingestSnapshots(List<Snapshot> batch, String actor) {
    return store.write(w -> batch.stream().map(s -> ingestSnapshot(s, actor)).toList());
  }

  /** Stores a snapshot; replays are recognised, backfills slot into the history in time order. */
  public IngestResult ingestSnapshot(Snapshot s, String actor) {
    return store.write(
        w -> {
          Environment env =
              w.environment(s.environment())
                  .orElseThrow(
                      () ->
                          new PlumblineException(
                              StoreError.UNKNOWN_ENVIRONMENT,
                              "no blueprint declares environment '" + s.environment() + "'",
                              List.of("/environment: " + s.environment())));
          String subject = "snapshot " + s.contentHash();
          if (w.snapshot(s.contentHash()).isPresent()) {
            return new IngestResult(
                true, subject, Map.of("environment", env.id(), "snapshot", s.contentHash()));
          }
          w.snapshotAtOrBefore(env.id(), s.observedAt())
              .filter(other -> other.observedAt().equals(s.observedAt()))
              .ifPresent(
                  other -> {
                    throw new PlumblineException(
                        RuleError.SNAPSHOT_CONFLICT,
                        "environment '"
                            + env.id()
                            + "' already has a different snapshot observed at "
                            + s.observedAt(),
                        List.of("/observedAt: " + s.observedAt()));
                  });
          Blueprint bp = w.currentBlueprint(env.bundle()).orElseThrow();
          Optional<Snapshot> prev = w.snapshotBefore(env.id(), s.observedAt());
          Optional<Snapshot> next = w.snapshotAfter(env.id(), s.observedAt());
          w.putSnapshot(s);
          List<Change> changes = prev.map(p -> DriftDetector.changes(p, s, bp)).orElse(List.of());
          w.putChanges(s, changes);
          if (next.isPresent()) {
            // A backfill: the successor's changes were computed against an older predecessor.
            w.removeChangesProducedBy(next.get());
            w.putChanges(next.get(), DriftDetector.changes(s, next.get(), bp));
          }
          Reconciled r = next.isPresent() ? new Reconciled(0, 0, 0) : reconcile(w, bp, s, actor);
          Instant now = clock.instant();
          w.appendAudit(
              now,
              actor,
              "snapshot.ingested",
              env.id(),
              subject,
              detail(
                  "observedAt", s.observedAt(),
                  "source", s.source(),
                  "keys", s.config().size(),
                  "changes", changes.size(),
                  "backfill", next.isPresent(),
                  "expired", "EXPIRED".equals(env.status())));
          return new IngestResult(
              false,
              subject,
              Map.of(
                  "environment", env.id(),
                  "snapshot", s.contentHash(),
                  "changes", changes.size(),
                  "backfill", next.isPresent(),
                  "driftsOpened", r.opened(),
                  "driftsUpdated", r.updated(),
                  "driftsClosed", r.closed(),
                  "environmentStatus", env.status()));
        });
  }

  private record Reconciled(int opened, int updated, int closed) {
    int moved() {
      return opened + updated + closed;
    }
  }

  /** Re-derives an environment's drifts from its latest snapshot and current blueprint. */
  void reconcileLatest(StoreWriter w, String environment, String actor) {
    Environment env = w.environment(environment).orElseThrow();
    Blueprint bp = w.currentBlueprint(env.bundle()).orElseThrow();
    w.latestSnapshot(environment).ifPresent(s -> reconcile(w, bp, s, actor));
  }

  /**
   * Brings the environment's drifts in line with its latest snapshot: opens new ones, moves live
   * ones (same drift while the value keeps moving), closes those whose key matches again, and
   * re-assesses every live drift so time-based findings and blast radius stay current.
   */
  private Reconciled reconcile(StoreWriter w, Blueprint bp, Snapshot latest, String actor) {
    Environment env = w.environment(latest.environment()).orElseThrow();
    Map<String, String[]> departures = DriftDetector.departures(bp, latest);
    RulePack pack = rulePack.get();
    Instant at = latest.observedAt();
    int opened = 0;
    int updated = 0;
    int closed = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Drift d : w.activeDrifts(env.id())) {
      seen.add(d.key());
      String[] dep = departures.get(d.key());
      if (dep == null) {
        DriftStatus end =
            d.status() == DriftStatus.REVERT_APPROVED ? DriftStatus.REVERTED : DriftStatus.RESOLVED;
        w.putDrift(d.withStatus(end, at), w.driftTrail(d.id()));
        w.appendAudit(
            clock.instant(),
            actor,
            "drift.closed",
            env.id(),
            d.id(),
            detail("key", d.key(), "status", end.name(), "value", d.expected()));
        closed++;
        continue;
      }
      List<String> trail = new ArrayList<>(w.driftTrail(d.id()));
      boolean moved =
          !java.util.Objects.equals(dep[1], d.actual())
              || !java.util.Objects.equals(dep[0], d.expected());
      if (!java.util.Objects.equals(dep[1], d.actual())) {
        trail.add(dep[1]);
      }
      Assessment a = assess(w, pack, env, bp, d.key(), dep[0], dep[1], trail, d.detectedAt(), at);
      // An exception accepted one value; once the value moves on, the drift needs governing again.
      boolean reopened =
          d.status() == DriftStatus.EXCEPTED && !java.util.Objects.equals(dep[1], d.actual());
      Drift next =
          new Drift(
              d.id(),
              d.environment(),
              d.key(),
              dep[0],
              dep[1],
              d.detectedAt(),
              moved ? at : d.updatedAt(),
              reopened ? DriftStatus.OPEN : d.status(),
              a);
      if (moved || !a.equals(d.assessment())) {
        w.putDrift(next, trail);
      }
      if (moved) {
        w.appendAudit(
            clock.instant(),
            actor,
            "drift.updated",
            env.id(),
            d.id(),
            detail(
                "key",
                d.key(),
                "from",
                d.actual(),
                "to",
                dep[1],
                "expected",
                dep[0],
                "reopened",
                reopened));
        updated++;
      }
    }
    for (Map.Entry<String, String[]> e : departures.entrySet()) {
      if (seen.contains(e.getKey())) {
        continue;
      }
      String key = e.getKey();
      String[] dep = e.getValue();
      String id = "D-" + Hashing.sha256Hex(env.id() + "\n" + key + "\n" + at).substring(0, 12);
      List<String> trail = List.of(dep[1] == null ? "null" : dep[1]);
      Assessment a = assess(w, pack, env, bp, key, dep[0], dep[1], trail, at, at);
      w.putDrift(new Drift(id, env.id(), key, dep[0], dep[1], at, at, DriftStatus.OPEN, a), trail);
      w.appendAudit(
          clock.instant(),
          actor,
          "drift.opened",
          env.id(),
          id,
          detail(
              "key",
              key,
              "expected",
              dep[0],
              "actual",
              dep[1],
              "riskCategory",
              a.riskCategory().name(),
              "severity",
              a.severity().name(),
              "rulePackVersion",
              a.rulePackVersion()));
      opened++;
    }
    return new Reconciled(opened, updated, closed);
  }

  private Assessment assess(
      StoreWriter w,
      RulePack pack,
      Environment env,
      Blueprint bp,
      String key,
      String expected,
      String actual,
      List<String> trail,
      Instant detectedAt,
      Instant observedAt) {
    List<String> blastRadius = new ArrayList<>();
    if (actual != null) {
      w.currentValues(key)
          .forEach(
              (otherEnv, value) -> {
                if (!otherEnv.equals(env.id()) && value.equals(actual)) {
                  blastRadius.add(otherEnv);
                }
              });
    }
    return pack.assess(
        new DriftFacts(
            env.id(),
            env.tier(),
            env.owner(),
            key,
            expected,
            actual,
            trail,
            detectedAt,
            observedAt,
            blastRadius,
            DriftDetector.dependents(bp, key),
            Authorization.ANOMALOUS));
  }

  /** A JSON object from alternating names and values, for audit details. */
  static String detail(Object... namesAndValues) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      String name = (String) namesAndValues[i];
      if (v == null) {
        o.putNull(name);
      } else if (v instanceof Number n) {
        o.put(name, n.longValue());
      } else if (v instanceof Boolean b) {
        o.put(name, b);
      } else {
        o.put(name, v.toString());
      }
    }
    return o.toString();
  }
}
