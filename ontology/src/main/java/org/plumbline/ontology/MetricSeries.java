package org.plumbline.ontology;

/**
 * One behavioural metric of one environment (CONTRACT section 2, metric samples): how its values
 * are compared, which baseline they are compared with, and where its drift tracker stands.
 *
 * @param kind {@code CONTINUOUS} or {@code CATEGORICAL}
 * @param baseline the window label of the current baseline
 * @param status the tracker's status after the last window: {@code STABLE}, {@code BREACH}, {@code
 *     DRIFT} or {@code COOLDOWN}; {@code STABLE} after a new baseline
 * @param streak consecutive windows beyond threshold counted towards opening a drift
 * @param cooldownLeft windows of cool-down still to come
 * @param windows how many windows the series holds (the last window's {@code seq})
 */
public record MetricSeries(
    String environment,
    String metric,
    String kind,
    String baseline,
    String status,
    int streak,
    int cooldownLeft,
    long windows) {}
