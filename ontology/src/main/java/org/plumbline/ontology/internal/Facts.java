package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.util.iterator.ExtendedIterator;

/**
 * Writes of domain facts: to the graph and to what this transaction wrote, which the store
 * validates against the SHACL shapes before it commits.
 */
final class Facts {
  private final Graph graph;
  private final Graph written;

  Facts(Graph graph, Graph written) {
    this.graph = graph;
    this.written = written;
  }

  void add(Node s, Node p, Node o) {
    graph.add(s, p, o);
    if (written != null) {
      written.add(s, p, o);
    }
  }

  /** Adds a string literal (or a dateTime for an Instant); nothing for null. */
  void addOptional(Node s, Node p, Object v) {
    if (v != null) {
      add(s, p, literal(v));
    }
  }

  /** A dateTime for an Instant, else a string literal. */
  private static Node literal(Object v) {
    return v instanceof Instant i ? dateTime(i) : str(v.toString());
  }

  /**
   * Removes from the graph and from what this transaction wrote, so that a node written twice in
   * one transaction is validated as it ends up, not as the union of both versions.
   */
  void remove(Node s, Node p, Node o) {
    graph.remove(s, p, o);
    if (written != null) {
      written.remove(s, p, o);
    }
  }

  /**
   * Makes {@code facts} and {@code derived} every statement about {@code s}, as removing them all
   * and adding these would, but the graph changes only where they differ: a drift that moves keeps
   * most of its statements, and each one removed and added again costs B+tree writes and store
   * growth. What this transaction wrote gets all of {@code facts}, so the node is validated whole;
   * {@code derived} (index statements about {@code s}) is not validated.
   */
  void replace(Node s, List<Triple> facts, List<Triple> derived) {
    Set<Triple> missing = new LinkedHashSet<>(facts);
    missing.addAll(derived);
    List<Triple> stale = new ArrayList<>();
    ExtendedIterator<Triple> stored = graph.find(s, Node.ANY, Node.ANY);
    try {
      while (stored.hasNext()) {
        Triple t = stored.next();
        if (!missing.remove(t)) {
          stale.add(t);
        }
      }
    } finally {
      stored.close();
    }
    stale.forEach(graph::delete);
    missing.forEach(graph::add);
    if (written != null) {
      written.remove(s, Node.ANY, Node.ANY);
      facts.forEach(written::add);
    }
  }

  /** The statements one node is to end with, gathered for {@link #replace}. */
  static final class Statements {
    private final Node s;
    final List<Triple> list = new ArrayList<>();

    Statements(Node s) {
      this.s = s;
    }

    Statements add(Node p, Node o) {
      list.add(Triple.create(s, p, o));
      return this;
    }

    /** A string literal (or a dateTime for an Instant); nothing for null. */
    Statements addOptional(Node p, Object v) {
      return v == null ? this : add(p, literal(v));
    }
  }
}
