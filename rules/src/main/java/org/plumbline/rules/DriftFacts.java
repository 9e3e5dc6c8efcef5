package org.plumbline.rules;

import java.time.Instant;
import java.util.List;
import org.plumbline.ontology.Tier;

/**
 * Everything the rule packs may look at to assess one drift, gathered from the knowledge graph by
 * the caller. Values are canonical JSON texts (strings quoted), null when the key is absent.
 *
 * @param trail the observed values of the key since it last matched the blueprint, oldest first,
 *     ending with {@code actual}
 * @param detectedAt when the drift was first observed
 * @param observedAt the instant of the snapshot (or metric window) being assessed ("now" for
 *     time-based findings)
 * @param changeRequests ids of the stored change requests whose window covers {@code detectedAt}
 *     for this environment and key, sorted; the rules decide what they mean for authorization
 * @param metric for a behavioural drift (key {@code metrics.<name>}), the evidence of its latest
 *     window; null for a configuration drift. Rules test {@code metric != null} rather than the
 *     key, since a blueprint may well have a configuration key under {@code metrics.}.
 * @param observation for an environment not observed for too long (key {@code observation}), how
 *     long and against which interval; null otherwise. Rules test {@code observation != null}.
 */
public record DriftFacts(
    String environment,
    Tier tier,
    String owner,
    String key,
    String expected,
    String actual,
    List<String> trail,
    Instant detectedAt,
    Instant observedAt,
    List<String> blastRadius,
    List<String> reevaluate,
    List<String> changeRequests,
    MetricEvidence metric,
    StaleObservation observation) {

  public DriftFacts {
    trail = List.copyOf(trail);
    blastRadius = List.copyOf(blastRadius);
    reevaluate = List.copyOf(reevaluate);
    changeRequests = List.copyOf(changeRequests);
  }

  /** The facts of a configuration or behavioural drift (no {@link #observation}). */
  public DriftFacts(
      String environment,
      Tier tier,
      String owner,
      String key,
      String expected,
      String actual,
      List<String> trail,
      Instant detectedAt,
      Instant observedAt,
      List<String> blastRadius,
      List<String> reevaluate,
      List<String> changeRequests,
      MetricEvidence metric) {
    this(
        environment,
        tier,
        owner,
        key,
        expected,
        actual,
        trail,
        detectedAt,
        observedAt,
        blastRadius,
        reevaluate,
        changeRequests,
        metric,
        null);
  }
}
