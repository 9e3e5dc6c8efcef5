package org.plumbline.ontology;

import java.time.Instant;

/**
 * One entry of the append-only audit ledger. {@code detail} is JSON text; {@code hash} chains the
 * record to {@code prevHash}.
 */
public record AuditRecord(
    long seq,
    Instant at,
    String actor,
    String action,
    String environment,
    String subject,
    String detail,
    String hash,
    String prevHash) {}
