package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.longLiteral;
import static org.plumbline.ontology.internal.Vocab.*;

import org.apache.jena.graph.Node;

/** Named positions (how far a consumer has read, e.g. the input journal): index, not facts. */
final class Cursors {
  private final Triples g;
  private final Index index;

  Cursors(Triples g) {
    this.g = g;
    this.index = g.index;
  }

  long get(String name) {
    return g.number(cursorNode(name), position);
  }

  void put(String name, long at) {
    Node n = cursorNode(name);
    index.remove(n, Triples.ANY, Triples.ANY);
    index.add(n, TYPE, CURSOR_CLASS);
    index.add(n, position, longLiteral(at));
  }
}
