package org.plumbline.ontology.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;

/**
 * The graph of one transaction as the mappers see it: reads, plus its two ways to write. {@link
 * #facts} are the domain records, validated against the SHACL shapes before the transaction
 * commits; {@link #index} holds what is derived from them (time buckets, current values, links,
 * counts, the ledger's head, cursors) and is not validated.
 */
final class Triples {
  static final Node ANY = Node.ANY;

  private final Graph graph;
  final Facts facts;
  final Index index;

  /**
   * @param written where this transaction's fact writes are kept for validation; null in a read
   *     transaction
   */
  Triples(Graph graph, Graph written) {
    this.graph = graph;
    this.facts = new Facts(graph, written);
    this.index = new Index(graph);
  }

  boolean contains(Node s, Node p, Node o) {
    return graph.contains(s, p, o);
  }

  /** The matching statements, read into a list so that the caller may write while it walks them. */
  List<Triple> find(Node s, Node p, Node o) {
    return graph.find(s, p, o).toList();
  }

  /** Whether any statement matches, without reading them. */
  boolean any(Node s, Node p, Node o) {
    var it = graph.find(s, p, o);
    try {
      return it.hasNext();
    } finally {
      it.close();
    }
  }

  /** The object of one {@code (s, p, ?)} statement, or null. */
  Node object(Node s, Node p) {
    var it = graph.find(s, p, ANY);
    try {
      return it.hasNext() ? it.next().getObject() : null;
    } finally {
      it.close();
    }
  }

  /**
   * The statements about {@code s}, read in one range scan rather than one look-up per property: a
   * mapper that reads a whole record (a drift, an audit record) reads it so. The first object of
   * each property is kept, as {@link #object} answers.
   */
  About about(Node s) {
    Map<Node, Node> first = new HashMap<>();
    var it = graph.find(s, ANY, ANY);
    try {
      while (it.hasNext()) {
        Triple t = it.next();
        first.putIfAbsent(t.getPredicate(), t.getObject());
      }
    } finally {
      it.close();
    }
    return new About(first);
  }

  /** One node's properties, as {@link #about} read them. */
  record About(Map<Node, Node> first) {
    Node object(Node p) {
      return first.get(p);
    }

    String string(Node p) {
      Node o = first.get(p);
      return o == null ? null : o.getLiteralLexicalForm();
    }

    Instant instant(Node p) {
      Node o = first.get(p);
      return o == null ? null : OffsetDateTime.parse(o.getLiteralLexicalForm()).toInstant();
    }

    long number(Node p, long absent) {
      Node o = first.get(p);
      return o == null ? absent : Long.parseLong(o.getLiteralLexicalForm());
    }
  }

  String string(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? null : o.getLiteralLexicalForm();
  }

  /** Instants are read from their lexical form: a Calendar would drop sub-millisecond digits. */
  Instant instant(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? null : OffsetDateTime.parse(o.getLiteralLexicalForm()).toInstant();
  }

  /** A whole number, 0 when absent. */
  long number(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? 0 : Long.parseLong(o.getLiteralLexicalForm());
  }

  /** A whole number, {@code absent} when there is none. */
  long number(Node s, Node p, long absent) {
    Node o = object(s, p);
    return o == null ? absent : Long.parseLong(o.getLiteralLexicalForm());
  }

  /** A double, NaN when absent. */
  double decimal(Node s, Node p) {
    Node o = object(s, p);
    return o == null ? Double.NaN : Double.parseDouble(o.getLiteralLexicalForm());
  }
}
