package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.Tier;

/**
 * The read shapes of a shared store: before a read walks the graph node by node, the part it will
 * walk is fetched with one query ({@link Subgraph}), and the mappers then read it as they read
 * TDB2. What is fetched is only ever more than the mappers read, never different: a statement they
 * ask for that was not fetched is asked of the store as before.
 *
 * <ul>
 *   <li>An environment's changes, or its change count, in a window: the environment's first and
 *       latest instants and total, the window's months, their days with their running counts and
 *       change sets (with the changes themselves when they are listed), and the window's first and
 *       last day by name (a day that does not exist is then known not to).
 *   <li>The environments (of a tier): the list with their records. A change count asked next of one
 *       of them fetches the window of it and of the next ones listed (up to {@link #BATCH}) at
 *       once, as a list of environments with their counts asks them one after the other.
 *   <li>A snapshot written (the ingest of W1): the current values of its keys, whole, which the
 *       index moves from the environment's previous configuration.
 * </ul>
 */
final class RemoteReadAhead implements ReadAhead {
  /** Windows whose months are more are not fetched ahead (a query names each month). */
  static final int MONTHS_AHEAD = 36;

  /** Nodes named in one query at most (a query names each). */
  static final int NODES_PER_QUERY = 1_000;

  /** Listed environments whose windows one query fetches at most. */
  static final int BATCH = 100;

  private final RemoteGraph remote;
  private final TreeSet<String> listed = new TreeSet<>();
  private final Map<Window, Boolean> fetched = new HashMap<>(); // with the changes themselves?

  RemoteReadAhead(RemoteGraph remote) {
    this.remote = remote;
  }

  private record Window(String environment, Instant since, Instant until) {}

  @Override
  public void changes(String environment, Instant since, Instant until) {
    window(List.of(environment), since, until, true);
  }

  @Override
  public void changeCount(String environment, Instant since, Instant until) {
    List<String> batch = List.of(environment);
    if (listed.contains(environment)) { // the next ones in the order the mappers list them
      batch = listed.tailSet(environment).stream().limit(BATCH).toList();
    }
    window(batch, since, until, false);
  }

  @Override
  public void putSnapshot(Snapshot snapshot) {
    List<Node> values = new ArrayList<>();
    for (String key : snapshot.config().values().keySet()) {
      values.add(currentValueNode(snapshot.environment(), key));
    }
    for (int from = 0; from < values.size(); from += NODES_PER_QUERY) {
      Subgraph g = new Subgraph();
      g.at(values.subList(from, Math.min(values.size(), from + NODES_PER_QUERY))).read(Node.ANY);
      remote.load(g);
    }
  }

  @Override
  public void environments(Tier t) {
    Subgraph g = new Subgraph();
    (t == null ? g.subjectsOf(TYPE, ENVIRONMENT_CLASS) : g.subjectsOf(tier, str(t.name())))
        .read(TYPE, environmentRecord, id);
    Graph got = remote.load(g);
    for (Triple e : got.find(Node.ANY, TYPE, ENVIRONMENT_CLASS).toList()) {
      for (Triple i : got.find(e.getSubject(), id, Node.ANY).toList()) {
        listed.add(i.getObject().getLiteralLexicalForm());
      }
    }
  }

  /**
   * Fetches what {@link ChangeSets#changes} and {@link ChangeSets#count} read for these
   * environments' window, unless fetched already. A window open at its start begins at each
   * environment's first instant, read first (one more query). A window open at its end ends at the
   * environment's latest instant, taken as now when it is not read yet: a store whose facts run
   * later than the clock has its later months asked as the mappers reach them.
   */
  private void window(List<String> environments, Instant since, Instant until, boolean changes) {
    List<String> todo = new ArrayList<>();
    for (String env : environments) {
      Boolean had = fetched.get(new Window(env, since, until));
      if (had == null || (changes && !had)) {
        todo.add(env);
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    List<Node> envs = todo.stream().map(Vocab::environmentNode).toList();
    Subgraph g = new Subgraph();
    if (since == null) {
      Subgraph first = new Subgraph();
      environmentFacts(first, envs);
      remote.load(first);
    } else {
      environmentFacts(g, envs);
    }
    Set<Node> months = new LinkedHashSet<>();
    Set<Node> days = new LinkedHashSet<>();
    for (String id : todo) {
      Node env = environmentNode(id);
      Instant from = since != null ? since : instant(env, firstObservedAt);
      Instant to = until != null ? until : since != null ? Instant.now() : latest(env);
      if (from == null || to == null) {
        continue; // nothing observed yet
      }
      YearMonth first = YearMonth.from(TimeIndex.day(from));
      YearMonth last = YearMonth.from(TimeIndex.day(to.isBefore(from) ? from : to));
      if (first.plusMonths(MONTHS_AHEAD).isBefore(last)) {
        continue; // read as the mappers walk it
      }
      for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
        months.add(monthNode(id, m));
      }
      days.add(dayNode(id, TimeIndex.day(from)));
      if (until != null) {
        days.add(dayNode(id, TimeIndex.day(until)));
      }
    }
    Subgraph.Walk inMonths = g.at(months).then(hasDay).read(TYPE, changesBefore);
    Subgraph.Walk named = g.at(days).read(TYPE, changesBefore);
    for (Subgraph.Walk w : List.of(inMonths, named)) {
      w.then(hasChangeSet).read(observedAt, changeSetSize);
      if (changes) {
        w.read(changeSet);
      }
    }
    if (!g.isEmpty()) {
      remote.load(g);
    }
    for (String env : todo) {
      fetched.merge(new Window(env, since, until), changes, (a, b) -> a || b);
    }
  }

  /** What the mappers read of the environment itself: its first and latest instants, its total. */
  private static void environmentFacts(Subgraph g, List<Node> envs) {
    g.at(envs).read(firstObservedAt, changeTotal).then(latestSnapshot).read(observedAt);
  }

  private Instant latest(Node env) {
    for (Triple t : remote.matches(Triple.create(env, latestSnapshot, Node.ANY))) {
      return instant(t.getObject(), observedAt);
    }
    return null;
  }

  private Instant instant(Node s, Node p) {
    for (Triple t : remote.matches(Triple.create(s, p, Node.ANY))) {
      return OffsetDateTime.parse(t.getObject().getLiteralLexicalForm()).toInstant();
    }
    return null;
  }
}
