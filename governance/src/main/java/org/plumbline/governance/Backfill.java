package org.plumbline.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.DriftDetector;

/**
 * A snapshot that slots in between two stored ones re-derives the drifts it touches, so that the
 * stored drifts are those an in-order arrival would have produced (CONTRACT section 7, "Order").
 *
 * <p>Only keys whose departure from the blueprint differs between the new snapshot and its
 * predecessor can change (or that depart in it and stop departing in its successor, whose closed
 * drift now last departed later). For each, the stretch of history from the onset of the drift open
 * at the predecessor (or the new snapshot) to the close of the drift open at the successor (or the
 * successor, or now) is replayed from the stored changes of that key: the cost follows the drifts
 * the backfill touches, not the environment's history.
 *
 * <p>A drift id is derived from its environment, key and onset, so a re-derived drift has the id it
 * would have had. A drift that already carries a disposition keeps its id and its decision: people
 * decided on it, and the decision stays attached to what they saw.
 */
final class Backfill {
  private final ConfigDriftAssessor assessor;
  private final Clock clock;

  Backfill(ConfigDriftAssessor assessor, Clock clock) {
    this.assessor = assessor;
    this.clock = clock;
  }

  /** Re-derives the drifts a backfilled snapshot touches; answers how many moved. */
  int rederive(
      StoreWriter w,
      Environment env,
      Blueprint bp,
      Optional<Snapshot> prev,
      Snapshot s,
      Snapshot next,
      String actor) {
    Map<String, String[]> atS = DriftDetector.departures(bp, s);
    Map<String, String[]> atPrev = prev.map(p -> DriftDetector.departures(bp, p)).orElse(Map.of());
    Map<String, String[]> atNext = DriftDetector.departures(bp, next);
    Set<String> keys = new TreeSet<>(atS.keySet());
    keys.addAll(atPrev.keySet());
    int moved = 0;
    FlatConfig expected = bp.expectedFor(env.id());
    List<ChangeRequest> requests = null;
    Instant latest = w.latestSnapshot(env.id()).orElseThrow().observedAt();
    for (String key : keys) {
      boolean touched =
          !sameDeparture(atS.get(key), atPrev.get(key))
              || (atS.containsKey(key) && !atNext.containsKey(key));
      if (!touched) {
        continue;
      }
      if (requests == null) {
        requests = w.changeRequests(env.id());
      }
      moved += rederiveKey(w, env, requests, key, expected.get(key), prev, s, next, latest, actor);
    }
    return moved;
  }

  private int rederiveKey(
      StoreWriter w,
      Environment env,
      List<ChangeRequest> requests,
      String key,
      String expected,
      Optional<Snapshot> prev,
      Snapshot s,
      Snapshot next,
      Instant latest,
      String actor) {
    List<Drift> old = w.drifts(env.id(), key).stream().filter(Drift::isConfig).toList();
    Drift atPrev = prev.flatMap(p -> containing(old, p.observedAt())).orElse(null);
    Drift atNext = containing(old, next.observedAt()).orElse(null);
    Instant start = atPrev != null ? atPrev.detectedAt() : s.observedAt();
    Instant end =
        atNext == null
            ? next.observedAt()
            : ConfigDriftAssessor.ended(atNext) ? atNext.updatedAt() : null;
    List<DriftEpisodes.Observation> observations = new ArrayList<>();
    observations.add(
        new DriftEpisodes.Observation(
            start,
            w.snapshotAtOrBefore(env.id(), start).map(x -> x.config().get(key)).orElse(null)));
    for (Change c :
        w.changes(env.id(), start.plusNanos(1), end == null ? null : end.plusNanos(1))) {
      if (c.key().equals(key)) {
        observations.add(new DriftEpisodes.Observation(c.at(), c.to()));
      }
    }
    List<Drift> inRange =
        old.stream()
            .filter(d -> !d.detectedAt().isBefore(start))
            .filter(d -> end == null || !d.detectedAt().isAfter(end))
            .toList();
    Set<String> kept = new HashSet<>();
    int moved = 0;
    for (DriftEpisodes.Episode e : DriftEpisodes.of(expected, observations)) {
      String id = driftId(env.id(), key, e.detectedAt());
      Drift carried =
          inRange.stream()
              .filter(d -> d.id().equals(id))
              .findFirst()
              .or(
                  () ->
                      inRange.stream()
                          .filter(d -> !kept.contains(d.id()) && overlaps(d, e))
                          .filter(d -> !w.dispositions(d.id()).isEmpty())
                          .findFirst())
              .orElse(null);
      Assessment a =
          e.open()
              ? assessor.live(
                  w, env, requests, key, expected, e.actual(), e.trail(), e.detectedAt(), latest)
              : assessor.closed(
                  w,
                  env,
                  requests,
                  key,
                  expected,
                  e.actual(),
                  e.trail(),
                  e.detectedAt(),
                  e.closedAt());
      Drift derived =
          new Drift(
              carried == null ? id : carried.id(),
              env.id(),
              key,
              expected,
              e.actual(),
              e.detectedAt(),
              e.updatedAt(),
              status(e, carried),
              a,
              DriftKind.CONFIG);
      if (carried != null) {
        kept.add(carried.id());
        if (carried.equals(derived) && w.driftTrail(carried.id()).equals(e.trail())) {
          continue;
        }
      }
      w.putDrift(derived, e.trail());
      w.appendAudit(
          clock.instant(),
          actor,
          "drift.rederived",
          env.id(),
          derived.id(),
          Governance.detail(
              "key", key,
              "reason", "backfill",
              "snapshot", s.contentHash(),
              "detectedAt", derived.detectedAt(),
              "previousDetectedAt", carried == null ? null : carried.detectedAt(),
              "status", derived.status().name(),
              "actual", derived.actual(),
              "authorization", a.authorization().name()));
      moved++;
    }
    for (Drift d : inRange) {
      if (!kept.contains(d.id())) {
        w.removeDrift(d.id());
        w.appendAudit(
            clock.instant(),
            actor,
            "drift.superseded",
            env.id(),
            d.id(),
            Governance.detail(
                "key",
                key,
                "reason",
                "backfill",
                "snapshot",
                s.contentHash(),
                "detectedAt",
                d.detectedAt()));
        moved++;
      }
    }
    return moved;
  }

  /** The status a re-derived drift takes: a decision on it stays, an observation closes it. */
  private static DriftStatus status(DriftEpisodes.Episode e, Drift carried) {
    DriftStatus before = carried == null ? null : carried.status();
    if (before == DriftStatus.CODIFIED) {
      return before;
    }
    if (!e.open()) {
      return before == DriftStatus.REVERT_APPROVED || before == DriftStatus.REVERTED
          ? DriftStatus.REVERTED
          : DriftStatus.RESOLVED;
    }
    return before == null || ConfigDriftAssessor.ended(carried) ? DriftStatus.OPEN : before;
  }

  static String driftId(String environment, String key, Instant detectedAt) {
    return "D-" + Hashing.sha256Hex(environment + "\n" + key + "\n" + detectedAt).substring(0, 12);
  }

  private static boolean sameDeparture(String[] a, String[] b) {
    return a == null ? b == null : b != null && Objects.equals(a[1], b[1]);
  }

  /** The drift (of one key) that was open at {@code at}: detected by then and not closed yet. */
  private static Optional<Drift> containing(List<Drift> drifts, Instant at) {
    return drifts.stream()
        .filter(d -> !d.detectedAt().isAfter(at))
        .filter(d -> !ConfigDriftAssessor.ended(d) || d.updatedAt().isAfter(at))
        .findFirst();
  }

  private static boolean overlaps(Drift d, DriftEpisodes.Episode e) {
    boolean startsBeforeEpisodeEnds = e.open() || d.detectedAt().isBefore(e.closedAt());
    boolean episodeStartsBeforeDriftEnds =
        !ConfigDriftAssessor.ended(d) || e.detectedAt().isBefore(d.updatedAt());
    return startsBeforeEpisodeEnds && episodeStartsBeforeDriftEnds;
  }
}
