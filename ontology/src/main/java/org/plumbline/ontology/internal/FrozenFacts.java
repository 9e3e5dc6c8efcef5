package org.plumbline.ontology.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;

/**
 * What a shared store's reads keep across transactions: the statements that never change once
 * written, by the store's own design. They are
 *
 * <ul>
 *   <li>audit records and checkpoints (the ledger is append-only; a record is written whole),
 *   <li>the pack records among them ({@code rulepack.activated} is an audit record),
 *   <li>a bundle version's identity and content ({@code version}, {@code versionOf}, {@code
 *       content}, {@code contentHash}, who created it and when: a conflicting republication is
 *       refused), but not its validation, which is recorded later and read fresh every time,
 *   <li>a version's declared keys and their dependency edges (the adjacency), and the
 *       content-addressed configurations and metric values.
 * </ul>
 *
 * A node is kept only once it is seen with its type, which is written in the same update as every
 * other kept statement of it, so a kept node is whole; absence is never kept (a node not yet
 * written is asked again). Mutable facts (environments, drifts, dispositions, indexes, the ledger's
 * head) are never kept, so a write acknowledged by another server is seen by the next read. Bounded
 * by statements held; least recently used go first. Thread-safe.
 */
final class FrozenFacts {
  private static final String ID = Vocab.ID;
  private static final Set<Node> VERSION_FROZEN =
      Set.of(
          Vocab.TYPE,
          Vocab.versionOf,
          Vocab.version,
          Vocab.createdAt,
          Vocab.createdBy,
          Vocab.content,
          Vocab.contentHash);

  private final int maxStatements;
  private int statements;
  private final LinkedHashMap<Node, List<Triple>> nodes = new LinkedHashMap<>(256, 0.75f, true);
  private long served;

  FrozenFacts(int maxStatements) {
    this.maxStatements = maxStatements;
  }

  /**
   * The kept statements of {@code subject} with {@code predicate}, or null when they are not kept
   * (the node is not kept yet, or the predicate is one of its mutable ones).
   */
  List<Triple> get(Node subject, Node predicate) {
    if (!subject.isURI() || !frozen(subject.getURI(), predicate)) {
      return null;
    }
    List<Triple> all;
    synchronized (this) {
      all = nodes.get(subject);
      if (all == null) {
        return null;
      }
      served++;
    }
    List<Triple> out = new ArrayList<>(2);
    for (Triple t : all) {
      if (t.getPredicate().equals(predicate)) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Every kept statement of {@code subject} when all of its statements are frozen (an audit record,
   * a checkpoint, a configuration), or null: a whole record read in one scan is served as its
   * properties one by one would be.
   */
  List<Triple> whole(Node subject) {
    if (!subject.isURI() || kind(subject.getURI()) != Kind.WHOLE) {
      return null;
    }
    synchronized (this) {
      List<Triple> all = nodes.get(subject);
      if (all != null) {
        served++;
      }
      return all;
    }
  }

  /** Keeps the frozen part of a node's whole description, read from the store. */
  void keep(Node subject, List<Triple> described) {
    if (!subject.isURI() || kind(subject.getURI()) == Kind.MUTABLE) {
      return;
    }
    List<Triple> kept = new ArrayList<>(described.size());
    boolean typed = false;
    for (Triple t : described) {
      if (frozen(subject.getURI(), t.getPredicate())) {
        kept.add(t);
        typed |= t.getPredicate().equals(Vocab.TYPE);
      }
    }
    if (!typed) {
      return; // not written yet, or not whole: never keep absence
    }
    synchronized (this) {
      List<Triple> old = nodes.put(subject, List.copyOf(kept));
      statements += kept.size() - (old == null ? 0 : old.size());
      var it = nodes.entrySet().iterator();
      while (statements > maxStatements && it.hasNext()) {
        Map.Entry<Node, List<Triple>> eldest = it.next();
        statements -= eldest.getValue().size();
        it.remove();
      }
    }
  }

  /** How many reads were answered from what is kept (for tests and measurements). */
  synchronized long served() {
    return served;
  }

  private enum Kind {
    WHOLE,
    VERSION,
    MUTABLE
  }

  private static boolean frozen(String uri, Node predicate) {
    return switch (kind(uri)) {
      case WHOLE -> true;
      case VERSION -> VERSION_FROZEN.contains(predicate);
      case MUTABLE -> false;
    };
  }

  /** What a node is, by its IRI (see {@link Vocab}'s instance scheme). */
  private static Kind kind(String uri) {
    if (!uri.startsWith(ID)) {
      return Kind.MUTABLE;
    }
    String rest = uri.substring(ID.length());
    if (rest.startsWith("audit/")
        || rest.startsWith("config/")
        || rest.startsWith("metric-values/")) {
      return Kind.WHOLE;
    }
    if (rest.startsWith("bundle/")) {
      String[] parts = rest.split("/", -1); // bundle, B, v, V [, key, H]
      if (parts.length == 4 && parts[2].equals("v")) {
        return Kind.VERSION;
      }
      if (parts.length == 6 && parts[2].equals("v") && parts[4].equals("key")) {
        return Kind.WHOLE;
      }
    }
    return Kind.MUTABLE;
  }
}
