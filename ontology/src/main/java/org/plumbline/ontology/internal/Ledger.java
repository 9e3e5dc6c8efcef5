package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.longLiteral;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>The heads (the ledger's and each environment's) are kept here while the transaction appends
 * and written once by {@link #flush}, before the transaction is validated and committed: a snapshot
 * that moves fifty drifts appends fifty records, and writing the head after each one would add a
 * Merkle frontier literal to the node table and rewrite the same statements fifty times (issue 21).
 * Reads in the transaction see the kept heads.
 */
final class Ledger {
  private final Triples g;
  private final Facts facts;
  private final Index index;
  private LedgerHead pending;
  private final Map<String, LedgerHead.EnvHead> pendingEnvs = new LinkedHashMap<>();

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
    LedgerHead.EnvHead envHead = envId == null ? null : envHead(envId);
    LedgerHead.Appended next =
        head().append(atInstant, actorName, actionName, envId, subjectName, detailJson, envHead);
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
    facts.add(n, envSeq, longLiteral(r.envSeq()));
    facts.addOptional(n, envPrevHash, r.envPrevHash());
    if (r.environment() != null) {
      index.add(environmentNode(r.environment()), hasAudit, n);
      pendingEnvs.put(r.environment(), new LedgerHead.EnvHead(r.envSeq(), r.hash()));
    }
    pending = next.head();
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

  /** Writes the heads this transaction moved; nothing when it appended nothing. */
  void flush() {
    pendingEnvs.forEach(
        (envId, h) -> {
          Node e = envLedgerNode(envId);
          index.setLong(e, headSeq, h.envSeq());
          index.set(e, headHash, str(h.hash()));
        });
    pendingEnvs.clear();
    if (pending != null) {
      if (!g.contains(LEDGER, TYPE, LEDGER_CLASS)) {
        index.add(LEDGER, TYPE, LEDGER_CLASS);
      }
      index.setLong(LEDGER, headSeq, pending.size());
      index.set(LEDGER, headHash, str(pending.hash()));
      index.set(LEDGER, frontier, str(pending.frontier()));
      pending = null;
    }
  }

  /**
   * The head: this transaction's when it appended, else the stored one (the time is the last
   * record's).
   */
  private LedgerHead head() {
    if (pending != null) {
      return pending;
    }
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

  /** One environment's head: its last record's position and hash (0 and genesis when none). */
  LedgerHead.EnvHead envHead(String envId) {
    LedgerHead.EnvHead kept = pendingEnvs.get(envId);
    if (kept != null) {
      return kept;
    }
    Node e = envLedgerNode(envId);
    long k = g.number(e, headSeq, 0);
    return k == 0 ? LedgerHead.EnvHead.EMPTY : new LedgerHead.EnvHead(k, g.string(e, headHash));
  }

  /** The record at position {@code k} among one environment's records. */
  Optional<AuditRecord> envRecord(String envId, long k) {
    for (Triple t : g.find(Triples.ANY, envSeq, longLiteral(k))) {
      if (envId.equals(g.string(t.getSubject(), environmentId))) {
        return Optional.of(read(t.getSubject()));
      }
    }
    return Optional.empty();
  }

  /**
   * The first record (of one environment, or of the ledger when {@code envId} is null) made at or
   * after {@code when}, and the last one made before it: what bounds a window. Records are in time
   * order, so both are found by binary search.
   */
  Optional<AuditRecord> firstAtOrAfter(String envId, Instant when) {
    long last = envId == null ? count() : envHead(envId).envSeq();
    long k = firstAtOrAfter(envId, when, last);
    return k > last ? Optional.empty() : at(envId, k);
  }

  Optional<AuditRecord> lastBefore(String envId, Instant when) {
    long last = envId == null ? count() : envHead(envId).envSeq();
    long k = firstAtOrAfter(envId, when, last) - 1;
    return k < 1 ? Optional.empty() : at(envId, k);
  }

  private Optional<AuditRecord> at(String envId, long k) {
    return envId == null ? record(k) : envRecord(envId, k);
  }

  private long firstAtOrAfter(String envId, Instant when, long last) {
    long lo = 1;
    long hi = last + 1;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      Instant t = at(envId, mid).map(AuditRecord::at).orElse(null);
      if (t == null || t.isBefore(when)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  long count() {
    return pending != null ? pending.size() : g.number(LEDGER, headSeq);
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

  /** The records of one action, by the index on the action's value: no scan of the ledger. */
  List<AuditRecord> ofAction(String actionName) {
    List<AuditRecord> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, action, str(actionName))) {
      if (g.contains(t.getSubject(), TYPE, AUDIT_CLASS)) {
        out.add(read(t.getSubject()));
      }
    }
    out.sort(Comparator.comparingLong(AuditRecord::seq));
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
    Triples.About a = g.about(n);
    return new AuditRecord(
        a.number(seq, -1),
        a.instant(at),
        a.string(actor),
        a.string(action),
        a.string(environmentId),
        a.string(subject),
        a.string(detail),
        a.string(hash),
        a.string(prevHash),
        a.number(envSeq, 0),
        a.string(envPrevHash));
  }
}
