package org.plumbline.ontology.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Triple;
import org.apache.jena.graph.impl.GraphBase;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.util.iterator.ExtendedIterator;
import org.apache.jena.util.iterator.WrappedIterator;

/**
 * One write transaction over a remote store: reads see the store (a {@link RemoteGraph}) with this
 * transaction's own writes applied; the writes are kept aside, as what to add and what to delete,
 * until the store sends them in one SPARQL Update. Adding a statement the store holds, or deleting
 * one it lacks, is harmless in SPARQL Update, so neither asks the store first.
 */
final class DeltaGraph extends GraphBase {
  private final RemoteGraph base;
  private final Graph additions = GraphFactory.createGraphMem();
  private final Graph deletions = GraphFactory.createGraphMem();

  DeltaGraph(RemoteGraph base) {
    this.base = base;
  }

  Graph additions() {
    return additions;
  }

  Graph deletions() {
    return deletions;
  }

  @Override
  public void performAdd(Triple t) {
    deletions.delete(t);
    additions.add(t);
  }

  @Override
  public void performDelete(Triple t) {
    additions.delete(t);
    deletions.add(t);
  }

  @Override
  protected ExtendedIterator<Triple> graphBaseFind(Triple pattern) {
    List<Triple> out = new ArrayList<>();
    for (Triple t : base.matches(pattern)) {
      if (!deletions.contains(t) && !additions.contains(t)) {
        out.add(t);
      }
    }
    additions.find(pattern).forEach(out::add);
    return WrappedIterator.create(out.iterator());
  }

  @Override
  protected int graphBaseSize() {
    throw new UnsupportedOperationException("the size of a remote store is not read");
  }
}
