package org.plumbline.ontology.ledger;

import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.ledger.AuditLedger.ExportClaims;
import org.plumbline.ontology.ledger.AuditLedger.Verification;

/**
 * Verifies a declared slice of the ledger: one environment's records (all of them, or those of a
 * window), or a window of the whole ledger. An environment's records form their own chain (each
 * names its position among the environment's records and the previous one's hash), so the slice
 * must be exactly consecutive links of that chain: it starts with the environment's first record or
 * right after the record it declares before the window, and ends right before the record it
 * declares after the window or at the environment's head when exported. A record removed, swapped,
 * moved from or to another environment or cut off the end breaks a link.
 */
final class SliceCheck {
  private final ExportClaims claims;
  private final boolean byEnvironment;
  private final String scope;

  private SliceCheck(ExportClaims claims) {
    this.claims = claims;
    this.byEnvironment = claims.environment() != null;
    this.scope = byEnvironment ? "environment " + claims.environment() : "the ledger";
  }

  static Verification verify(List<AuditRecord> records, ExportClaims claims) {
    return new SliceCheck(claims).run(records);
  }

  private long position(AuditRecord r) {
    return byEnvironment ? r.envSeq() : r.seq();
  }

  private String link(AuditRecord r) {
    return byEnvironment ? r.envPrevHash() : r.prevHash();
  }

  private Verification run(List<AuditRecord> records) {
    int n = records.size();
    AuditRecord previous = claims.before();
    if (previous != null) {
      String problem = member(previous, "the record declared before the window");
      if (problem == null && (claims.since() == null || !previous.at().isBefore(claims.since()))) {
        problem =
            "the record declared before the window (seq " + previous.seq() + ") is not before it";
      }
      if (problem != null) {
        return fail(n, previous.seq(), problem);
      }
    }
    for (AuditRecord r : records) {
      String problem = member(r, "record " + r.seq());
      if (problem == null
          && ((claims.since() != null && r.at().isBefore(claims.since()))
              || (claims.until() != null && !r.at().isBefore(claims.until())))) {
        problem = "record " + r.seq() + " lies outside the exported window";
      }
      if (problem == null) {
        problem = linkProblem(previous, r);
      }
      if (problem != null) {
        return fail(n, r.seq(), problem);
      }
      previous = r;
    }
    List<String> checked = new ArrayList<>();
    List<String> notChecked = new ArrayList<>();
    AuditRecord after = claims.after();
    boolean endProved;
    if (after != null) {
      String problem = member(after, "the record declared after the window");
      if (problem == null && (claims.until() == null || after.at().isBefore(claims.until()))) {
        problem = "the record declared after the window (seq " + after.seq() + ") is not after it";
      }
      if (problem == null) {
        problem = linkProblem(previous, after);
      }
      if (problem != null) {
        return fail(n, after.seq(), problem);
      }
      endProved = true;
      checked.add(
          "it ends right before the first record of "
              + scope
              + " at or after the window's end (seq "
              + after.seq()
              + ")");
    } else if (claims.headPosition() != null && claims.headHash() != null) {
      long last = previous == null ? 0 : position(previous);
      String lastHash = previous == null ? AuditChain.GENESIS : previous.hash();
      if (claims.headPosition() != last || !claims.headHash().equals(lastHash)) {
        return fail(
            n,
            previous == null ? 1 : previous.seq() + 1,
            "the export ends at "
                + (previous == null ? "no record" : "record " + previous.seq())
                + " but the head of "
                + scope
                + " was its record "
                + claims.headPosition()
                + " when exported: records were cut off its end");
      }
      endProved = true;
      checked.add("it ends at the head of " + scope + " when exported (its record " + last + ")");
    } else {
      endProved = false;
      notChecked.add(
          "records of "
              + scope
              + " after the last one exported: the export declares neither its head nor the"
              + " record after the window");
    }
    if (n == 0) {
      checked.add(0, "the export holds no records, and none of " + scope + " is missing from it");
    } else {
      AuditRecord first = records.get(0);
      AuditRecord last = records.get(n - 1);
      checked.add(
          0, "the hash of each of " + n + " records (seq " + first.seq() + ".." + last.seq() + ")");
      checked.add(
          1,
          "the chain of "
              + scope
              + " from its record "
              + position(first)
              + " to its record "
              + position(last)
              + ": each links to the one before, none missing, reordered or from elsewhere");
      checked.add(
          2,
          claims.before() != null
              ? "it starts right after the last record of "
                  + scope
                  + " before the window (seq "
                  + claims.before().seq()
                  + ")"
              : "it starts with the first record of " + scope);
    }
    notChecked.add(AuditLedger.NO_SIGNATURE);
    return new Verification(true, n, null, null, null, !endProved, checked, notChecked);
  }

  /** Why a record is not a genuine record of the scope, or null. */
  private String member(AuditRecord r, String what) {
    String self = AuditLedger.selfProblem(r);
    if (self != null) {
      return self;
    }
    if (byEnvironment && !claims.environment().equals(r.environment())) {
      return what
          + " belongs to "
          + (r.environment() == null ? "no environment" : "environment " + r.environment())
          + ", not to the exported "
          + claims.environment();
    }
    return null;
  }

  /** Why {@code r} is not the record of the scope right after {@code previous} (null: first). */
  private String linkProblem(AuditRecord previous, AuditRecord r) {
    long expected = previous == null ? 1 : position(previous) + 1;
    String expectedHash = previous == null ? AuditChain.GENESIS : previous.hash();
    if (position(r) == expected && expectedHash.equals(link(r))) {
      return null;
    }
    if (previous == null) {
      return "record "
          + r.seq()
          + " is record "
          + position(r)
          + " of "
          + scope
          + ", but the export starts with it and declares no record before it: "
          + (position(r) - 1)
          + " record(s) missing at the start";
    }
    if (position(r) > expected) {
      return (position(r) - expected)
          + " record(s) of "
          + scope
          + " missing between seq "
          + previous.seq()
          + " and seq "
          + r.seq();
    }
    if (position(r) < expected) {
      return "record " + r.seq() + " is out of order or repeated in " + scope;
    }
    return "record " + r.seq() + " does not chain to the record of " + scope + " before it";
  }

  private static Verification fail(int n, long seq, String reason) {
    return AuditLedger.broken(n, seq, reason)
        .saying(true, List.of(), List.of(AuditLedger.NO_SIGNATURE));
  }
}
