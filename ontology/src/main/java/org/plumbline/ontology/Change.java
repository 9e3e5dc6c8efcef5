package org.plumbline.ontology;

import java.time.Instant;

/**
 * One key whose observed value differs between two consecutive snapshots. {@code from}/{@code to}
 * are canonical JSON texts, null when the key was absent.
 */
public record Change(
    String environment, String key, String from, String to, Instant at, String source) {}
