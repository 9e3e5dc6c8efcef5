package org.plumbline.ontology.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.apache.jena.dboe.base.file.Location;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.sys.TDBInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.StoreReader;

/**
 * The ledger's chain and checkpoints against tampering done the way an intruder with disk access
 * would: straight into the TDB2 files, behind the store API's back.
 */
class AuditLedgerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String ID = "https://w3id.org/plumbline/id/audit/";
  static final String NS = "https://w3id.org/plumbline#";

  static void fill(Path dir, int n) {
    try (GraphStore store = GraphStore.openTdb2(dir)) {
      store.write(
          w -> {
            for (int i = 0; i < n; i++) {
              w.appendAudit(
                  T0.plusSeconds(i),
                  "user" + (i % 3),
                  "act",
                  "env-" + (i % 5),
                  "s" + i,
                  "{\"i\":" + i + "}");
            }
            return null;
          });
    }
  }

  /** Edits the raw graph of a closed store, then reopens it through the API and verifies. */
  static AuditLedger.Verification tamper(Path dir, Consumer<Graph> edit) {
    DatasetGraph raw = DatabaseMgr.connectDatasetGraph(Location.create(dir));
    Txn.executeWrite(raw, () -> edit.accept(raw.getDefaultGraph()));
    TDBInternal.expel(raw);
    try (GraphStore store = GraphStore.openTdb2(dir)) {
      return store.read(AuditLedger::verify);
    }
  }

  static Node record(long seq) {
    return NodeFactory.createURI(ID + seq);
  }

  static Node term(String local) {
    return NodeFactory.createURI(NS + local);
  }

  static void replace(Graph g, Node s, String property, Node value) {
    g.remove(s, term(property), Node.ANY);
    g.add(s, term(property), value);
  }

  @Test
  void aCleanLedgerOfTenThousandRecordsVerifies(@TempDir Path dir) {
    fill(dir, 10_000);
    try (GraphStore store = GraphStore.openTdb2(dir)) {
      AuditLedger.Verification v = store.read(AuditLedger::verify);
      assertTrue(v.valid(), v.reason());
      assertEquals(10_000, v.records());
      assertEquals(100, store.read(StoreReader::auditCheckpoints).size());
      assertEquals(store.read(StoreReader::auditRoot), v.root());
    }
  }

  /**
   * The heads are written once per transaction (issue 21): reads inside the transaction see the
   * records it appended, the next transaction chains from them, and the whole ledger verifies.
   */
  @Test
  void headsKeptForTheTransactionAreSeenInsideItAndChainedAfterIt(@TempDir Path dir) {
    try (GraphStore store = GraphStore.openTdb2(dir)) {
      List<Long> seen =
          store.write(
              w -> {
                List<Long> out = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                  w.appendAudit(T0.plusSeconds(i), "u", "act", "env-" + (i % 2), "s" + i, null);
                  out.add(w.auditCount());
                }
                out.add(w.auditEnvHead("env-0").orElseThrow().envSeq());
                out.add(w.auditEnvHead("env-1").orElseThrow().envSeq());
                return out;
              });
      assertEquals(List.of(1L, 2L, 3L, 2L, 1L), seen);
      AuditRecord next =
          store.write(w -> w.appendAudit(T0.plusSeconds(9), "u", "act", "env-1", "s9", null));
      assertEquals(4, next.seq());
      assertEquals(2, next.envSeq());
      assertEquals(store.read(r -> r.auditRecord(3)).orElseThrow().hash(), next.prevHash());
      assertEquals(4, store.read(StoreReader::auditCount));
      assertEquals(next, store.read(r -> r.auditEnvHead("env-1")).orElseThrow());
      AuditLedger.Verification v = store.read(AuditLedger::verify);
      assertTrue(v.valid(), v.reason());
      assertEquals(4, v.records());
    }
  }

  @Test
  void aChangedValueIsCaughtAtItsRecord(@TempDir Path dir) {
    fill(dir, 250);
    var v =
        tamper(
            dir, g -> replace(g, record(42), "actor", NodeFactory.createLiteralString("mallory")));
    assertFalse(v.valid());
    assertEquals(42L, v.firstBrokenSeq());
  }

  @Test
  void aDeletedRecordIsCaughtWhereItWas(@TempDir Path dir) {
    fill(dir, 250);
    var v = tamper(dir, g -> g.remove(record(77), Node.ANY, Node.ANY));
    assertEquals(77L, v.firstBrokenSeq());
  }

  @Test
  void twoSwappedRecordsAreCaughtAtTheFirst(@TempDir Path dir) {
    fill(dir, 250);
    var v =
        tamper(
            dir,
            g -> {
              List<Triple> a = g.find(record(120), Node.ANY, Node.ANY).toList();
              List<Triple> b = g.find(record(121), Node.ANY, Node.ANY).toList();
              a.forEach(g::delete);
              b.forEach(g::delete);
              // Keep each node's sequence number, swap everything else.
              a.forEach(
                  t ->
                      g.add(
                          record(t.getPredicate().equals(term("seq")) ? 120 : 121),
                          t.getPredicate(),
                          t.getObject()));
              b.forEach(
                  t ->
                      g.add(
                          record(t.getPredicate().equals(term("seq")) ? 121 : 120),
                          t.getPredicate(),
                          t.getObject()));
            });
    assertEquals(120L, v.firstBrokenSeq());
  }

  @Test
  void anInsertedRecordIsCaughtWhereItWasInserted(@TempDir Path dir) {
    fill(dir, 250);
    var v =
        tamper(
            dir,
            g -> {
              // Shift records 200..250 up by one and slip a copy of record 10 in at 200.
              for (long s = 250; s >= 200; s--) {
                long to = s + 1;
                for (Triple t : g.find(record(s), Node.ANY, Node.ANY).toList()) {
                  g.delete(t);
                  Node o =
                      t.getPredicate().equals(term("seq"))
                          ? NodeFactory.createLiteralDT(
                              Long.toString(to), org.apache.jena.datatypes.xsd.XSDDatatype.XSDlong)
                          : t.getObject();
                  g.add(record(to), t.getPredicate(), o);
                }
              }
              for (Triple t : g.find(record(10), Node.ANY, Node.ANY).toList()) {
                g.add(
                    record(200),
                    t.getPredicate(),
                    t.getPredicate().equals(term("seq"))
                        ? NodeFactory.createLiteralDT(
                            "200", org.apache.jena.datatypes.xsd.XSDDatatype.XSDlong)
                        : t.getObject());
              }
              Node ledger = NodeFactory.createURI("https://w3id.org/plumbline/id/ledger");
              replace(
                  g,
                  ledger,
                  "headSeq",
                  NodeFactory.createLiteralDT(
                      "251", org.apache.jena.datatypes.xsd.XSDDatatype.XSDlong));
            });
    assertEquals(200L, v.firstBrokenSeq());
  }

  @Test
  void anAlteredCheckpointIsCaughtAtItsSize(@TempDir Path dir) {
    fill(dir, 250);
    var v =
        tamper(
            dir,
            g ->
                replace(
                    g,
                    NodeFactory.createURI(ID + "checkpoint/200"),
                    "root",
                    NodeFactory.createLiteralString("0".repeat(64))));
    assertEquals(200L, v.firstBrokenSeq());
    assertTrue(v.reason().contains("checkpoint"), v.reason());
  }

  @Test
  void merkleRootsMatchTheRfc9162DefinitionAndProveExtension() throws Exception {
    List<AuditRecord> records;
    try (GraphStore store = GraphStore.inMemory()) {
      store.write(
          w -> {
            for (int i = 0; i < 37; i++) {
              w.appendAudit(T0.plus(Duration.ofMinutes(i)), "u", "act", null, "s" + i, null);
            }
            return null;
          });
      records = store.read(r -> r.audit(null, null, null));
      for (int n = 0; n <= 37; n++) {
        List<String> leaves = records.subList(0, n).stream().map(AuditRecord::hash).toList();
        assertEquals(naiveMth(leaves), AuditLedger.root(records.subList(0, n)), "size " + n);
      }
      assertEquals(
          naiveMth(records.stream().map(AuditRecord::hash).toList()),
          store.read(StoreReader::auditRoot));
    }
    String earlierRoot = AuditLedger.root(records.subList(0, 20));
    assertTrue(AuditLedger.extendsEarlier(records, 20, earlierRoot));
    List<AuditRecord> rewritten = new ArrayList<>(records);
    rewritten.remove(5);
    assertFalse(AuditLedger.extendsEarlier(rewritten, 20, earlierRoot));
    assertFalse(AuditLedger.extendsEarlier(records.subList(0, 10), 20, earlierRoot));
    assertNotEquals(earlierRoot, AuditLedger.root(records));
    assertTrue(AuditLedger.verifyExport(records, null, AuditLedger.root(records)).valid());
    assertFalse(AuditLedger.verifyExport(records, null, earlierRoot).valid());
    // A partial export (one environment's records, say) is checked record by record.
    assertTrue(
        AuditLedger.verifyExport(
                List.of(records.get(3), records.get(9), records.get(10)), null, null)
            .valid());
  }

  /** RFC 9162 section 2.1.1, written out recursively: an independent reference. */
  static String naiveMth(List<String> leaves) throws Exception {
    return HexFormat.of().formatHex(mth(leaves));
  }

  static byte[] mth(List<String> d) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int n = d.size();
    if (n == 0) {
      return sha.digest();
    }
    if (n == 1) {
      sha.update((byte) 0);
      return sha.digest(d.get(0).getBytes(StandardCharsets.US_ASCII));
    }
    int k = Integer.highestOneBit(n - 1);
    byte[] left = mth(d.subList(0, k));
    byte[] right = mth(d.subList(k, n));
    sha.update((byte) 1);
    sha.update(left);
    return sha.digest(right);
  }
}
