package org.plumbline.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.plumbline.loaders.KeyMapping;
import org.plumbline.loaders.SnapshotParser;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.DriftDetector;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.RuleError;
import org.plumbline.rules.RulePack;

/**
 * The governed write path: every ingest is one write transaction that stores the facts, derives
 * changes and drifts, assesses drifts with the active rule pack, and appends its audit record.
 */
public final class Governance {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final MetricIngest metrics;
  private final ConfigDriftAssessor assessor;
  private final Backfill backfill;
  private final BlueprintIngest blueprints;

  Governance(Supplier<RulePack> rulePack, Clock clock) {
    this.clock = clock;
    this.metrics = new MetricIngest(rulePack, clock);
    this.assessor = new ConfigDriftAssessor(rulePack);
    this.backfill = new Backfill(assessor, clock);
    this.blueprints = new BlueprintIngest(this, clock);
  }

  /**
   * The longest window a change request may open: approved change windows are days, not years, and
   * a longer one would authorize whatever happened in it.
   */
  public static final java.time.Duration LONGEST_CHANGE_WINDOW = java.time.Duration.ofDays(30);

  /** What one ingest did. {@code replay} is true when it stored nothing new. */
  public record IngestResult(boolean replay, String subject, Map<String, Object> summary) {}

  /**
   * Stores a bundle version from a trusted source (the demo, the bench, a replay of one): its
   * {@code validated} block is honoured. Governed like any other version.
   */
  IngestResult ingestBlueprint(StoreWriter w, Blueprint bp, String actor) {
    return ingestBlueprint(w, bp, actor, true);
  }

  /**
   * Stores a bundle version; see {@link BlueprintIngest}: a version that changes what a {@code
   * PROD} or {@code REGULATED} environment declares is held until approved.
   *
   * @param mayValidate whether the poster may record validations (model-risk, admin)
   */
  IngestResult ingestBlueprint(StoreWriter w, Blueprint posted, String actor, boolean mayValidate) {
    return blueprints.ingest(w, posted, actor, mayValidate);
  }

  /** Publishes a version in the caller's transaction (an approved proposal). */
  IngestResult publish(StoreWriter w, Blueprint bp, String actor, boolean validationIgnored) {
    return blueprints.publish(w, bp, actor, validationIgnored);
  }

  /** Re-derives one environment's drifts against a blueprint; answers how many moved. */
  int reconcileAgainst(StoreWriter w, Blueprint bp, Snapshot latest, String actor) {
    return reconcile(w, bp, latest, actor).moved();
  }

  /**
   * Ingests several snapshots in one write transaction (bulk loads and the demo world): far fewer
   * commits, same outcome as one at a time.
   */
  List<IngestResult> ingestSnapshots(StoreWriter w, List<Snapshot> batch, String actor) {
    return batch.stream().map(s -> ingestSnapshot(w, s, actor)).toList();
  }

  /** Stores a snapshot; replays are recognised, backfills slot into the history in time order. */
  IngestResult ingestSnapshot(StoreWriter w, Snapshot posted, String actor) {
    // Histories are walked by day up to the latest snapshot: one from far ahead would make every
    // later ingest walk to it.
    if (posted.observedAt().isAfter(clock.instant().plus(java.time.Duration.ofDays(1)))) {
      throw new PlumblineException(
          RuleError.SNAPSHOT_FROM_THE_FUTURE,
          "snapshot observed at "
              + posted.observedAt()
              + ", more than a day after "
              + clock.instant(),
          List.of("/observedAt: " + posted.observedAt()));
    }
    Environment env =
        w.environment(posted.environment())
            .orElseThrow(
                () ->
                    new PlumblineException(
                        StoreError.UNKNOWN_ENVIRONMENT,
                        "no blueprint declares environment '" + posted.environment() + "'",
                        List.of("/environment: " + posted.environment())));
    Blueprint bp = w.currentBlueprint(env.bundle()).orElseThrow();
    // The bundle's key mapping renames source keys to governed keys before anything compares
    // them; the snapshot is stored (and identified) under the governed keys. A replay of the
    // journal meets the same blueprint at the same point, so it maps the same way.
    KeyMapping.Mapped mapped = KeyMapping.of(bp).apply(posted.config());
    Snapshot s =
        mapped.provenance().isEmpty()
            ? posted
            : SnapshotParser.snapshot(
                posted.environment(), posted.observedAt(), posted.source(), mapped.config());
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
    Optional<Snapshot> prev = w.snapshotBefore(env.id(), s.observedAt());
    Optional<Snapshot> next = w.snapshotAfter(env.id(), s.observedAt());
    w.putSnapshot(s);
    List<Change> changes = prev.map(p -> DriftDetector.changes(p, s, bp)).orElse(List.of());
    w.putChanges(s, changes);
    int rederived = 0;
    if (next.isPresent()) {
      // A backfill: the successor's changes were computed against an older predecessor, and
      // the drifts this snapshot touches are re-derived as an in-order arrival would have.
      w.removeChangesProducedBy(next.get());
      w.putChanges(next.get(), DriftDetector.changes(s, next.get(), bp));
      rederived = backfill.rederive(w, env, bp, prev, s, next.get(), actor);
    }
    Reconciled r = next.isPresent() ? new Reconciled(0, 0, 0) : reconcile(w, bp, s, actor);
    // Other environments' drifts are not re-assessed here: their blast radius is read live from the
    // current-value index (BlastRadius); their stored assessments keep the radius they saw.
    Instant now = clock.instant();
    w.appendAudit(
        now,
        actor,
        "snapshot.ingested",
        env.id(),
        subject,
        mapped.provenance().isEmpty()
            ? detail(
                "observedAt", s.observedAt(),
                "source", s.source(),
                "keys", s.config().size(),
                "changes", changes.size(),
                "backfill", next.isPresent(),
                "expired", "EXPIRED".equals(env.status()))
            : detail(
                "observedAt", s.observedAt(),
                "source", s.source(),
                "keys", s.config().size(),
                "changes", changes.size(),
                "backfill", next.isPresent(),
                "expired", "EXPIRED".equals(env.status()),
                "mapped", provenance(mapped)));
    Map<String, Object> summary = new java.util.LinkedHashMap<>();
    summary.put("environment", env.id());
    summary.put("snapshot", s.contentHash());
    summary.put("changes", changes.size());
    summary.put("backfill", next.isPresent());
    summary.put("driftsRederived", rederived);
    summary.put("driftsOpened", r.opened());
    summary.put("driftsUpdated", r.updated());
    summary.put("driftsClosed", r.closed());
    summary.put("environmentStatus", env.status());
    if (!mapped.provenance().isEmpty()) {
      summary.put("mapped", mapped.provenance());
    }
    return new IngestResult(false, subject, summary);
  }

  /**
   * The provenance of mapped keys for the ledger, {@code governed <- source} joined by {@code , },
   * or null when no key was mapped.
   */
  private static String provenance(KeyMapping.Mapped mapped) {
    if (mapped.provenance().isEmpty()) {
      return null;
    }
    return mapped.provenance().entrySet().stream()
        .map(e -> e.getKey() + " <- " + e.getValue())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Stores one behavioural metric sample (CONTRACT section 2): a baseline restarts the metric's
   * tracker; a window is tested against the baseline and may open, follow or close the metric's
   * drift (see {@link MetricIngest}). One write transaction with its audit records.
   *
   * @throws PlumblineException {@code UNKNOWN_ENVIRONMENT}, {@link
   *     MetricError#METRIC_BASELINE_MISSING}, {@link MetricError#METRIC_KIND_MISMATCH}, {@link
   *     MetricError#METRIC_WINDOW_CONFLICT}, {@link MetricError#METRIC_DRIFT_OPEN}
   */
  IngestResult ingestMetric(StoreWriter w, MetricSample sample, String actor) {
    return metrics.ingest(w, sample, actor);
  }

  /**
   * Stores change requests (CONTRACT section 2) in one write transaction and re-assesses the live
   * drifts whose first observation a new request covers, so a request posted after the fact still
   * authorizes them. A request stored before with the same content is an identical replay; the same
   * id with other content is refused, as is a request for an undeclared environment, and then
   * nothing of the batch is stored.
   *
   * @throws PlumblineException {@link StoreError#UNKNOWN_ENVIRONMENT}, {@link
   *     RuleError#CHANGE_REQUEST_CONFLICT}; each detail names the request by its index
   */
  IngestResult ingestChangeRequests(StoreWriter w, List<ChangeRequest> batch, String actor) {
    List<String> tooLong = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      ChangeRequest r = batch.get(i);
      if (java.time.Duration.between(r.from(), r.until()).compareTo(LONGEST_CHANGE_WINDOW) > 0) {
        tooLong.add(
            "/"
                + i
                + "/until: the window "
                + r.from()
                + " to "
                + r.until()
                + " is longer than "
                + LONGEST_CHANGE_WINDOW.toDays()
                + " days");
      }
    }
    if (!tooLong.isEmpty()) {
      throw new PlumblineException(
          RuleError.CHANGE_WINDOW_TOO_LONG,
          "a change request may open a window of at most "
              + LONGEST_CHANGE_WINDOW.toDays()
              + " days: file one request per change window",
          tooLong);
    }
    // Every environment is checked before any request is read: a batch naming an undeclared one
    // is refused after one read per environment, not one per request (on a shared store each
    // read is a round trip).
    List<String> unknown = new ArrayList<>();
    Map<String, Boolean> declared = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      String env = batch.get(i).environment();
      if (!declared.computeIfAbsent(env, e -> w.environment(e).isPresent())) {
        unknown.add("/" + i + "/environment: no blueprint declares '" + env + "'");
      }
    }
    if (!unknown.isEmpty()) {
      throw new PlumblineException(
          StoreError.UNKNOWN_ENVIRONMENT,
          "a change request names an environment no blueprint declares",
          unknown);
    }
    List<String> conflicts = new ArrayList<>();
    List<ChangeRequest> fresh = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      ChangeRequest r = batch.get(i);
      Optional<ChangeRequest> stored = w.changeRequest(r.id());
      if (stored.isEmpty()) {
        fresh.add(r);
      } else if (stored.get().equals(r)) {
        unchanged.add(r.id());
      } else {
        conflicts.add("/" + i + "/id: '" + r.id() + "' is stored with other content");
      }
    }
    if (!conflicts.isEmpty()) {
      throw new PlumblineException(
          RuleError.CHANGE_REQUEST_CONFLICT,
          "a change request is immutable once stored: file a new one with a new id",
          conflicts);
    }
    Instant now = clock.instant();
    for (ChangeRequest r : fresh) {
      w.putChangeRequest(r, now, actor);
      w.appendAudit(
          now,
          actor,
          "changerequest.recorded",
          r.environment(),
          r.id(),
          detail(
              "keys", String.join(" ", r.keys()),
              "from", r.from(),
              "until", r.until(),
              "approvedBy", r.approvedBy()));
    }
    List<String> reassessed = new ArrayList<>();
    fresh.stream()
        .map(ChangeRequest::environment)
        .distinct()
        .sorted()
        .forEach(env -> reassessed.addAll(reassessCovered(w, env, fresh, actor)));
    return new IngestResult(
        fresh.isEmpty(),
        "change requests",
        Map.of(
            "stored", fresh.stream().map(ChangeRequest::id).toList(),
            "unchanged", unchanged,
            "driftsReassessed", reassessed));
  }

  /**
   * Re-assesses the drifts of one environment whose first observation one of {@code fresh} covers:
   * the live and excepted ones, and the closed configuration drifts too, so that a request posted
   * after the fact tells the same story as one posted before.
   */
  private List<String> reassessCovered(
      StoreWriter w, String environment, List<ChangeRequest> fresh, String actor) {
    List<String> reassessed = new ArrayList<>();
    for (Drift d : w.drifts(environment)) {
      // a change request covers keys, not observations: an observation drift is not reassessed
      if (d.kind() == DriftKind.OBSERVATION || d.isMetric() && ConfigDriftAssessor.ended(d)) {
        continue;
      }
      if (fresh.stream().anyMatch(r -> r.covers(environment, d.key(), d.detectedAt()))
          && reassess(w, d, "changeRequest", actor)) {
        reassessed.add(d.id());
      }
    }
    return reassessed;
  }

  /**
   * Assesses a drift again without moving it: a configuration drift against its environment's
   * latest snapshot, a metric drift against the evidence of its latest window. Stores and audits
   * ({@code drift.reassessed}, with why) only when the assessment changed.
   */
  private boolean reassess(StoreWriter w, Drift d, String reason, String actor) {
    Environment env = w.environment(d.environment()).orElseThrow();
    List<String> trail = w.driftTrail(d.id());
    Assessment a;
    if (d.isMetric()) {
      a = metrics.reassess(w, env, d, trail);
    } else if (!ConfigDriftAssessor.ended(d) && w.latestSnapshot(env.id()).isEmpty()) {
      return false;
    } else {
      a = assessor.current(w, env, d, trail);
    }
    if (a.equals(d.assessment())) {
      return false;
    }
    w.putDrift(
        new Drift(
            d.id(),
            d.environment(),
            d.key(),
            d.expected(),
            d.actual(),
            d.detectedAt(),
            d.updatedAt(),
            d.status(),
            a,
            d.kind()),
        trail);
    w.appendAudit(
        clock.instant(),
        actor,
        "drift.reassessed",
        env.id(),
        d.id(),
        detail(
            "key", d.key(),
            "reason", reason,
            "authorization", a.authorization().name(),
            "previousAuthorization", d.assessment().authorization().name(),
            "changeRequests", String.join(" ", a.changeRequests()),
            "blastRadius", String.join(" ", a.blastRadius()),
            "severity", a.severity().name(),
            "rulePackVersion", a.rulePackVersion()));
    return true;
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
    List<ChangeRequest> requests = w.changeRequests(env.id());
    Instant at = latest.observedAt();
    int opened = 0;
    int updated = 0;
    int closed = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Drift d : w.activeDrifts(env.id())) {
      // Metric drifts follow their metric's windows (MetricIngest), observation drifts the times
      // of snapshots (Observations), not the values of the latest snapshot.
      if (!d.isConfig()) {
        continue;
      }
      seen.add(d.key());
      String[] dep = departures.get(d.key());
      if (dep == null) {
        DriftStatus end =
            d.status() == DriftStatus.REVERT_APPROVED ? DriftStatus.REVERTED : DriftStatus.RESOLVED;
        List<String> trail = w.driftTrail(d.id());
        Assessment last =
            assessor.closed(
                w, env, requests, d.key(), d.expected(), d.actual(), trail, d.detectedAt(), at);
        w.putDrift(
            new Drift(
                d.id(),
                d.environment(),
                d.key(),
                d.expected(),
                d.actual(),
                d.detectedAt(),
                at,
                end,
                last,
                d.kind()),
            trail);
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
        // A key that vanished is observed as null, written as in a new drift's trail.
        trail.add(dep[1] == null ? "null" : dep[1]);
      }
      Assessment a =
          assessor.live(w, env, requests, d.key(), dep[0], dep[1], trail, d.detectedAt(), at);
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
              a,
              DriftKind.CONFIG);
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
      String id = Backfill.driftId(env.id(), key, at);
      List<String> trail = List.of(DriftEpisodes.trailValue(dep[1]));
      Assessment a = assessor.live(w, env, requests, key, dep[0], dep[1], trail, at, at);
      w.putDrift(
          new Drift(
              id, env.id(), key, dep[0], dep[1], at, at, DriftStatus.OPEN, a, DriftKind.CONFIG),
          trail);
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

  /** A JSON object from alternating names and values, for audit details. */
  static String detail(Object... namesAndValues) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      String name = (String) namesAndValues[i];
      if (v == null) {
        o.putNull(name);
      } else if (v instanceof Double || v instanceof Float) {
        o.put(name, ((Number) v).doubleValue());
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
