package org.plumbline.ontology;

import java.time.Instant;

/**
 * One entry of the append-only audit ledger. {@code detail} is JSON text; {@code hash} chains the
 * record to {@code prevHash} (the ledger's previous record) and, for a record of an environment, to
 * {@code envPrevHash} (that environment's previous record, the genesis hash for its first), with
 * {@code envSeq} its position among that environment's records (1, 2, ...). A record of no
 * environment has {@code envSeq} 0 and no {@code envPrevHash}.
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
    String prevHash,
    long envSeq,
    String envPrevHash) {}
