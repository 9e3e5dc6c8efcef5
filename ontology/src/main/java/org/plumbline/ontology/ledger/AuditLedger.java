package org.plumbline.ontology.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.StoreReader;

/**
 * Verifies the audit ledger: every record hashes to its stored hash and chains to the one before;
 * every checkpoint's Merkle root matches the records it covers; and an export can be checked
 * offline, or checked to extend an earlier export.
 */
public final class AuditLedger {
  /** A checkpoint (Merkle root) is stored each time the ledger grows by this many records. */
  public static final int CHECKPOINT_INTERVAL = 100;

  private AuditLedger() {}

  /** What no unsigned ledger or export can prove, said with every verification. */
  public static final String NO_SIGNATURE =
      "authenticity: no signature; a history rewritten with recomputed hashes, checkpoints and"
          + " root would pass";

  /**
   * The outcome of a verification, saying exactly what it proved. {@code firstBrokenSeq} is null
   * when nothing checked is broken.
   *
   * @param partial true when the check did not cover a whole ledger (a per-environment or windowed
   *     export, or one that may have been cut short): {@code valid} then speaks only of {@code
   *     checked}
   * @param checked what was proved, in words
   * @param notChecked what was not, in words
   */
  public record Verification(
      boolean valid,
      long records,
      Long firstBrokenSeq,
      String reason,
      String root,
      boolean partial,
      List<String> checked,
      List<String> notChecked) {
    public Verification {
      checked = List.copyOf(checked);
      notChecked = List.copyOf(notChecked);
    }

    /** A verification with nothing said about its coverage (a full check when valid). */
    public Verification(
        boolean valid, long records, Long firstBrokenSeq, String reason, String root) {
      this(valid, records, firstBrokenSeq, reason, root, false, List.of(), List.of());
    }

    /** Whether it proved the whole ledger and found nothing broken. */
    public boolean fullyValid() {
      return valid && !partial;
    }

    Verification saying(boolean isPartial, List<String> proved, List<String> unproved) {
      return new Verification(
          valid, records, firstBrokenSeq, reason, root, isPartial, proved, unproved);
    }
  }

  /**
   * What an export's own header declares: its scope (environment, window), the ledger's size and
   * root when it was exported, and what bounds a slice. Every field may be null (a bare array of
   * records declares nothing). Claims are not evidence: they only decide what the records must be
   * checked against (signatures, when given, make the head evidence).
   *
   * @param root the Merkle root over the exported records, for a whole-ledger export
   * @param before the record of the scope made just before the window (what its first record chains
   *     to), or null when the window starts with the scope's first record
   * @param after the record of the scope made first at or after the window's end, or null
   * @param headPosition the scope's head when exported: the last record's envSeq for an
   *     environment, its seq for the whole ledger (0 when the scope was empty)
   * @param headHash that last record's hash (the genesis hash when the scope was empty)
   */
  public record ExportClaims(
      String environment,
      Instant since,
      Instant until,
      Long ledgerSize,
      String ledgerRoot,
      String root,
      AuditRecord before,
      AuditRecord after,
      Long headPosition,
      String headHash) {
    /** The claims of an export that declares no bounds (as exported before issue 17). */
    public ExportClaims(
        String environment,
        Instant since,
        Instant until,
        Long ledgerSize,
        String ledgerRoot,
        String root) {
      this(environment, since, until, ledgerSize, ledgerRoot, root, null, null, null, null);
    }

    /** Whether the export declares itself a slice (one environment, or from some instant on). */
    public boolean slice() {
      return environment != null || since != null;
    }
  }

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
    Verification v =
        walk(count, seq -> reader.auditRecord(seq).orElse(null), checkpoints, reader.auditRoot());
    List<String> checked = new ArrayList<>();
    if (v.valid()) {
      checked.add(chain(count));
      if (!checkpoints.isEmpty()) {
        checked.add(
            checkpoints.size() + " checkpoint(s) (Merkle roots) against the records they cover");
      }
      checked.add("the stored root against the records");
    }
    return v.saying(false, checked, List.of(NO_SIGNATURE));
  }

  private static String chain(long count) {
    return count == 0
        ? "the ledger is empty"
        : "hash chain of " + count + " records (seq 1.." + count + ") from the genesis hash";
  }

  /**
   * Verifies an export that declares nothing but, perhaps, its root: one that starts at record 1 is
   * taken as a whole-ledger export, any other as a slice.
   */
  public static Verification verifyExport(
      List<AuditRecord> records, List<AuditCheckpoint> checkpoints, String claimedRoot) {
    boolean fromStart = records.isEmpty() || records.get(0).seq() == 1;
    return verifyScopedExport(
        records,
        checkpoints,
        fromStart
            ? new ExportClaims(null, null, null, null, null, claimedRoot)
            : new ExportClaims(null, Instant.MIN, null, null, null, null));
  }

  /**
   * Verifies an export and says what that proved. A whole-ledger export (one that declares no
   * environment and no start) must hold records 1..N with no gap, chain from the genesis hash,
   * match every checkpoint it carries (one beyond its end means records were cut off) and the root
   * and ledger size it declares; it is a full check only when its last record is anchored by a
   * carried checkpoint or by the ledger size and root it declares, else it is partial (possibly cut
   * short). A slice (one environment, or a window) is always partial: each record must match its
   * hash, belong to the declared scope and come in order, and consecutive records must chain; what
   * lies between them is not proved.
   */
  public static Verification verifyScopedExport(
      List<AuditRecord> records, List<AuditCheckpoint> checkpoints, ExportClaims claims) {
    List<AuditCheckpoint> carried = checkpoints == null ? List.of() : checkpoints;
    if (!claims.slice()) {
      return verifyWhole(records, carried, claims);
    }
    return Instant.MIN.equals(claims.since()) && claims.environment() == null
        ? verifySlice(records, claims)
        : SliceCheck.verify(records, claims);
  }

  private static Verification verifyWhole(
      List<AuditRecord> records, List<AuditCheckpoint> carried, ExportClaims claims) {
    int n = records.size();
    if (n > 0 && records.get(0).seq() != 1) {
      return broken(
              n,
              1,
              "the export declares the whole ledger but begins at seq " + records.get(0).seq())
          .saying(false, List.of(), List.of(NO_SIGNATURE));
    }
    Map<Long, String> cps = new HashMap<>();
    for (AuditCheckpoint c : carried) {
      if (c.size() > n) {
        return broken(
                n,
                n + 1,
                "the export ends at seq "
                    + n
                    + " but carries a checkpoint at "
                    + c.size()
                    + ": records were cut off its end")
            .saying(false, List.of(), List.of(NO_SIGNATURE));
      }
      cps.put(c.size(), c.root());
    }
    Verification v = walk(n, seq -> records.get((int) seq - 1), cps, claims.root());
    if (!v.valid()) {
      return v.saying(false, List.of(), List.of(NO_SIGNATURE));
    }
    if (claims.until() == null && claims.ledgerSize() != null && claims.ledgerSize() != n) {
      return broken(
              n,
              n + 1,
              "the export declares a ledger of "
                  + claims.ledgerSize()
                  + " records but holds "
                  + n
                  + ": it was cut short or records were dropped")
          .saying(false, List.of(), List.of(NO_SIGNATURE));
    }
    if (claims.until() == null
        && claims.ledgerRoot() != null
        && !claims.ledgerRoot().equals(v.root())) {
      return broken(n, n, "the ledger root the export declares does not match its records")
          .saying(false, List.of(), List.of(NO_SIGNATURE));
    }
    AuditRecord after = claims.until() == null ? null : claims.after();
    if (after != null) {
      String problem = selfProblem(after);
      String lastHash = n == 0 ? AuditChain.GENESIS : records.get(n - 1).hash();
      if (problem == null && (after.seq() != n + 1 || !lastHash.equals(after.prevHash()))) {
        problem = "the record declared after the window does not follow the export's last record";
      }
      if (problem == null && after.at().isBefore(claims.until())) {
        problem = "the record declared after the window (seq " + after.seq() + ") is not after it";
      }
      if (problem != null) {
        return broken(n, n + 1, problem).saying(false, List.of(), List.of(NO_SIGNATURE));
      }
    }
    List<String> checked = new ArrayList<>();
    checked.add(chain(n));
    if (!cps.isEmpty()) {
      checked.add(
          cps.size() + " carried checkpoint(s) (Merkle roots) against the records they cover");
    }
    if (claims.root() != null) {
      checked.add("the export's root against its records");
    }
    boolean byLedger =
        claims.until() == null && claims.ledgerSize() != null && claims.ledgerRoot() != null;
    boolean byCheckpoint = n == 0 || cps.containsKey((long) n);
    List<String> notChecked = new ArrayList<>();
    if (after != null) {
      checked.add(
          "it ends right before the first record at or after the window's end (seq "
              + after.seq()
              + ")");
    } else if (byLedger) {
      checked.add(
          "its last record against the ledger size and root it declares (" + n + " records)");
    } else if (byCheckpoint) {
      checked.add("its last record against a checkpoint it carries (at " + n + ")");
    } else if (claims.until() != null) {
      notChecked.add(
          "records after seq "
              + n
              + " (the export stops at "
              + claims.until()
              + (claims.ledgerSize() == null ? "" : "; the ledger then held " + claims.ledgerSize())
              + ")");
    } else {
      notChecked.add(
          "records after seq "
              + n
              + ": the export may have been cut short (its last record matches no checkpoint it"
              + " carries)");
    }
    notChecked.add(NO_SIGNATURE);
    return v.saying(!(after != null || byLedger || byCheckpoint), checked, notChecked);
  }

  /** A slice of undeclared scope (a bare array that starts after record 1): gaps are allowed. */
  private static Verification verifySlice(List<AuditRecord> records, ExportClaims claims) {
    int n = records.size();
    AuditRecord previous = null;
    int links = 0;
    int gaps = 0;
    long missing = 0;
    for (AuditRecord r : records) {
      String problem = selfProblem(r);
      if (problem == null && previous != null && r.seq() <= previous.seq()) {
        problem = "record " + r.seq() + " is out of order or repeated";
      }
      if (problem == null
          && claims.environment() != null
          && !claims.environment().equals(r.environment())) {
        problem =
            "record "
                + r.seq()
                + " belongs to "
                + (r.environment() == null ? "no environment" : "environment " + r.environment())
                + ", not to the exported "
                + claims.environment();
      }
      if (problem == null
          && ((claims.since() != null && r.at().isBefore(claims.since()))
              || (claims.until() != null && !r.at().isBefore(claims.until())))) {
        problem = "record " + r.seq() + " lies outside the exported window";
      }
      if (problem == null && previous != null && r.seq() == previous.seq() + 1) {
        if (!previous.hash().equals(r.prevHash())) {
          problem = "record " + r.seq() + " does not chain to the record before it";
        } else {
          links++;
        }
      }
      if (problem != null) {
        return broken(n, r.seq(), problem).saying(true, List.of(), List.of(NO_SIGNATURE));
      }
      if (previous != null && r.seq() > previous.seq() + 1) {
        gaps++;
        missing += r.seq() - previous.seq() - 1;
      }
      previous = r;
    }
    List<String> checked = new ArrayList<>();
    List<String> notChecked = new ArrayList<>();
    String what =
        claims.environment() != null
            ? "environment " + claims.environment()
            : claims.since() == null || claims.since().equals(Instant.MIN)
                ? "the slice"
                : "the window from " + claims.since();
    if (n == 0) {
      checked.add("nothing: the export holds no records");
      notChecked.add("whether " + what + " has records at all");
    } else {
      long first = records.get(0).seq();
      long last = records.get(n - 1).seq();
      checked.add("the hash of each of " + n + " records (seq " + first + ".." + last + ")");
      checked.add(links + " chain link(s) between records with consecutive seqs");
      checked.add("every record belongs to " + what + ", in order");
      notChecked.add("records before seq " + first + " and after seq " + last);
      notChecked.add(
          "completeness of the "
              + (claims.environment() != null ? "environment " : "")
              + "slice: "
              + missing
              + " record(s) in "
              + gaps
              + " gap(s) of the sequence (other environments' or removed ones), and whether a record"
              + " that chains to none of its neighbours here was invented");
    }
    notChecked.add(NO_SIGNATURE);
    return new Verification(true, n, null, null, null, true, checked, notChecked);
  }

  /**
   * Why a newer export does not extend an older one, or null when it does: every record of the
   * older export must appear in the newer one with the same seq and hash (so nothing the older
   * export showed was changed, removed or reordered since), and an older whole-ledger export must
   * be a prefix of the newer one.
   */
  public static String notExtending(List<AuditRecord> newer, List<AuditRecord> older) {
    Map<Long, String> hashes = new HashMap<>();
    for (AuditRecord r : newer) {
      hashes.put(r.seq(), r.hash());
    }
    for (AuditRecord r : older) {
      String h = hashes.get(r.seq());
      if (h == null) {
        return "record " + r.seq() + " of the earlier export is missing from this one";
      }
      if (!h.equals(r.hash())) {
        return "record " + r.seq() + " differs from the earlier export's (hash " + r.hash() + ")";
      }
    }
    return null;
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

  static Verification broken(long count, long seq, String reason) {
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
  static String selfProblem(AuditRecord r) {
    if (r.at() == null
        || r.hash() == null
        || r.prevHash() == null
        || r.actor() == null
        || r.action() == null) {
      return "record " + r.seq() + " lacks a required field";
    }
    if ((r.environment() == null) != (r.envPrevHash() == null)
        || (r.environment() == null) != (r.envSeq() == 0)) {
      return "record " + r.seq() + " has an environment link that does not fit its environment";
    }
    return AuditChain.hashOf(r).equals(r.hash())
        ? null
        : "record " + r.seq() + " does not match its hash";
  }
}
