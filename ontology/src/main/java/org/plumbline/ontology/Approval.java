package org.plumbline.ontology;

import java.time.Instant;

/**
 * One approver's signature on a disposition: who, in which role, what the signature means (21 CFR
 * Part 11 style), and when.
 */
public record Approval(String by, String role, String meaning, Instant at) {}
