package org.plumbline.ontology;

import org.plumbline.ontology.internal.AuditChain;

/** Verifies the audit ledger's hash chain: every record hashes to its stored hash and links up. */
public final class AuditLedger {
  private AuditLedger() {}

  /** The outcome of a verification; {@code firstBrokenSeq} is null when the ledger is valid. */
  public record Verification(boolean valid, long records, Long firstBrokenSeq, String reason) {}

  /** Walks the stored ledger from the first record; stops at the first that does not verify. */
  public static Verification verify(StoreReader reader) {
    return verify(reader.auditCount(), seq -> reader.auditRecord(seq).orElse(null));
  }

  /** Verifies an exported ledger, which must start at the first record. */
  public static Verification verify(java.util.List<AuditRecord> records) {
    return verify(records.size(), seq -> records.get((int) seq - 1));
  }

  private static Verification verify(long count, java.util.function.LongFunction<AuditRecord> get) {
    String prev = AuditChain.GENESIS;
    java.time.Instant prevAt = null;
    for (long seq = 1; seq <= count; seq++) {
      AuditRecord r = get.apply(seq);
      String problem = problem(r, seq, prev, prevAt);
      if (problem != null) {
        return new Verification(false, count, seq, problem);
      }
      prev = r.hash();
      prevAt = r.at();
    }
    return new Verification(true, count, null, null);
  }

  private static String problem(AuditRecord r, long seq, String prev, java.time.Instant prevAt) {
    if (r == null) {
      return "record " + seq + " is missing";
    }
    if (r.seq() != seq) {
      return "record " + seq + " carries sequence number " + r.seq();
    }
    if (!prev.equals(r.prevHash())) {
      return "record " + seq + " does not chain to the record before it";
    }
    if (r.at() == null || r.hash() == null || r.actor() == null || r.action() == null) {
      return "record " + seq + " lacks a required field";
    }
    if (prevAt != null && r.at().isBefore(prevAt)) {
      return "record " + seq + " goes back in time";
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
    return expected.equals(r.hash()) ? null : "record " + seq + " does not match its hash";
  }
}
