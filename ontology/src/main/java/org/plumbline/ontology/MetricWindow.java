package org.plumbline.ontology;

import java.time.Instant;

/**
 * One window of a behavioural metric, compared with the baseline that was current when it arrived
 * (GraphQL's {@code MetricWindow}). Its values are stored too ({@link
 * StoreReader#metricWindowValues}), so that a CODIFY can make the window the new baseline.
 *
 * @param seq the window's position in its series, from 1: baselines in the order they were set, the
 *     windows of each in label order (a backfilled window renumbers the ones after it)
 * @param window the window's label
 * @param kind {@code CONTINUOUS} or {@code CATEGORICAL}
 * @param baseline the window label of the baseline it was compared with
 * @param statistic the KS statistic D (continuous) or Pearson's chi-square (categorical)
 * @param pValue the p-value of that test
 * @param psi the population stability index against the baseline
 * @param effect the PSI band: {@code STABLE}, {@code MODERATE}, {@code SIGNIFICANT} or {@code
 *     CRITICAL}
 * @param beyondThreshold whether effect size and test together put the window beyond threshold
 * @param status what the persistence and cool-down rules made of it: {@code STABLE}, {@code
 *     BREACH}, {@code DRIFT}, {@code COOLDOWN} or {@code INSUFFICIENT}
 * @param contentHash the sample's identity (a replay has the same hash)
 * @param at when it was stored
 */
public record MetricWindow(
    String environment,
    String metric,
    long seq,
    String window,
    String kind,
    String baseline,
    double statistic,
    double pValue,
    double psi,
    String effect,
    boolean beyondThreshold,
    String status,
    String contentHash,
    Instant at) {}
