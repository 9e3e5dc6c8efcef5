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
 * @param observedAt the instant of the snapshot being assessed ("now" for time-based findings)
 * @param changeRequests ids of the stored change requests whose window covers {@code detectedAt}
 *     for this environment and key, sorted; the rules decide what they mean for authorization
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
    List<String> changeRequests) {

  public DriftFacts {
    trail = List.copyOf(trail);
    blastRadius = List.copyOf(blastRadius);
    reevaluate = List.copyOf(reevaluate);
    changeRequests = List.copyOf(changeRequests);
  }
}
