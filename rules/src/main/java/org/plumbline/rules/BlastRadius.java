package org.plumbline.rules;

import java.util.List;
import org.plumbline.ontology.Assessment;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.DriftStatus;
import org.plumbline.ontology.StoreReader;

/**
 * A drift's blast radius as the contract defines it (CONTRACT section 5): the other environments
 * whose latest observed value of the same key equals the drift's actual value. It is read from the
 * live current-value index when a drift is read, so it is the same whatever order snapshots arrived
 * in.
 *
 * <p>The stored assessment records the blast radius it saw when it was made (and its explanation
 * says so). A snapshot does not re-assess the drifts of other environments whose radius it changes:
 * with a value shared across a fleet that is every drift on the key, on every snapshot (issue 21).
 * A stored assessment is refreshed when its drift is assessed again: at each snapshot of its own
 * environment, when a new blueprint version of its bundle or a CODIFY in its environment is stored,
 * when its exception lapses, and when a change request covers it.
 */
public final class BlastRadius {
  private BlastRadius() {}

  /**
   * The drift as it reads now: a governed configuration drift with the blast radius of the latest
   * values (and the explanation's blast-radius sentence to match); any other drift as stored (a
   * closed drift has none, a metric or observation drift is its environment's own).
   */
  public static Drift current(StoreReader r, Drift d) {
    if (!d.isConfig() || !governed(d.status())) {
      return d;
    }
    Assessment a = d.assessment();
    List<String> now = of(r, d.environment(), d.key(), d.actual());
    if (now.equals(a.blastRadius())) {
      return d;
    }
    String explanation =
        a.explanation() == null
            ? null
            : a.explanation()
                .replace(
                    "Blast radius: " + Explanation.blastRadius(a.blastRadius()) + ".",
                    "Blast radius: " + Explanation.blastRadius(now) + ".");
    Assessment live =
        new Assessment(
            a.riskCategory(),
            a.severity(),
            a.authorization(),
            a.changeRequests(),
            a.owner(),
            now,
            a.reevaluate(),
            a.requiredApprovals(),
            a.approverRoles(),
            a.findings(),
            explanation,
            a.firedRules(),
            a.rulePackVersion());
    return new Drift(
        d.id(),
        d.environment(),
        d.key(),
        d.expected(),
        d.actual(),
        d.detectedAt(),
        d.updatedAt(),
        d.status(),
        live,
        d.kind());
  }

  /** The other environments whose latest value of {@code key} is {@code actual}, sorted. */
  public static List<String> of(StoreReader r, String environment, String key, String actual) {
    if (actual == null) {
      return List.of();
    }
    return r.environmentsWithValue(key, actual).stream()
        .filter(other -> !other.equals(environment))
        .toList();
  }

  /** Whether a drift still runs (governed or excepted): only then has it a blast radius. */
  private static boolean governed(DriftStatus s) {
    return s.isLive() || s == DriftStatus.EXCEPTED;
  }
}
