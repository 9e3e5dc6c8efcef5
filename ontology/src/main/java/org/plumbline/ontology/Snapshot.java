package org.plumbline.ontology;

import java.time.Instant;

/**
 * The observed configuration of one environment at one instant.
 *
 * @param contentHash SHA-256 over environment, instant and canonical config: the snapshot's
 *     identity
 */
public record Snapshot(
    String environment, Instant observedAt, String source, FlatConfig config, String contentHash) {}
