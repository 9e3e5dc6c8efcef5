package org.plumbline.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftKind;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.Hashing;
import org.plumbline.ontology.SemVer;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreReader;

/**
 * Does an environment match its blueprint, and the validated version, at an instant? The answer
 * uses only facts as they stood then: the snapshot observed at or before the instant, the bundle
 * version in effect (the highest created by then), the newest version validated by then, and the
 * behavioural metric drifts open then.
 */
public final class ConformanceCheck {
  private ConformanceCheck() {}

  /**
   * The answer for one environment at one instant.
   *
   * @param matchesBlueprint about configuration only
   * @param differences configuration drifts on the departing keys, then the behavioural drifts open
   *     at that instant
   * @param metricsStable no behavioural metric drift was open at that instant
   * @param stale the environment's stale-observation drift (kind OBSERVATION) was open then: its
   *     facts were too old to say, and the answer says so beside the differences
   */
  public record Result(
      String environment,
      Instant asOf,
      String bundleVersion,
      boolean matchesBlueprint,
      String validatedVersion,
      Instant validatedAt,
      boolean matchesValidated,
      List<Drift> differences,
      boolean metricsStable,
      boolean stale) {}

  /**
   * @param pack assesses a departure that has no stored drift (history loaded after the fact); null
   *     when no pack is at hand, as in an offline export: such a departure is then listed by its
   *     key with an assessment that says it was not assessed
   */
  public static Result at(StoreReader r, RulePack pack, String environment, Instant at) {
    Environment env = r.environment(environment).orElseThrow();
    List<BundleVersion> versions = r.bundleVersions(env.bundle());
    BundleVersion inEffect = inEffect(versions, at);
    Blueprint bp = r.blueprint(env.bundle(), inEffect.version()).orElseThrow();
    Optional<BundleVersion> validated =
        versions.stream()
            .filter(v -> !v.createdAt().isAfter(at) || v == versions.get(0))
            .filter(v -> v.validated() && !v.validation().at().isAfter(at))
            .max(Comparator.comparing(v -> SemVer.parse(v.version())));
    Optional<Snapshot> observed = r.snapshotAtOrBefore(environment, at);
    // Behavioural drifts open at that instant are differences too, snapshot or not.
    List<Drift> behaviour =
        r.drifts(environment).stream()
            .filter(d -> d.isMetric() && openAt(d, at))
            .sorted(Comparator.comparing(Drift::key))
            .toList();
    boolean stale =
        r.drifts(environment).stream()
            .anyMatch(d -> d.kind() == DriftKind.OBSERVATION && openAt(d, at));
    if (observed.isEmpty()) {
      return new Result(
          environment,
          at,
          bp.version(),
          false,
          validated.map(BundleVersion::version).orElse(null),
          validated.map(v -> v.validation().at()).orElse(null),
          false,
          behaviour,
          behaviour.isEmpty(),
          stale);
    }
    Map<String, String[]> departures = DriftDetector.departures(bp, observed.get());
    List<Drift> differences = new ArrayList<>();
    List<String> covered = new ArrayList<>();
    for (Drift d : r.drifts(environment)) {
      // a blueprint may have a configuration key under metrics. too: kind tells them apart
      if (d.isConfig()
          && departures.containsKey(d.key())
          && openAt(d, at)
          && !covered.contains(d.key())) {
        differences.add(BlastRadius.current(r, d));
        covered.add(d.key());
      }
    }
    // History loaded after the fact has no stored drift: assess those departures on the spot.
    for (Map.Entry<String, String[]> e : departures.entrySet()) {
      if (!covered.contains(e.getKey())) {
        differences.add(
            transientDrift(r, pack, env, e.getKey(), e.getValue(), observed.get().observedAt()));
      }
    }
    differences.sort(Comparator.comparing(Drift::key));
    differences.addAll(behaviour);
    boolean matchesValidated =
        validated
            .flatMap(v -> r.blueprint(env.bundle(), v.version()))
            .map(v -> DriftDetector.departures(v, observed.get()).isEmpty())
            .orElse(false);
    return new Result(
        environment,
        at,
        bp.version(),
        departures.isEmpty(),
        validated.map(BundleVersion::version).orElse(null),
        validated.map(v -> v.validation().at()).orElse(null),
        matchesValidated,
        differences,
        behaviour.isEmpty(),
        stale);
  }

  /** Whether a drift was detected by {@code at} and not yet closed then. */
  private static boolean openAt(Drift d, Instant at) {
    return !d.detectedAt().isAfter(at) && (d.status().isLive() || d.updatedAt().isAfter(at));
  }

  /**
   * The version in effect: the highest created by then. Before the first version existed (history
   * loaded after the blueprint was declared), the first version is the best statement of intent.
   */
  private static BundleVersion inEffect(List<BundleVersion> versions, Instant at) {
    return versions.stream()
        .filter(v -> !v.createdAt().isAfter(at))
        .max(Comparator.comparing(v -> SemVer.parse(v.version())))
        .orElse(
            versions.stream().min(Comparator.comparing(BundleVersion::createdAt)).orElseThrow());
  }

  /** The assessment of a departure when no rule pack is at hand: says exactly that. */
  private static Assessment unassessed(Environment env) {
    return new Assessment(
        null,
        null,
        null,
        List.of(),
        env.owner(),
        List.of(),
        List.of(),
        0,
        List.of(),
        List.of(),
        "not assessed: no rule pack was at hand (offline evidence report)",
        List.of(),
        null);
  }

  private static Drift transientDrift(
      StoreReader r, RulePack pack, Environment env, String key, String[] dep, Instant observedAt) {
    var a =
        pack == null
            ? unassessed(env)
            : pack.assess(
                new DriftFacts(
                    env.id(),
                    env.tier(),
                    env.owner(),
                    key,
                    dep[0],
                    dep[1],
                    List.of(dep[1] == null ? "null" : dep[1]),
                    observedAt,
                    observedAt,
                    List.of(),
                    r.dependents(key, env.id()),
                    List.of(),
                    null));
    String id =
        "C-" + Hashing.sha256Hex(env.id() + "\n" + key + "\n" + observedAt).substring(0, 12);
    return new Drift(
        id,
        env.id(),
        key,
        dep[0],
        dep[1],
        observedAt,
        observedAt,
        DriftStatus.OPEN,
        a,
        DriftKind.CONFIG);
  }
}
