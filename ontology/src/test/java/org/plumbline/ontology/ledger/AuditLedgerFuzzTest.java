package org.plumbline.ontology.ledger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.GraphStore;

/**
 * A Jazzer target for the offline audit verifier, {@link AuditLedger#verifyExport} (issue 9 point
 * 6), run in regression mode in every build over {@code AuditLedgerFuzzTestInputs/}. The fuzzer
 * edits a genuine ledger of 120 records (past a checkpoint): it changes, drops, duplicates or
 * reorders records, or any one field, and forges checkpoints and roots.
 *
 * <p>The properties: the verifier always answers (never throws), and it never calls an edited
 * ledger valid.
 */
class AuditLedgerFuzzTest {
  private static final List<AuditRecord> LEDGER = ledger();

  private static List<AuditRecord> ledger() {
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    try (GraphStore store = GraphStore.inMemory()) {
      store.write(
          w -> {
            for (int i = 0; i < 120; i++) {
              w.appendAudit(
                  t0.plus(Duration.ofMinutes(i)),
                  "user-" + (i % 3),
                  i % 2 == 0 ? "snapshot.ingested" : "drift.opened",
                  i % 4 == 0 ? null : "env-" + (i % 5),
                  "subject-" + i,
                  i % 3 == 0 ? null : "{\"n\":" + i + "}");
            }
            return null;
          });
      return store.read(
          r -> {
            List<AuditRecord> out = new ArrayList<>();
            for (long seq = 1; seq <= r.auditCount(); seq++) {
              out.add(r.auditRecord(seq).orElseThrow());
            }
            return out;
          });
    }
  }

  @FuzzTest(maxDuration = "60s")
  void verifyExport(FuzzedDataProvider data) {
    List<AuditRecord> records = new ArrayList<>(LEDGER);
    int edits = data.consumeInt(0, 4);
    for (int e = 0; e < edits && !records.isEmpty(); e++) {
      int i = data.consumeInt(0, records.size() - 1);
      AuditRecord r = records.get(i);
      switch (data.consumeInt(0, 9)) {
        case 0 -> records.remove(i);
        case 1 -> records.add(i, r);
        case 2 -> records.set(i, records.set(data.consumeInt(0, records.size() - 1), r));
        case 3 -> records.set(i, with(r, 3, data.consumeString(40)));
        case 4 -> records.set(i, with(r, 4, data.consumeString(40)));
        case 5 -> records.set(i, with(r, 5, data.consumeString(40)));
        case 6 -> records.set(i, with(r, 6, data.consumeString(40)));
        case 7 -> records.set(i, with(r, 7, data.consumeString(70)));
        case 8 -> records.set(i, with(r, 8, data.consumeString(70)));
        default ->
            records.set(
                i,
                new AuditRecord(
                    data.consumeLong(),
                    r.at().plusSeconds(data.consumeInt(-100_000, 100_000)),
                    r.actor(),
                    r.action(),
                    r.environment(),
                    r.subject(),
                    r.detail(),
                    r.hash(),
                    r.prevHash(),
                    r.envSeq(),
                    r.envPrevHash()));
      }
    }
    List<AuditCheckpoint> checkpoints =
        data.consumeBoolean()
            ? List.of(
                new AuditCheckpoint(
                    data.consumeLong(1, 200), data.consumeString(70), Instant.EPOCH))
            : null;
    String root = data.consumeBoolean() ? data.consumeString(70) : null;
    AuditLedger.Verification v = AuditLedger.verifyExport(records, checkpoints, root);
    assertNotNull(v);
    boolean genuine = genuine(records);
    if (!genuine) {
      assertFalse(v.valid(), "an edited ledger passed: " + v);
    } else if (checkpoints == null && root == null) {
      assertTrue(v.valid(), v::toString);
    }
  }

  /**
   * Whether an export is untouched: a complete export (from record 1) must be a prefix of the
   * genuine ledger; a partial one (an environment's records) genuine records in increasing order.
   */
  private static boolean genuine(List<AuditRecord> records) {
    if (records.isEmpty() || records.get(0).seq() == 1) {
      return records.size() <= LEDGER.size() && records.equals(LEDGER.subList(0, records.size()));
    }
    long previous = 0;
    for (AuditRecord r : records) {
      if (r.seq() <= previous
          || r.seq() > LEDGER.size()
          || !LEDGER.get((int) r.seq() - 1).equals(r)) {
        return false;
      }
      previous = r.seq();
    }
    return true;
  }

  /** The record with one field (by position) replaced. */
  private static AuditRecord with(AuditRecord r, int field, String value) {
    return new AuditRecord(
        r.seq(),
        r.at(),
        field == 3 ? value : r.actor(),
        field == 4 ? value : r.action(),
        field == 5 ? value : r.environment(),
        field == 6 ? value : r.subject(),
        r.detail(),
        field == 7 ? value : r.hash(),
        field == 8 ? value : r.prevHash(),
        r.envSeq(),
        r.envPrevHash());
  }
}
