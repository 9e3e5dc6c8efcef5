package org.plumbline.ontology;

import java.time.Instant;

/**
 * The Merkle Tree Hash (RFC 9162) of the first {@code size} audit records, taken when the ledger
 * reached that size.
 */
public record AuditCheckpoint(long size, String root, Instant at) {}
