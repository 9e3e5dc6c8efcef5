package org.plumbline.ontology.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a signature vouches for: the ledger's size and Merkle root (RFC 9162 tree head) when it was
 * taken, and, for an environment's export, that environment's head then (its last record's position
 * among the environment's records and hash). The signed bytes are its {@link #statement}.
 *
 * @param environment null for a checkpoint or a whole-ledger export
 * @param position the environment's head position (0 when it had no record), or null
 * @param headHash the environment's head hash, or null
 */
public record TreeHead(
    long size, String root, Instant at, String environment, Long position, String headHash) {
  private static final String DOMAIN = "plumbline.tree-head.v1";

  /** The tree head of a checkpoint, or of a whole ledger. */
  public TreeHead(long size, String root, Instant at) {
    this(size, root, at, null, null, null);
  }

  /** The exact bytes a signature covers: one {@code name=value} line per field. */
  public byte[] statement() {
    StringBuilder sb = new StringBuilder(DOMAIN).append('\n');
    sb.append("size=").append(size).append('\n');
    sb.append("root=").append(root).append('\n');
    sb.append("at=").append(at).append('\n');
    if (environment != null) {
      sb.append("environment=").append(environment).append('\n');
      sb.append("position=").append(position).append('\n');
      sb.append("hash=").append(headHash).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
