package org.plumbline.ontology.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.out.NodeFmtLib;

/**
 * The part of a shared store that one read will walk, fetched with one standard SPARQL 1.1 {@code
 * CONSTRUCT} instead of one query per node. It is described as walks: from some nodes (or from the
 * subjects of one statement pattern), the statements of some predicates are read, and some of them
 * are followed to the next nodes, where others are read, and so on.
 *
 * <p>Every statement a walk reads is fetched <em>whole</em>: for each node it reaches, all the
 * statements of each predicate read there, so that the mappers, reading the fetched graph, see
 * exactly what they would see in the store ({@link #wholeAnswers}). A walk follows only predicates
 * it reads, so the nodes it reaches can be found again in the fetched graph.
 */
final class Subgraph {
  private final List<Walk> walks = new ArrayList<>();

  /** A walk from these nodes. */
  Walk at(Collection<Node> nodes) {
    Walk w = new Walk(List.copyOf(new LinkedHashSet<>(nodes)), null, null);
    walks.add(w);
    return w;
  }

  Walk at(Node node) {
    return at(List.of(node));
  }

  /** A walk from the subjects of {@code (?, p, o)}: all of them, and that pattern's statements. */
  Walk subjectsOf(Node p, Node o) {
    Walk w = new Walk(null, p, o);
    walks.add(w);
    return w.read(p);
  }

  boolean isEmpty() {
    return walks.stream().allMatch(w -> w.starts != null && w.starts.isEmpty());
  }

  /** One step of a walk: predicates read at the nodes reached, then the one followed. */
  private record Step(Set<Node> reads, Node follow) {}

  /** A walk, built step by step. */
  static final class Walk {
    private final List<Node> starts;
    private final Node startP;
    private final Node startO;
    private final List<Step> steps = new ArrayList<>();

    private Walk(List<Node> starts, Node startP, Node startO) {
      this.starts = starts;
      this.startP = startP;
      this.startO = startO;
      steps.add(new Step(new LinkedHashSet<>(), null));
    }

    /** Reads these predicates' statements at the nodes reached ({@code Node.ANY}: all of them). */
    Walk read(Node... predicates) {
      steps.get(steps.size() - 1).reads().addAll(List.of(predicates));
      return this;
    }

    /** Reads {@code p} at the nodes reached and goes on to its objects. */
    Walk then(Node p) {
      Step last = steps.remove(steps.size() - 1);
      last.reads().add(p);
      steps.add(new Step(last.reads(), p));
      steps.add(new Step(new LinkedHashSet<>(), null));
      return this;
    }
  }

  /** The one query: {@code CONSTRUCT { ?s ?p ?o }} over a union of one branch per step. */
  String query() {
    List<String> branches = new ArrayList<>();
    for (Walk w : walks) {
      if (w.starts != null && w.starts.isEmpty()) {
        continue;
      }
      for (int i = 0; i < w.steps.size(); i++) {
        Set<Node> reads = w.steps.get(i).reads();
        if (!reads.isEmpty()) {
          branches.add(branch(w, i, reads));
        }
      }
    }
    return "CONSTRUCT { ?s ?p ?o }\nWHERE {\n  " + String.join("\n  UNION\n  ", branches) + "\n}";
  }

  /** The statements of {@code reads} at the nodes a walk reaches in {@code depth} steps. */
  private static String branch(Walk w, int depth, Set<Node> reads) {
    StringBuilder b = new StringBuilder("{ ");
    String first = var(0, depth);
    if (w.starts != null) {
      b.append("VALUES ").append(first).append(" { ");
      w.starts.forEach(n -> b.append(nt(n)).append(' '));
      b.append("} ");
    } else {
      b.append(first).append(' ').append(nt(w.startP)).append(' ').append(nt(w.startO));
      b.append(" . ");
    }
    for (int i = 0; i < depth; i++) {
      b.append(var(i, depth)).append(' ').append(nt(w.steps.get(i).follow())).append(' ');
      b.append(var(i + 1, depth)).append(" . ");
    }
    if (!reads.contains(Node.ANY)) {
      b.append("VALUES ?p { ");
      reads.forEach(p -> b.append(nt(p)).append(' '));
      b.append("} ");
    }
    return b.append("?s ?p ?o }").toString();
  }

  /** The node reached in {@code i} steps, named {@code ?s} at the step read. */
  private static String var(int i, int depth) {
    return i == depth ? "?s" : "?n" + i;
  }

  private static String nt(Node n) {
    return NodeFmtLib.strNT(n);
  }

  /**
   * The patterns the fetched graph answers as the store would, each with its statements: {@code (n,
   * p, ANY)} for each node {@code n} a walk reaches and predicate {@code p} it reads there (empty
   * when the store has none), and the pattern a walk starts from.
   */
  Map<Triple, List<Triple>> wholeAnswers(Graph fetched) {
    Map<Triple, List<Triple>> out = new HashMap<>();
    for (Walk w : walks) {
      Set<Node> reached = new LinkedHashSet<>();
      if (w.starts != null) {
        reached.addAll(w.starts);
      } else {
        List<Triple> matching = fetched.find(Node.ANY, w.startP, w.startO).toList();
        out.put(Triple.create(Node.ANY, w.startP, w.startO), matching);
        matching.forEach(t -> reached.add(t.getSubject()));
      }
      for (Step step : w.steps) {
        Set<Node> next = new LinkedHashSet<>();
        Set<Node> at = Set.copyOf(reached);
        reached.clear();
        for (Node n : at) {
          for (Node p : step.reads()) {
            List<Triple> found = fetched.find(n, p, Node.ANY).toList();
            out.put(Triple.create(n, p, Node.ANY), found);
            if (p.equals(step.follow())) {
              found.stream().map(Triple::getObject).filter(Node::isURI).forEach(next::add);
            }
          }
        }
        reached.addAll(next);
      }
    }
    return out;
  }
}
