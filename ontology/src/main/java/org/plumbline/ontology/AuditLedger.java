package org.plumbline.ontology;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.plumbline.ontology.internal.AuditChain;
import org.plumbline.ontology.internal.MerkleFrontier;

/**
 * Verifies the audit ledger: every record hashes to its stored hash and chains to the one before;
 * every checkpoint's Merkle root matches the records it covers; and an export can be checked
 * offline, or checked to extend an earlier export.
 */
public final class AuditLedger {
  /** A checkpoint (Merkle root) is stored each time the ledger grows by this many records. */
  public static final int CHECKPOINT_INTERVAL = 100;

  private AuditLedger() {}

  /** The outcome of a verification; {@code firstBrokenSeq} is null when the ledger is valid. */
  public record Verification(
      boolean valid, long records, Long firstBrokenSeq, String reason, String root) {}

  /** Verifies the stored ledger from its first record, its checkpoints and its current root. */
  public static Verification verify(StoreReader reader) {
    long count = reader.auditCount();
    Map<Long, String> checkpoints = new HashMap<>();
    for (AuditCheckpoint c : reader.auditCheckpoints()) {
      if (c.size() > count) {
        return broken(
            count, c.size(), "checkpoint at " + c.size() + " lies beyond the ledger's end");
      }
      checkpoints.put(c.size(), c.root());
    }
    return walk(
        count, seq -> reader.auditRecord(seq).orElse(null), checkpoints, reader.auditRoot());
  }

  /**
   * Verifies an export. A complete export (starting at record 1) is checked like the stored ledger,
   * against the checkpoints and root it carries (either may be null). A partial export, such as one
   * environment's records, is checked record by record: each must hash to its stored hash, and
   * consecutive records must chain.
   */
  public static Verification verifyExport(
      List<AuditRecord> records, List<AuditCheckpoint> checkpoints, String claimedRoot) {
    if (records.isEmpty() || records.get(0).seq() == 1) {
      Map<Long, String> cps = new HashMap<>();
      if (checkpoints != null) {
        checkpoints.stream()
            .filter(c -> c.size() <= records.size())
            .forEach(c -> cps.put(c.size(), c.root()));
      }
      return walk(records.size(), seq -> records.get((int) seq - 1), cps, claimedRoot);
    }
    AuditRecord previous = null;
    for (AuditRecord r : records) {
      String problem = selfProblem(r);
      if (problem == null
          && previous != null
          && r.seq() == previous.seq() + 1
          && !previous.hash().equals(r.prevHash())) {
        problem = "record " + r.seq() + " does not chain to the record before it";
      }
      if (problem == null && previous != null && r.seq() <= previous.seq()) {
        problem = "record " + r.seq() + " is out of order";
      }
      if (problem != null) {
        return broken(records.size(), r.seq(), problem);
      }
      previous = r;
    }
    return new Verification(true, records.size(), null, null, null);
  }

  /**
   * Whether a complete export begins with exactly the ledger an earlier export described by its
   * size and root: nothing before that point was changed, removed or reordered since.
   */
  public static boolean extendsEarlier(
      List<AuditRecord> records, long earlierSize, String earlierRoot) {
    if (earlierSize > records.size()) {
      return false;
    }
    return MerkleFrontier.rootOf(
            records.subList(0, (int) earlierSize).stream().map(AuditRecord::hash).toList())
        .equals(earlierRoot);
  }

  /** The Merkle root of a list of records (RFC 9162, leaves are the records' hashes). */
  public static String root(List<AuditRecord> records) {
    return MerkleFrontier.rootOf(records.stream().map(AuditRecord::hash).toList());
  }

  private static Verification walk(
      long count,
      LongFunction<AuditRecord> get,
      Map<Long, String> checkpoints,
      String claimedRoot) {
    String prev = AuditChain.GENESIS;
    Instant prevAt = null;
    MerkleFrontier tree = MerkleFrontier.empty();
    for (long seq = 1; seq <= count; seq++) {
      AuditRecord r = get.apply(seq);
      String problem = problem(r, seq, prev, prevAt);
      if (problem != null) {
        return broken(count, seq, problem);
      }
      tree.append(r.hash());
      String checkpoint = checkpoints.get(seq);
      if (checkpoint != null && !checkpoint.equals(tree.root())) {
        return broken(count, seq, "checkpoint at " + seq + " does not match the records it covers");
      }
      prev = r.hash();
      prevAt = r.at();
    }
    String root = tree.root();
    if (claimedRoot != null && !claimedRoot.equals(root)) {
      return broken(count, count, "the ledger's root does not match its records");
    }
    return new Verification(true, count, null, null, root);
  }

  private static Verification broken(long count, long seq, String reason) {
    return new Verification(false, count, seq, reason, null);
  }

  private static String problem(AuditRecord r, long seq, String prev, Instant prevAt) {
    if (r == null) {
      return "record " + seq + " is missing";
    }
    if (r.seq() != seq) {
      return "record " + seq + " carries sequence number " + r.seq();
    }
    String self = selfProblem(r);
    if (self != null) {
      return self;
    }
    if (!prev.equals(r.prevHash())) {
      return "record " + seq + " does not chain to the record before it";
    }
    if (prevAt != null && r.at().isBefore(prevAt)) {
      return "record " + seq + " goes back in time";
    }
    return null;
  }

  /** Whether a record's own fields still hash to its stored hash. */
  private static String selfProblem(AuditRecord r) {
    if (r.at() == null
        || r.hash() == null
        || r.prevHash() == null
        || r.actor() == null
        || r.action() == null) {
      return "record " + r.seq() + " lacks a required field";
    }
    String expected =
        AuditChain.hash(
            r.prevHash(),
            r.seq(),
            r.at(),
            r.actor(),
            r.action(),
            r.environment(),
            r.subject(),
            r.detail());
    return expected.equals(r.hash()) ? null : "record " + r.seq() + " does not match its hash";
  }
}
