package org.plumbline.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the rule packs see of an environment nobody observed for too long ({@link
 * DriftFacts#observation()}): no snapshot for twice its {@code observeEvery} interval, so its
 * configuration facts are too old to say whether it conforms (finding {@code STALE_OBSERVATION}).
 *
 * @param lastObservedAt the {@code observedAt} of its latest snapshot; null if it was never
 *     observed
 * @param observeEvery the interval its blueprint declares (one day by default)
 * @param staleSince when it became stale: the last observation (or, before the first, its
 *     registration) plus twice {@code observeEvery}; the drift's {@code detectedAt}
 */
public record StaleObservation(Instant lastObservedAt, Duration observeEvery, Instant staleSince) {
  public StaleObservation {
    Objects.requireNonNull(observeEvery, "observeEvery");
    Objects.requireNonNull(staleSince, "staleSince");
  }
}
