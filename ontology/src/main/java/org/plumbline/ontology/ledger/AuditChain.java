package org.plumbline.ontology.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.Hashing;

/**
 * The audit ledger's hash chains: SHA-256 over a domain-separated, length-prefixed encoding of a
 * record's fields, the previous record's hash, and the previous record of the same environment
 * (with the record's position among that environment's records), so no field can bleed into its
 * neighbour and no record can leave, join or move within its environment's chain unnoticed.
 */
public final class AuditChain {
  /** The hash the first record (and each environment's first record) chains to. */
  public static final String GENESIS = "0".repeat(64);

  private static final String DOMAIN = "plumbline.audit.v2";

  private AuditChain() {}

  public static String hash(
      String prevHash,
      long seq,
      Instant at,
      String actor,
      String action,
      String environment,
      String subject,
      String detail,
      long envSeq,
      String envPrevHash) {
    StringBuilder sb = new StringBuilder();
    for (String field :
        new String[] {
          DOMAIN,
          prevHash,
          Long.toString(seq),
          at.toString(),
          actor,
          action,
          environment == null ? "" : environment,
          subject,
          detail == null ? "" : detail,
          Long.toString(envSeq),
          envPrevHash == null ? "" : envPrevHash
        }) {
      sb.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field);
    }
    return Hashing.sha256Hex(sb.toString());
  }

  /** What a record's fields hash to (compare with its stored {@code hash}). */
  public static String hashOf(AuditRecord r) {
    return hash(
        r.prevHash(),
        r.seq(),
        r.at(),
        r.actor(),
        r.action(),
        r.environment(),
        r.subject(),
        r.detail(),
        r.envSeq(),
        r.envPrevHash());
  }
}
