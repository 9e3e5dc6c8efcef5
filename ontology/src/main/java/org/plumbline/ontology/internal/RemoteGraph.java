package org.plumbline.ontology.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.graph.impl.GraphBase;
import org.apache.jena.riot.out.NodeFmtLib;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.util.iterator.ExtendedIterator;
import org.apache.jena.util.iterator.WrappedIterator;

/**
 * The default graph of a remote SPARQL 1.1 store, read-only, as one transaction sees it: each
 * {@code find} is one standard {@code SELECT} over the SPARQL 1.1 Protocol, and its answer is kept
 * for the rest of the transaction (a transaction reads one revision of the store, see {@link
 * SparqlGraphStore}), so a mapper that reads the same node twice asks once. What never changes once
 * written (audit records, bundle versions' content, dependency edges: see {@link FrozenFacts}) is
 * kept across transactions and asked once per server.
 */
final class RemoteGraph extends GraphBase {
  private static final Var S = Var.alloc("s");
  private static final Var P = Var.alloc("p");
  private static final Var O = Var.alloc("o");

  /** A subject with more statements than this is an index node, read pattern by pattern. */
  static final int DESCRIBED = 200;

  private final SparqlEndpointClient client;
  private final FrozenFacts frozen;
  private final Map<Triple, List<Triple>> answers = new HashMap<>();
  private final Map<Node, List<Triple>> subjects = new HashMap<>();
  private int queries;

  RemoteGraph(SparqlEndpointClient client, FrozenFacts frozen) {
    this.client = client;
    this.frozen = frozen;
  }

  /** How many queries this transaction sent (for tests and measurements). */
  int queries() {
    return queries;
  }

  @Override
  protected ExtendedIterator<Triple> graphBaseFind(Triple pattern) {
    return WrappedIterator.create(matches(pattern).iterator());
  }

  /** The statements matching a pattern ({@code Node.ANY} or null as wildcards). */
  List<Triple> matches(Triple pattern) {
    Triple key =
        Triple.create(
            wild(pattern.getSubject()), wild(pattern.getPredicate()), wild(pattern.getObject()));
    if (key.getSubject().isConcrete() && key.getPredicate().isConcrete()) {
      List<Triple> kept = frozen.get(key.getSubject(), key.getPredicate());
      if (kept != null) {
        return key.getObject().isConcrete() ? matching(kept, key) : kept;
      }
    }
    if (key.getSubject().isConcrete()) {
      List<Triple> described = described(key.getSubject());
      if (described != null) {
        return matching(described, key);
      }
    }
    List<Triple> known = answers.get(key);
    if (known == null) {
      known = select(key, 0);
      answers.put(key, known);
    }
    return known;
  }

  private static List<Triple> matching(List<Triple> all, Triple key) {
    List<Triple> out = new ArrayList<>();
    for (Triple t : all) {
      if (key.matches(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * All statements about a subject, read in one query the first time the transaction asks about it
   * (a mapper reads most properties of a node it reads); null for a subject with more than {@link
   * #DESCRIBED} statements (an index node), which is asked pattern by pattern instead.
   */
  private List<Triple> described(Node subject) {
    if (subjects.containsKey(subject)) {
      return subjects.get(subject);
    }
    List<Triple> all = select(Triple.create(subject, Node.ANY, Node.ANY), DESCRIBED + 1);
    List<Triple> kept = all.size() > DESCRIBED ? null : all;
    subjects.put(subject, kept);
    if (kept != null) {
      frozen.keep(subject, kept);
    }
    return kept;
  }

  private static Node wild(Node n) {
    return n == null || !n.isConcrete() ? Node.ANY : n;
  }

  private List<Triple> select(Triple key, int limit) {
    Node s = key.getSubject();
    Node p = key.getPredicate();
    Node o = key.getObject();
    String query = "SELECT * WHERE { " + term(s, S) + " " + term(p, P) + " " + term(o, O) + " }";
    queries++;
    List<Triple> out = new ArrayList<>();
    for (Binding b : client.select(query)) {
      out.add(
          Triple.create(
              s.isConcrete() ? s : b.get(S),
              p.isConcrete() ? p : b.get(P),
              o.isConcrete() ? o : b.get(O)));
    }
    return out;
  }

  private static String term(Node n, Var v) {
    return n.isConcrete() ? NodeFmtLib.strNT(n) : "?" + v.getVarName();
  }

  @Override
  protected int graphBaseSize() {
    throw new UnsupportedOperationException("the size of a remote store is not read");
  }
}
