package org.plumbline.ontology.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.jena.graph.Graph;
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
 *
 * <p>A read that knows what it will walk fetches it first with one query ({@link #load}), and the
 * patterns that query answered whole are then answered here without asking again.
 *
 * <p><b>One revision.</b> The transaction notes the store's revision before its first query (in the
 * same query when that is a {@link #load}) and tells at its end whether a write may have landed
 * between its queries ({@link #readAcrossWrite}): a read answered by one query, or by immutable
 * facts alone, read one revision by construction.
 */
final class RemoteGraph extends GraphBase {
  private static final Var S = Var.alloc("s");
  private static final Var P = Var.alloc("p");
  private static final Var O = Var.alloc("o");

  /** A subject with more statements than this is an index node, read pattern by pattern. */
  static final int DESCRIBED = 200;

  private static final Node REVISION = Vocab.term("revision");

  private final SparqlEndpointClient client;
  private final FrozenFacts frozen;
  private final LongSupplier revision;
  private final Map<Triple, List<Triple>> answers = new HashMap<>();
  private final Map<Node, List<Triple>> subjects = new HashMap<>();
  private int queries;
  private long firstRevision = -1;
  private long lastRevision = -1; // of the last query when it was a load, else -1

  /**
   * @param revision reads the store's revision (one query); null in a write, which its guard keeps
   *     to one revision
   */
  RemoteGraph(SparqlEndpointClient client, FrozenFacts frozen, LongSupplier revision) {
    this.client = client;
    this.frozen = frozen;
    this.revision = revision;
  }

  /** How many queries this transaction sent (for tests and measurements). */
  int queries() {
    return queries;
  }

  /**
   * Fetches a subgraph with one query (and the store's revision with it), after which the patterns
   * it answers whole are answered from it.
   *
   * @return what it fetched
   */
  Graph load(Subgraph subgraph) {
    subgraph.at(Vocab.STORE).read(REVISION);
    queries++;
    Graph fetched = client.construct(subgraph.query());
    long at = revisionIn(fetched);
    if (firstRevision < 0) {
      firstRevision = at;
    }
    lastRevision = at;
    answers.putAll(subgraph.wholeAnswers(fetched));
    return fetched;
  }

  private static long revisionIn(Graph fetched) {
    var it = fetched.find(Vocab.STORE, REVISION, Node.ANY);
    try {
      return it.hasNext() ? Long.parseLong(it.next().getObject().getLiteralLexicalForm()) : 0;
    } finally {
      it.close();
    }
  }

  /**
   * Whether a write may have landed between this transaction's queries, so that they may not agree:
   * never when it sent none (immutable facts only) or one load; otherwise it asks the revision
   * again, unless its last query was a load that brought it.
   */
  boolean readAcrossWrite() {
    if (queries == 0) {
      return false;
    }
    long now = lastRevision >= 0 ? lastRevision : revision.getAsLong();
    return now != firstRevision;
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
    List<Triple> known = answers.get(key);
    if (known != null) {
      return known;
    }
    if (key.getObject().isConcrete()) {
      List<Triple> whole =
          answers.get(Triple.create(key.getSubject(), key.getPredicate(), Node.ANY));
      if (whole != null) {
        return matching(whole, key);
      }
    }
    if (key.getSubject().isConcrete() && key.getPredicate().isConcrete()) {
      List<Triple> whole = answers.get(Triple.create(key.getSubject(), Node.ANY, Node.ANY));
      if (whole != null) {
        return matching(whole, key);
      }
    }
    if (key.getSubject().isConcrete() && key.getPredicate().isConcrete()) {
      List<Triple> kept = frozen.get(key.getSubject(), key.getPredicate());
      if (kept != null) {
        return key.getObject().isConcrete() ? matching(kept, key) : kept;
      }
    }
    if (key.getSubject().isConcrete() && !key.getPredicate().isConcrete()) {
      List<Triple> kept = frozen.whole(key.getSubject());
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
    known = select(key, 0);
    answers.put(key, known);
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
    String query =
        "SELECT * WHERE { "
            + term(s, S)
            + " "
            + term(p, P)
            + " "
            + term(o, O)
            + " }"
            + (limit > 0 ? " LIMIT " + limit : "");
    if (firstRevision < 0 && revision != null) {
      firstRevision = revision.getAsLong();
    }
    queries++;
    lastRevision = -1;
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
