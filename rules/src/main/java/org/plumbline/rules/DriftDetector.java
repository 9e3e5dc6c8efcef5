package org.plumbline.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Change;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.KeyPatternSet;
import org.plumbline.ontology.Snapshot;

/** Pure comparisons: snapshot against snapshot (changes) and against the blueprint (drifts). */
public final class DriftDetector {
  private DriftDetector() {}

  /** The keys whose value differs between two consecutive snapshots, ignored keys left out. */
  public static List<Change> changes(Snapshot before, Snapshot after, Blueprint blueprint) {
    List<Change> out = new ArrayList<>();
    KeyPatternSet ignored = blueprint.ignoreSet();
    for (String key : union(before.config(), after.config())) {
      if (ignored.matches(key)) {
        continue;
      }
      String from = before.config().get(key);
      String to = after.config().get(key);
      if (!java.util.Objects.equals(from, to)) {
        out.add(new Change(after.environment(), key, from, to, after.observedAt(), after.source()));
      }
    }
    return out;
  }

  /** Key to (expected, actual) for every key where the observation departs from the blueprint. */
  public static Map<String, String[]> departures(Blueprint blueprint, Snapshot observed) {
    FlatConfig expected = blueprint.expectedFor(observed.environment());
    FlatConfig actual = observed.config().without(blueprint.ignoreSet()::matches);
    Map<String, String[]> out = new TreeMap<>();
    for (String key : union(expected, actual)) {
      String e = expected.get(key);
      String a = actual.get(key);
      if (!java.util.Objects.equals(e, a)) {
        out.put(key, new String[] {e, a});
      }
    }
    return out;
  }

  private static Set<String> union(FlatConfig a, FlatConfig b) {
    Set<String> keys = new TreeSet<>(a.values().keySet());
    keys.addAll(b.values().keySet());
    return keys;
  }
}
