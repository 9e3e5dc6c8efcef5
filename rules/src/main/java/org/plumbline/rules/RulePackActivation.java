package org.plumbline.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;

/**
 * Which rule pack is active, as a stored fact: the {@code rulepack.activated} audit record of the
 * pack, and a ledger cursor pointing at that record, written in one transaction. A crash therefore
 * leaves either the old activation or the new one on record, never a ledger that names one pack
 * while the store points at another.
 */
public final class RulePackActivation {
  /** The ledger cursor holding the sequence number of the active pack's activation record. */
  public static final String CURSOR = "rulepack.active";

  public static final String ACTION = "rulepack.activated";

  private static final ObjectMapper JSON = new ObjectMapper();

  private RulePackActivation() {}

  /** The activation record of the active pack, if any pack was ever activated in this store. */
  public static Optional<AuditRecord> active(StoreReader r) {
    long seq = r.cursor(CURSOR);
    return seq == 0 ? Optional.empty() : r.auditRecord(seq);
  }

  /**
   * Records {@code pack} as the active pack: its audit record and the cursor, in the caller's write
   * transaction.
   *
   * @param trigger {@code reload} (an admin asked) or {@code startup} (the server started on a pack
   *     that differs from the recorded one)
   * @param testsPassed golden cases that passed before activation, or null when none were run
   */
  public static AuditRecord record(
      StoreWriter w, Instant at, String actor, RulePack pack, String trigger, Integer testsPassed) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("previous", active(w).map(AuditRecord::subject).orElse(null));
    detail.put("rules", pack.ruleCount());
    detail.put("trigger", trigger);
    if (testsPassed != null) {
      detail.put("testsPassed", testsPassed);
    }
    AuditRecord record = w.appendAudit(at, actor, ACTION, null, pack.version(), detail.toString());
    w.putCursor(CURSOR, record.seq());
    return record;
  }
}
