package org.plumbline.ontology.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.StoreReader;

/**
 * The forgeries of issue 14 (high #2) against the offline verifier: each used to answer {@code
 * valid: true}; now each is refused, or reported as partial with what was not proved.
 */
class AuditExportForgeryTest {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static List<AuditRecord> ledger;
  static List<AuditCheckpoint> checkpoints;
  static String ledgerRoot;

  @BeforeAll
  static void fill() {
    try (GraphStore store = GraphStore.inMemory()) {
      store.write(
          w -> {
            for (int i = 0; i < 250; i++) {
              // Runs of three records of "a", then two of "b".
              String env = i % 5 < 3 ? "a" : "b";
              w.appendAudit(
                  T0.plus(Duration.ofMinutes(i)),
                  "u" + (i % 7),
                  "disposition.signed",
                  env,
                  "P-" + i,
                  "{\"meaning\":\"approved\"}");
            }
            return null;
          });
      ledger = store.read(r -> r.audit(null, null, null));
      checkpoints = store.read(StoreReader::auditCheckpoints);
      ledgerRoot = store.read(StoreReader::auditRoot);
    }
    assertEquals(List.of(100L, 200L), checkpoints.stream().map(AuditCheckpoint::size).toList());
  }

  static AuditLedger.ExportClaims whole(List<AuditRecord> records, Long size, String root) {
    return new AuditLedger.ExportClaims(null, null, null, size, root, AuditLedger.root(records));
  }

  static AuditLedger.Verification verifyWhole(List<AuditRecord> records, Long size, String root) {
    return AuditLedger.verifyScopedExport(
        records,
        checkpoints.stream().filter(c -> c.size() <= records.size()).toList(),
        whole(records, size, root));
  }

  @Test
  void anIntactWholeLedgerExportIsAFullCheckThatStillSaysItIsUnsigned() {
    AuditLedger.Verification v = verifyWhole(ledger, 250L, ledgerRoot);
    assertTrue(v.fullyValid(), v.toString());
    assertEquals(250, v.records());
    assertTrue(v.checked().get(0).contains("hash chain of 250 records (seq 1..250)"), v.toString());
    assertEquals(List.of(AuditLedger.NO_SIGNATURE), v.notChecked());
  }

  @Test
  void aWholeExportCutShortIsRefusedOrReportedAsPossiblyTruncated() {
    List<AuditRecord> cut = ledger.subList(0, 230);
    // Cut naively: the header still declares 250 records.
    AuditLedger.Verification naive = verifyWhole(cut, 250L, ledgerRoot);
    assertFalse(naive.valid(), naive.toString());
    assertEquals(231L, naive.firstBrokenSeq());
    // Cut, but still carrying the checkpoint at 200... of a ledger that went on.
    AuditLedger.Verification beyond =
        AuditLedger.verifyScopedExport(
            ledger.subList(0, 150), checkpoints, whole(ledger.subList(0, 150), null, null));
    assertFalse(beyond.valid(), beyond.toString());
    assertTrue(beyond.reason().contains("cut off its end"), beyond.reason());
    // Cut with the header's size and root removed: nothing anchors its end.
    AuditLedger.Verification bare = verifyWhole(cut, null, null);
    assertTrue(bare.valid());
    assertTrue(bare.partial(), "a possibly truncated export is never plainly valid");
    assertTrue(bare.notChecked().get(0).contains("records after seq 230"), bare.toString());
    assertTrue(bare.notChecked().get(0).contains("cut short"), bare.toString());
    // Ending exactly at a checkpoint it carries, it is anchored there (and says it is unsigned).
    AuditLedger.Verification atCheckpoint = verifyWhole(ledger.subList(0, 200), null, null);
    assertTrue(atCheckpoint.fullyValid(), atCheckpoint.toString());
    assertTrue(atCheckpoint.notChecked().contains(AuditLedger.NO_SIGNATURE));
  }

  @Test
  void aWholeExportWithRecordsDroppedInTheMiddleIsRefusedAtTheFirstGap() {
    List<AuditRecord> dropped = new ArrayList<>(ledger);
    dropped.remove(119); // seq 120
    dropped.remove(119); // seq 121
    AuditLedger.Verification v = verifyWhole(dropped, null, null);
    assertFalse(v.valid(), v.toString());
    assertEquals(120L, v.firstBrokenSeq());
    // Starting late is a gap too, for an export that declares the whole ledger.
    AuditLedger.Verification late = verifyWhole(ledger.subList(5, 250), 250L, ledgerRoot);
    assertFalse(late.valid(), late.toString());
    assertEquals(1L, late.firstBrokenSeq());
  }

  @Test
  void aFullyRewrittenHistoryPassesOnlyAsUnsignedAndNeverExtendsTheGenuineOne() {
    List<AuditRecord> rewritten = rechain(ledger, 41, "mallory");
    List<AuditCheckpoint> recomputed =
        List.of(
            new AuditCheckpoint(100, AuditLedger.root(rewritten.subList(0, 100)), T0),
            new AuditCheckpoint(200, AuditLedger.root(rewritten.subList(0, 200)), T0));
    AuditLedger.Verification v =
        AuditLedger.verifyScopedExport(
            rewritten, recomputed, whole(rewritten, 250L, AuditLedger.root(rewritten)));
    // Without signatures (evidence issue 17) this cannot be told from the genuine ledger offline;
    // the verifier says so rather than implying authenticity.
    assertTrue(v.valid());
    assertTrue(v.notChecked().contains(AuditLedger.NO_SIGNATURE), v.toString());
    // But against an earlier genuine export it is caught.
    String problem = AuditLedger.notExtending(rewritten, ledger.subList(0, 100));
    assertNotNull(problem);
    assertTrue(problem.contains("record 41 differs"), problem);
    // And an earlier export rewritten the same way does not extend the genuine ledger.
    assertTrue(AuditLedger.notExtending(ledger, rewritten.subList(0, 100)).contains("record 41"));
    assertNull(AuditLedger.notExtending(ledger, ledger.subList(0, 100)));
    List<AuditRecord> shorter = new ArrayList<>(ledger);
    shorter.remove(60);
    assertTrue(
        AuditLedger.notExtending(shorter, ledger.subList(0, 100)).contains("record 61 of the"));
  }

  @Test
  void anEnvironmentSliceIsAlwaysPartialAndSaysWhatItCouldNotProve() {
    List<AuditRecord> slice = slice("a");
    AuditLedger.Verification v = verifySlice(slice);
    assertTrue(v.valid(), v.toString());
    assertTrue(v.partial(), "a per-environment export is never plainly valid");
    assertEquals(150, v.records());
    assertTrue(v.checked().get(0).contains("150 records (seq 1..248)"), v.toString());
    assertTrue(v.notChecked().stream().anyMatch(s -> s.contains("completeness")), v.toString());
    assertTrue(v.notChecked().contains(AuditLedger.NO_SIGNATURE));

    // Records removed: cannot be proved either way from the slice alone, and it says so.
    List<AuditRecord> removed = new ArrayList<>(slice);
    removed.remove(1);
    AuditLedger.Verification r = verifySlice(removed);
    assertTrue(r.partial());
    assertTrue(r.notChecked().stream().anyMatch(s -> s.contains("gap")), r.toString());
  }

  @Test
  void anInventedApprovalInASliceIsCaughtWhereItMustChainAndReportedWhereItCannot() {
    List<AuditRecord> slice = slice("a");
    // seq 1, 2, 3 belong to "a": replace seq 2 with an invented approval chained to seq 1.
    AuditRecord one = slice.get(0);
    AuditRecord invented = forged(2, one.hash(), "a", "mallory");
    List<AuditRecord> inChain = new ArrayList<>(slice);
    inChain.set(1, invented);
    AuditLedger.Verification v = verifySlice(inChain);
    assertFalse(v.valid(), v.toString());
    assertEquals(3L, v.firstBrokenSeq(), v.reason());

    // Invented with another environment's seq next to a record of the slice: it must chain.
    List<AuditRecord> besideSlice = new ArrayList<>(slice);
    besideSlice.add(3, forged(4, "f".repeat(64), "a", "mallory"));
    assertEquals(4L, verifySlice(besideSlice).firstBrokenSeq());

    // Invented where no record of the slice is its neighbour (after the last one): it hashes right
    // and chains to nothing here; the slice cannot prove it false, so it is partial and says so.
    List<AuditRecord> inGap = new ArrayList<>(slice);
    inGap.add(forged(300, "f".repeat(64), "a", "mallory"));
    AuditLedger.Verification g = verifySlice(inGap);
    assertTrue(g.valid(), g.toString());
    assertTrue(g.partial());
    assertTrue(g.notChecked().stream().anyMatch(s -> s.contains("invented")), g.toString());

    // A record of another environment, or a repeated seq, is refused outright.
    List<AuditRecord> foreign = new ArrayList<>(slice);
    foreign.add(3, ledger.get(3)); // seq 4 belongs to "b"
    assertEquals(4L, verifySlice(foreign).firstBrokenSeq());
    List<AuditRecord> repeated = new ArrayList<>(slice);
    repeated.add(2, forged(2, one.hash(), "a", "mallory"));
    assertFalse(verifySlice(repeated).valid());
  }

  static List<AuditRecord> slice(String env) {
    return ledger.stream().filter(r -> env.equals(r.environment())).toList();
  }

  static AuditLedger.Verification verifySlice(List<AuditRecord> records) {
    return AuditLedger.verifyScopedExport(
        records, List.of(), new AuditLedger.ExportClaims("a", null, null, 250L, ledgerRoot, null));
  }

  static AuditRecord forged(long seq, String prevHash, String env, String actor) {
    Instant at = T0.plus(Duration.ofMinutes(seq - 1));
    String detail = "{\"meaning\":\"approved\"}";
    String hash =
        AuditChain.hash(prevHash, seq, at, actor, "disposition.signed", env, "P-forged", detail);
    return new AuditRecord(
        seq, at, actor, "disposition.signed", env, "P-forged", detail, hash, prevHash);
  }

  /** The ledger with one record re-attributed and every hash after it recomputed. */
  static List<AuditRecord> rechain(List<AuditRecord> records, long seq, String actor) {
    List<AuditRecord> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (AuditRecord r : records) {
      String who = r.seq() == seq ? actor : r.actor();
      String hash =
          AuditChain.hash(
              prev, r.seq(), r.at(), who, r.action(), r.environment(), r.subject(), r.detail());
      out.add(
          new AuditRecord(
              r.seq(),
              r.at(),
              who,
              r.action(),
              r.environment(),
              r.subject(),
              r.detail(),
              hash,
              prev));
      prev = hash;
    }
    return out;
  }
}
