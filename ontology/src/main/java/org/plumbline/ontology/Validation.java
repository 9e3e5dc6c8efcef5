package org.plumbline.ontology;

import java.time.Instant;

/** Evidence that a bundle version was validated. */
public record Validation(Instant at, String by, String evidence) {}
