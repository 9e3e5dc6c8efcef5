package org.plumbline.governance;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreReader;
import org.plumbline.rules.BlastRadius;
import org.plumbline.rules.DriftFacts;
import org.plumbline.rules.RulePack;

/**
 * Gathers the facts of one configuration drift from the store and asks the active pack. Two
 * moments, so that the answer depends on the facts and never on the order they arrived in:
 *
 * <ul>
 *   <li>a live drift is assessed as of the environment's latest snapshot, with the blast radius of
 *       the latest values of every other environment at that moment (what the assessment saw; reads
 *       show the radius of now, {@link BlastRadius});
 *   <li>a closed drift keeps the assessment of its last departing observation, and has no blast
 *       radius: nothing of it runs any more.
 * </ul>
 */
final class ConfigDriftAssessor {
  private final Supplier<RulePack> rulePack;

  ConfigDriftAssessor(Supplier<RulePack> rulePack) {
    this.rulePack = rulePack;
  }

  /** A live drift's assessment as of {@code observedAt} (the latest snapshot). */
  Assessment live(
      StoreReader r,
      Environment env,
      List<ChangeRequest> requests,
      String key,
      String expected,
      String actual,
      List<String> trail,
      Instant detectedAt,
      Instant observedAt) {
    List<String> blastRadius = BlastRadius.of(r, env.id(), key, actual);
    return assess(
        r, env, requests, key, expected, actual, trail, detectedAt, observedAt, blastRadius);
  }

  /**
   * A drift that closed at {@code closedAt}: assessed as of the last snapshot before it, the last
   * one that still departed.
   */
  Assessment closed(
      StoreReader r,
      Environment env,
      List<ChangeRequest> requests,
      String key,
      String expected,
      String actual,
      List<String> trail,
      Instant detectedAt,
      Instant closedAt) {
    Instant lastDeparting =
        r.snapshotBefore(env.id(), closedAt).map(Snapshot::observedAt).orElse(detectedAt);
    if (lastDeparting.isBefore(detectedAt)) {
      lastDeparting = detectedAt;
    }
    return assess(
        r, env, requests, key, expected, actual, trail, detectedAt, lastDeparting, List.of());
  }

  /** A stored drift's assessment now, by whether it is still governed or closed. */
  Assessment current(StoreReader r, Environment env, Drift d, List<String> trail) {
    List<ChangeRequest> requests = r.changeRequests(env.id());
    if (ended(d)) {
      return closed(
          r,
          env,
          requests,
          d.key(),
          d.expected(),
          d.actual(),
          trail,
          d.detectedAt(),
          d.updatedAt());
    }
    Instant observedAt = r.latestSnapshot(env.id()).map(Snapshot::observedAt).orElse(d.updatedAt());
    return live(
        r, env, requests, d.key(), d.expected(), d.actual(), trail, d.detectedAt(), observedAt);
  }

  /** Whether an observation (or a codified blueprint) ended the drift at its {@code updatedAt}. */
  static boolean ended(Drift d) {
    return switch (d.status()) {
      case RESOLVED, REVERTED, CODIFIED -> true;
      default -> false;
    };
  }

  private Assessment assess(
      StoreReader r,
      Environment env,
      List<ChangeRequest> requests,
      String key,
      String expected,
      String actual,
      List<String> trail,
      Instant detectedAt,
      Instant observedAt,
      List<String> blastRadius) {
    return rulePack
        .get()
        .assess(
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
                r.dependents(key, env.id()),
                requests.stream()
                    .filter(q -> q.covers(env.id(), key, detectedAt))
                    .map(ChangeRequest::id)
                    .sorted()
                    .toList(),
                null));
  }
}
