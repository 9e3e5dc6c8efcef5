package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.str;

import java.time.Instant;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;

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
    if (v instanceof Instant i) {
      add(s, p, dateTime(i));
    } else if (v != null) {
      add(s, p, str(v.toString()));
    }
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
}
