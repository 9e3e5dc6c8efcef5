package org.plumbline.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Dependency;
import org.plumbline.ontology.KeyPattern;

/**
 * A blueprint's dependencies as an adjacency map, so that the transitive dependents of a key are a
 * breadth-first search rather than a scan of every dependency per visited key.
 *
 * <p>Built once per blueprint version and kept by content hash: a stored bundle version never
 * changes content (a conflicting republication is refused), so an index stays consistent with the
 * graph for as long as that version exists. Thread-safe.
 */
public final class DependencyIndex {
  /** Indexes kept, by blueprint content hash; enough for every bundle a server governs at once. */
  private static final int KEPT = 256;

  private static final Map<String, DependencyIndex> BY_CONTENT =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DependencyIndex> eldest) {
          return size() > KEPT;
        }
      };

  /** Literal key depended on -> keys that depend on it (dependent globs already expanded). */
  private final Map<String, List<String>> dependents = new HashMap<>();

  /** Dependencies on a glob: checked against every key the search visits. */
  private final List<Map.Entry<KeyPattern, List<String>>> globDependents = new ArrayList<>();

  private DependencyIndex(Blueprint blueprint) {
    Set<String> keys = new TreeSet<>(blueprint.config().values().keySet());
    blueprint.overrides().values().forEach(o -> keys.addAll(o.values().keySet()));
    for (Dependency d : blueprint.dependencies()) {
      KeyPattern dependent = KeyPattern.of(d.key());
      List<String> matches =
          dependent.isLiteral()
              ? List.of(d.key())
              : keys.stream().filter(dependent::matches).toList();
      for (String on : d.dependsOn()) {
        KeyPattern p = KeyPattern.of(on);
        if (p.isLiteral()) {
          dependents.computeIfAbsent(on, k -> new ArrayList<>(2)).addAll(matches);
        } else {
          globDependents.add(Map.entry(p, matches));
        }
      }
    }
  }

  /** The index of a blueprint, built on first use. */
  public static DependencyIndex of(Blueprint blueprint) {
    String id = blueprint.bundle() + "@" + blueprint.version() + "#" + blueprint.contentHash();
    synchronized (BY_CONTENT) {
      DependencyIndex kept = BY_CONTENT.get(id);
      if (kept != null) {
        return kept;
      }
    }
    DependencyIndex built = new DependencyIndex(blueprint);
    synchronized (BY_CONTENT) {
      BY_CONTENT.put(id, built);
    }
    return built;
  }

  /**
   * Every key that depends on {@code key}, transitively, sorted; {@code key} itself never. Cycles
   * are harmless.
   */
  public List<String> dependents(String key) {
    Set<String> found = new HashSet<>();
    ArrayDeque<String> frontier = new ArrayDeque<>();
    frontier.add(key);
    while (!frontier.isEmpty()) {
      String changed = frontier.poll();
      visit(key, dependents.getOrDefault(changed, List.of()), found, frontier);
      for (Map.Entry<KeyPattern, List<String>> g : globDependents) {
        if (g.getKey().matches(changed)) {
          visit(key, g.getValue(), found, frontier);
        }
      }
    }
    return new ArrayList<>(new TreeSet<>(found));
  }

  private static void visit(
      String key, List<String> next, Set<String> found, ArrayDeque<String> frontier) {
    for (String m : next) {
      if (!m.equals(key) && found.add(m)) {
        frontier.add(m);
      }
    }
  }
}
