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

  static {
    fill(); // a static initialiser: jqwik properties do not run @BeforeAll
  }

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
  void aRewrittenHistoryHasNoConsistencyProofFromAPublishedCheckpoint() {
    // The forger rewrites record 41 (hashes, checkpoints and root all recomputed) and grows the
    // ledger; an auditor kept only the genuine checkpoint at 100 (a signed tree head).
    List<AuditRecord> rewritten = rechain(ledger, 41, "mallory");
    List<String> forgedHashes = rewritten.stream().map(AuditRecord::hash).toList();
    List<String> genuineHashes = ledger.stream().map(AuditRecord::hash).toList();
    String kept = checkpoints.get(0).root();
    assertEquals(AuditLedger.root(ledger.subList(0, 100)), kept);
    // The genuine ledger proves it only grew since the checkpoint...
    assertTrue(
        MerkleProofs.verifyConsistency(
            100, 250, kept, ledgerRoot, MerkleProofs.consistency(genuineHashes, 100)));
    // ...the rewritten one cannot, whether it proves from its own history or borrows the genuine
    // proof, and whatever size it claims the kept head had.
    String forgedRoot = AuditLedger.root(rewritten);
    assertFalse(
        MerkleProofs.verifyConsistency(
            100, 250, kept, forgedRoot, MerkleProofs.consistency(forgedHashes, 100)));
    assertFalse(
        MerkleProofs.verifyConsistency(
            100, 250, kept, forgedRoot, MerkleProofs.consistency(genuineHashes, 100)));
    for (int m : new int[] {40, 41, 99, 101, 128}) {
      assertFalse(
          MerkleProofs.verifyConsistency(
              m, 250, kept, forgedRoot, MerkleProofs.consistency(forgedHashes, m)),
          "from " + m);
    }
    // A record after the rewrite (its hash changed by the chain) is not in the genuine ledger.
    AuditRecord last = rewritten.get(249);
    assertFalse(
        MerkleProofs.verifyInclusion(
            last.hash(), 249, 250, MerkleProofs.inclusion(forgedHashes, 249), ledgerRoot));
    assertTrue(
        MerkleProofs.verifyInclusion(
            ledger.get(249).hash(),
            249,
            250,
            MerkleProofs.inclusion(genuineHashes, 249),
            ledgerRoot));
  }

  @Test
  void anIntactEnvironmentExportIsCompleteFromItsFirstRecordToItsHead() {
    List<AuditRecord> slice = slice("a");
    AuditLedger.Verification v = verifySlice(slice);
    assertTrue(v.fullyValid(), v.toString());
    assertEquals(150, v.records());
    assertTrue(v.checked().get(0).contains("150 records (seq 1..248)"), v.toString());
    assertTrue(v.checked().get(1).contains("none missing"), v.toString());
    assertTrue(
        v.checked().stream().anyMatch(s -> s.contains("head of environment a")), v.toString());
    assertEquals(List.of(AuditLedger.NO_SIGNATURE), v.notChecked());
    // Without a declared head, nothing anchors the end: partial, and it says so.
    AuditLedger.Verification open =
        AuditLedger.verifyScopedExport(
            slice, List.of(), new AuditLedger.ExportClaims("a", null, null, null, null, null));
    assertTrue(open.valid() && open.partial(), open.toString());
  }

  @Test
  void aRecordRemovedFromTheMiddleOfAnEnvironmentIsCaught() {
    List<AuditRecord> removed = new ArrayList<>(slice("a"));
    removed.remove(40);
    AuditLedger.Verification v = verifySlice(removed);
    assertFalse(v.valid(), v.toString());
    assertTrue(v.reason().contains("1 record(s) of environment a missing"), v.reason());
  }

  @Test
  void theLastRecordOfAnEnvironmentRemovedIsCaughtByItsHead() {
    List<AuditRecord> slice = slice("a");
    AuditLedger.Verification v = verifySlice(slice.subList(0, slice.size() - 1));
    assertFalse(v.valid(), v.toString());
    assertTrue(v.reason().contains("cut off its end"), v.reason());
    // Its first record removed: the export no longer starts with the environment's first record.
    AuditLedger.Verification first = verifySlice(slice.subList(1, slice.size()));
    assertFalse(first.valid(), first.toString());
    assertTrue(first.reason().contains("missing at the start"), first.reason());
  }

  @Test
  void twoRecordsOfAnEnvironmentSwappedAreCaught() {
    List<AuditRecord> swapped = new ArrayList<>(slice("a"));
    java.util.Collections.swap(swapped, 10, 11);
    AuditLedger.Verification v = verifySlice(swapped);
    assertFalse(v.valid(), v.toString());
    assertEquals(swapped.get(10).seq(), v.firstBrokenSeq(), v.reason());
  }

  @Test
  void aRecordMovedToAnotherEnvironmentIsCaughtInBoth() {
    AuditRecord moved = slice("a").get(20);
    // Re-attributed to "b" with its hashes recomputed to fit b's chain where it would go.
    List<AuditRecord> b = slice("b");
    int at = 0;
    while (at < b.size() && b.get(at).seq() < moved.seq()) {
      at++;
    }
    AuditRecord before = b.get(at - 1);
    AuditRecord forgedMove = rehash(moved, moved.actor(), "b", before.envSeq() + 1, before.hash());
    List<AuditRecord> intoB = new ArrayList<>(b);
    intoB.add(at, forgedMove);
    AuditLedger.Verification vb = verifyEnvironment("b", intoB, b);
    assertFalse(vb.valid(), vb.toString());
    // Left out of a's export, a's chain has a gap.
    List<AuditRecord> outOfA = new ArrayList<>(slice("a"));
    outOfA.remove(20);
    assertFalse(verifySlice(outOfA).valid());
    // Its environment merely relabelled: its hash no longer matches.
    List<AuditRecord> relabelled = new ArrayList<>(slice("a"));
    relabelled.set(
        20,
        new AuditRecord(
            moved.seq(),
            moved.at(),
            moved.actor(),
            moved.action(),
            "b",
            moved.subject(),
            moved.detail(),
            moved.hash(),
            moved.prevHash(),
            moved.envSeq(),
            moved.envPrevHash()));
    assertFalse(verifyEnvironment("b", List.of(relabelled.get(20)), b).valid());
    assertFalse(verifySlice(relabelled).valid());
    // A record of another environment slipped into the export is refused outright.
    List<AuditRecord> foreign = new ArrayList<>(slice("a"));
    foreign.add(3, ledger.get(3)); // seq 4 belongs to "b"
    assertEquals(4L, verifySlice(foreign).firstBrokenSeq());
  }

  @Test
  void anActorChangedIsCaughtWithOrWithoutItsHashRecomputed() {
    List<AuditRecord> slice = slice("a");
    AuditRecord r = slice.get(30);
    List<AuditRecord> plain = new ArrayList<>(slice);
    plain.set(30, withActor(r, "mallory"));
    AuditLedger.Verification v = verifySlice(plain);
    assertFalse(v.valid(), v.toString());
    assertTrue(v.reason().contains("does not match its hash"), v.reason());
    List<AuditRecord> rehashed = new ArrayList<>(slice);
    rehashed.set(30, rehash(r, "mallory", "a", r.envSeq(), r.envPrevHash()));
    AuditLedger.Verification w = verifySlice(rehashed);
    assertFalse(w.valid(), w.toString());
    assertEquals(slice.get(31).seq(), w.firstBrokenSeq(), w.reason());
    // The last one, rehashed: its hash is no longer the head's.
    List<AuditRecord> lastChanged = new ArrayList<>(slice);
    AuditRecord last = slice.get(slice.size() - 1);
    lastChanged.set(
        slice.size() - 1, rehash(last, "mallory", "a", last.envSeq(), last.envPrevHash()));
    assertFalse(verifySlice(lastChanged).valid());
  }

  @Test
  void aWindowOfAnEnvironmentIsBoundedByTheRecordsAroundIt() {
    Instant since = T0.plus(Duration.ofMinutes(50));
    Instant until = T0.plus(Duration.ofMinutes(150));
    List<AuditRecord> all = slice("a");
    List<AuditRecord> window =
        all.stream().filter(r -> !r.at().isBefore(since) && r.at().isBefore(until)).toList();
    AuditRecord before = all.get(all.indexOf(window.get(0)) - 1);
    AuditRecord after = all.get(all.indexOf(window.get(window.size() - 1)) + 1);
    AuditLedger.Verification v = verifyWindow(window, since, until, before, after);
    assertTrue(v.fullyValid(), v.toString());
    // The window's first or last record cut: the records around it no longer chain.
    assertFalse(
        verifyWindow(window.subList(1, window.size()), since, until, before, after).valid());
    assertFalse(
        verifyWindow(window.subList(0, window.size() - 1), since, until, before, after).valid());
    // A neighbour that is not outside the window is refused.
    assertFalse(
        verifyWindow(window.subList(1, window.size()), since, until, window.get(0), after).valid());
    // With no neighbour declared, a window that does not start at the environment's first
    // record is refused, and one whose end is not anchored is partial.
    assertFalse(verifyWindow(window, since, until, null, after).valid());
    AuditLedger.Verification open = verifyWindow(window, since, until, before, null);
    assertTrue(open.valid() && open.partial(), open.toString());
  }

  @Test
  void anInventedApprovalInAnEnvironmentExportIsCaught() {
    List<AuditRecord> slice = slice("a");
    AuditRecord one = slice.get(0);
    List<AuditRecord> inChain = new ArrayList<>(slice);
    inChain.set(1, forged(2, one.hash(), "a", "mallory"));
    assertFalse(verifySlice(inChain).valid());
    List<AuditRecord> atEnd = new ArrayList<>(slice);
    AuditRecord last = slice.get(slice.size() - 1);
    atEnd.add(
        rehash(
            forged(300, "f".repeat(64), "a", "mallory"),
            "mallory",
            "a",
            last.envSeq() + 1,
            last.hash()));
    AuditLedger.Verification v = verifySlice(atEnd);
    assertFalse(v.valid(), v.toString());
    assertTrue(v.reason().contains("cut off its end"), v.reason());
  }

  /** What can be done to an environment's export: each must fail verification. */
  enum Tampering {
    REMOVE,
    REMOVE_LAST,
    REMOVE_FIRST,
    SWAP,
    MOVE_OUT,
    ACTOR,
    ACTOR_REHASHED,
    DUPLICATE
  }

  @net.jqwik.api.Property(tries = 200)
  void everyTamperingOfAnEnvironmentExportFailsVerification(
      @net.jqwik.api.ForAll Tampering tampering,
      @net.jqwik.api.ForAll("envs") String env,
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 99) int i,
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 40) int offset) {
    List<AuditRecord> slice = new ArrayList<>(slice(env));
    int n = slice.size();
    int k = i % n;
    AuditRecord r = slice.get(k);
    switch (tampering) {
      case REMOVE -> slice.remove(k);
      case REMOVE_LAST -> slice.remove(n - 1);
      case REMOVE_FIRST -> slice.remove(0);
      case SWAP ->
          java.util.Collections.swap(
              slice, k, (k + offset) % n == k ? (k + 1) % n : (k + offset) % n);
      case MOVE_OUT ->
          slice.set(
              k, rehash(r, r.actor(), env.equals("a") ? "b" : "a", r.envSeq(), r.envPrevHash()));
      case ACTOR -> slice.set(k, withActor(r, r.actor() + "x"));
      case ACTOR_REHASHED ->
          slice.set(k, rehash(r, r.actor() + "x", env, r.envSeq(), r.envPrevHash()));
      case DUPLICATE -> slice.add(k, r);
    }
    AuditLedger.Verification v = verifyEnvironment(env, slice, slice(env));
    assertFalse(v.valid(), tampering + " at " + k + " passed: " + v);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> envs() {
    return net.jqwik.api.Arbitraries.of("a", "b");
  }

  static List<AuditRecord> slice(String env) {
    return ledger.stream().filter(r -> env.equals(r.environment())).toList();
  }

  /** Environment a's export, declaring a's genuine head. */
  static AuditLedger.Verification verifySlice(List<AuditRecord> records) {
    return verifyEnvironment("a", records, slice("a"));
  }

  /** An environment's export, declaring the head of its genuine records. */
  static AuditLedger.Verification verifyEnvironment(
      String env, List<AuditRecord> records, List<AuditRecord> genuine) {
    AuditRecord head = genuine.get(genuine.size() - 1);
    return AuditLedger.verifyScopedExport(
        records,
        List.of(),
        new AuditLedger.ExportClaims(
            env, null, null, 250L, ledgerRoot, null, null, null, head.envSeq(), head.hash()));
  }

  static AuditLedger.Verification verifyWindow(
      List<AuditRecord> records,
      Instant since,
      Instant until,
      AuditRecord before,
      AuditRecord after) {
    return AuditLedger.verifyScopedExport(
        records,
        List.of(),
        new AuditLedger.ExportClaims(
            "a", since, until, 250L, ledgerRoot, null, before, after, null, null));
  }

  static AuditRecord forged(long seq, String prevHash, String env, String actor) {
    Instant at = T0.plus(Duration.ofMinutes(seq - 1));
    String detail = "{\"meaning\":\"approved\"}";
    String hash =
        AuditChain.hash(
            prevHash, seq, at, actor, "disposition.signed", env, "P-forged", detail, 2, prevHash);
    return new AuditRecord(
        seq, at, actor, "disposition.signed", env, "P-forged", detail, hash, prevHash, 2, prevHash);
  }

  static AuditRecord withActor(AuditRecord r, String actor) {
    return new AuditRecord(
        r.seq(),
        r.at(),
        actor,
        r.action(),
        r.environment(),
        r.subject(),
        r.detail(),
        r.hash(),
        r.prevHash(),
        r.envSeq(),
        r.envPrevHash());
  }

  /** The record with actor and environment links changed, and its hash recomputed to fit. */
  static AuditRecord rehash(
      AuditRecord r, String actor, String env, long envSeq, String envPrevHash) {
    String hash =
        AuditChain.hash(
            r.prevHash(),
            r.seq(),
            r.at(),
            actor,
            r.action(),
            env,
            r.subject(),
            r.detail(),
            envSeq,
            envPrevHash);
    return new AuditRecord(
        r.seq(),
        r.at(),
        actor,
        r.action(),
        env,
        r.subject(),
        r.detail(),
        hash,
        r.prevHash(),
        envSeq,
        envPrevHash);
  }

  /** The ledger with one record re-attributed and every hash after it recomputed. */
  static List<AuditRecord> rechain(List<AuditRecord> records, long seq, String actor) {
    List<AuditRecord> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (AuditRecord r : records) {
      String who = r.seq() == seq ? actor : r.actor();
      AuditRecord moved =
          new AuditRecord(
              r.seq(),
              r.at(),
              who,
              r.action(),
              r.environment(),
              r.subject(),
              r.detail(),
              null,
              prev,
              r.envSeq(),
              r.envPrevHash());
      String hash = AuditChain.hashOf(moved);
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
              prev,
              r.envSeq(),
              r.envPrevHash()));
      prev = hash;
    }
    return out;
  }
}
