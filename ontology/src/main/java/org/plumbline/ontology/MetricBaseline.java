package org.plumbline.ontology;

import java.time.Instant;

/**
 * A reference sample of a behavioural metric: posted with {@code baseline: true}, or a drifted
 * window made the reference by a CODIFY disposition.
 *
 * @param window the sample's window label
 * @param kind {@code CONTINUOUS} or {@code CATEGORICAL}
 * @param values the values as a canonical JSON array
 * @param contentHash the sample's identity (a replay has the same hash)
 * @param setAt when it was stored
 * @param setBy who stored it (the loader, or the approver whose signature codified it)
 */
public record MetricBaseline(
    String environment,
    String metric,
    String window,
    String kind,
    String values,
    String contentHash,
    Instant setAt,
    String setBy) {}
