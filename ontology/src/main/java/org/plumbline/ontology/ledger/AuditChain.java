package org.plumbline.ontology.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.plumbline.ontology.Hashing;

/**
 * The audit ledger's hash chain: SHA-256 over a domain-separated, length-prefixed encoding of a
 * record's fields and the previous record's hash, so no field can bleed into its neighbour.
 */
public final class AuditChain {
  /** The hash the first record chains to. */
  public static final String GENESIS = "0".repeat(64);

  private static final String DOMAIN = "plumbline.audit.v1";

  private AuditChain() {}

  public static String hash(
      String prevHash,
      long seq,
      Instant at,
      String actor,
      String action,
      String environment,
      String subject,
      String detail) {
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
          detail == null ? "" : detail
        }) {
      sb.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field);
    }
    return Hashing.sha256Hex(sb.toString());
  }
}
