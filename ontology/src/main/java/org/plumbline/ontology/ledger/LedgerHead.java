package org.plumbline.ontology.ledger;

import java.time.Instant;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditRecord;

/**
 * The head of the audit ledger, and what appending to it makes: the next record, chained to the
 * head's hash and never earlier than the head's time; the new head, with the record's hash added to
 * the Merkle frontier; and a checkpoint (the Merkle root of the whole ledger) each time the ledger
 * grows by {@link AuditLedger#CHECKPOINT_INTERVAL} records. The store writes what this decides, in
 * the transaction that makes the change the record tells of.
 *
 * @param size how many records the ledger holds
 * @param hash the last record's hash ({@link AuditChain#GENESIS} when empty)
 * @param at when the last record was made (null when empty)
 * @param frontier the Merkle frontier over all records, encoded ({@link MerkleFrontier#encode})
 */
public record LedgerHead(long size, String hash, Instant at, String frontier) {
  /** The head of an empty ledger. */
  public static final LedgerHead EMPTY = new LedgerHead(0, AuditChain.GENESIS, null, "");

  /**
   * What one append makes.
   *
   * @param checkpoint the checkpoint now due, or null
   */
  public record Appended(AuditRecord record, LedgerHead head, AuditCheckpoint checkpoint) {}

  /**
   * The last record of one environment: its position among that environment's records and its hash
   * ({@code 0} and {@link AuditChain#GENESIS} before the environment's first record).
   */
  public record EnvHead(long envSeq, String hash) {
    public static final EnvHead EMPTY = new EnvHead(0, AuditChain.GENESIS);
  }

  /**
   * Appends one record: {@code detail} is JSON text or null, {@code environment} may be null;
   * {@code envHead} is the environment's head (ignored when {@code environment} is null).
   */
  public Appended append(
      Instant requestedAt,
      String actor,
      String action,
      String environment,
      String subject,
      String detail,
      EnvHead envHead) {
    // The ledger never goes back in time, so a window is found by binary search over seq.
    Instant when = size > 0 && at.isAfter(requestedAt) ? at : requestedAt;
    long seq = size + 1;
    long envSeq = environment == null ? 0 : envHead.envSeq() + 1;
    String envPrev = environment == null ? null : envHead.hash();
    String h =
        AuditChain.hash(
            hash, seq, when, actor, action, environment, subject, detail, envSeq, envPrev);
    MerkleFrontier tree = MerkleFrontier.decode(frontier);
    tree.append(h);
    AuditCheckpoint checkpoint =
        seq % AuditLedger.CHECKPOINT_INTERVAL == 0
            ? new AuditCheckpoint(seq, tree.root(), when)
            : null;
    return new Appended(
        new AuditRecord(
            seq, when, actor, action, environment, subject, detail, h, hash, envSeq, envPrev),
        new LedgerHead(seq, h, when, tree.encode()),
        checkpoint);
  }

  /** The Merkle root over all records. */
  public String root() {
    return MerkleFrontier.decode(frontier).root();
  }
}
