package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.longLiteral;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;

/**
 * Writes of what is derived from the facts (time buckets and their counts, current values, the
 * links that index drifts, change requests, metrics and audit records, the ledger's head, cursors,
 * the store format): to the graph only. They are not validated, as no shape describes them; a
 * rebuild derives them again from the input journal.
 */
final class Index {
  private final Graph graph;

  Index(Graph graph) {
    this.graph = graph;
  }

  void add(Node s, Node p, Node o) {
    graph.add(s, p, o);
  }

  void remove(Node s, Node p, Node o) {
    graph.remove(s, p, o);
  }

  /** Replaces the value of a counter. */
  void setLong(Node s, Node p, long n) {
    set(s, p, longLiteral(n));
  }

  /** Makes {@code o} the one object of {@code (s, p)}. */
  void set(Node s, Node p, Node o) {
    graph.remove(s, p, Node.ANY);
    graph.add(s, p, o);
  }
}
