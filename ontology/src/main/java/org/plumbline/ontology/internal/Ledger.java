package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.longLiteral;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.AuditCheckpoint;
import org.plumbline.ontology.AuditRecord;
import org.plumbline.ontology.ledger.AuditChain;
import org.plumbline.ontology.ledger.LedgerHead;

/**
 * The audit ledger as triples: a node per record (a fact, validated), a node per checkpoint (a
 * fact), and the ledger's head (size, last hash, Merkle frontier: index). What a record and a
 * checkpoint hold is decided by {@link LedgerHead#append}; this class only reads and writes them.
 */
final class Ledger {
  private final Triples g;
  private final Facts facts;
  private final Index index;

  Ledger(Triples g) {
    this.g = g;
    this.facts = g.facts;
    this.index = g.index;
  }

  AuditRecord append(
      Instant atInstant,
      String actorName,
      String actionName,
      String envId,
      String subjectName,
      String detailJson) {
    LedgerHead.Appended next =
        head().append(atInstant, actorName, actionName, envId, subjectName, detailJson);
    AuditRecord r = next.record();
    Node n = auditNode(r.seq());
    facts.add(n, TYPE, AUDIT_CLASS);
    facts.add(n, seq, longLiteral(r.seq()));
    facts.add(n, at, dateTime(r.at()));
    facts.add(n, actor, str(r.actor()));
    facts.add(n, action, str(r.action()));
    facts.addOptional(n, environmentId, r.environment());
    facts.add(n, subject, str(r.subject()));
    facts.addOptional(n, detail, r.detail());
    facts.add(n, hash, str(r.hash()));
    facts.add(n, prevHash, str(r.prevHash()));
    if (r.environment() != null) {
      index.add(environmentNode(r.environment()), hasAudit, n);
    }
    LedgerHead head = next.head();
    index.remove(LEDGER, Triples.ANY, Triples.ANY);
    index.add(LEDGER, TYPE, LEDGER_CLASS);
    index.add(LEDGER, headSeq, longLiteral(head.size()));
    index.add(LEDGER, headHash, str(head.hash()));
    index.add(LEDGER, frontier, str(head.frontier()));
    AuditCheckpoint cp = next.checkpoint();
    if (cp != null) {
      Node c = checkpointNode(cp.size());
      facts.add(c, TYPE, CHECKPOINT_CLASS);
      facts.add(c, size, longLiteral(cp.size()));
      facts.add(c, root, str(cp.root()));
      facts.add(c, at, dateTime(cp.at()));
    }
    return r;
  }

  /** The stored head; the time is the last record's. */
  private LedgerHead head() {
    long count = count();
    if (count == 0) {
      return new LedgerHead(0, AuditChain.GENESIS, null, g.string(LEDGER, frontier));
    }
    return new LedgerHead(
        count,
        g.string(LEDGER, headHash),
        g.instant(auditNode(count), at),
        g.string(LEDGER, frontier));
  }

  long count() {
    return g.number(LEDGER, headSeq);
  }

  String root() {
    return head().root();
  }

  List<AuditCheckpoint> checkpoints() {
    List<AuditCheckpoint> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, TYPE, CHECKPOINT_CLASS)) {
      Node c = t.getSubject();
      out.add(new AuditCheckpoint(g.number(c, size, -1), g.string(c, root), g.instant(c, at)));
    }
    out.sort(Comparator.comparingLong(AuditCheckpoint::size));
    return out;
  }

  Optional<AuditRecord> record(long seqNo) {
    Node n = auditNode(seqNo);
    return g.contains(n, TYPE, AUDIT_CLASS) ? Optional.of(read(n)) : Optional.empty();
  }

  /**
   * Records are in time order by sequence number (the ledger never goes back in time), so a window
   * is found by binary search over sequence numbers rather than by a scan.
   */
  List<AuditRecord> window(String envId, Instant since, Instant until) {
    long count = count();
    long lo = 1;
    long hi = count + 1;
    if (since != null) {
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        Instant when = g.instant(auditNode(mid), at);
        if (when == null || when.isBefore(since)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
    }
    List<AuditRecord> out = new ArrayList<>();
    for (long s = lo; s <= count; s++) {
      Node n = auditNode(s);
      Instant when = g.instant(n, at);
      if (until != null && when != null && !when.isBefore(until)) {
        break;
      }
      if (envId == null || envId.equals(g.string(n, environmentId))) {
        out.add(read(n));
      }
    }
    return out;
  }

  private AuditRecord read(Node n) {
    return new AuditRecord(
        g.number(n, seq, -1),
        g.instant(n, at),
        g.string(n, actor),
        g.string(n, action),
        g.string(n, environmentId),
        g.string(n, subject),
        g.string(n, detail),
        g.string(n, hash),
        g.string(n, prevHash));
  }
}
