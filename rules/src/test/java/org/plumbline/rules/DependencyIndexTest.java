package org.plumbline.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.Dependency;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.KeyPattern;

/** The adjacency index answers exactly what a scan of every dependency per visited key did. */
class DependencyIndexTest {

  @Test
  void answersLikeTheScanOnRandomGraphsWithGlobsAndCycles() {
    SplittableRandom r = new SplittableRandom(11);
    for (int round = 0; round < 40; round++) {
      Blueprint bp = randomBlueprint(r, 20 + r.nextInt(60));
      for (String key : bp.config().values().keySet()) {
        assertEquals(scan(bp, key), DependencyIndex.of(bp).dependents(key), key);
        assertEquals(scan(bp, key), DriftDetector.dependents(bp, key), key);
      }
      assertEquals(scan(bp, "not.declared"), DependencyIndex.of(bp).dependents("not.declared"));
    }
  }

  @Test
  void theContractExampleExpandsGlobsTransitively() {
    Blueprint bp =
        blueprint(
            List.of("model.version", "guardrails.enabled", "guardrails.toxicity.threshold"),
            List.of(new Dependency("guardrails.*", List.of("model.version"))));
    assertEquals(
        List.of("guardrails.enabled", "guardrails.toxicity.threshold"),
        DependencyIndex.of(bp).dependents("model.version"));
    assertEquals(List.of(), DependencyIndex.of(bp).dependents("guardrails.enabled"));
  }

  private static Blueprint randomBlueprint(SplittableRandom r, int keys) {
    String[] groups = {"a", "b", "c", "d"};
    List<String> names = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      names.add(groups[r.nextInt(groups.length)] + ".k" + i);
    }
    List<Dependency> deps = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      String key = r.nextInt(10) == 0 ? groups[r.nextInt(groups.length)] + ".*" : names.get(i);
      List<String> on = new ArrayList<>();
      for (int j = 0; j < 1 + r.nextInt(2); j++) {
        on.add(
            r.nextInt(8) == 0
                ? groups[r.nextInt(groups.length)] + ".*"
                : names.get(r.nextInt(keys)));
      }
      deps.add(new Dependency(key, on));
    }
    return blueprint(names, deps);
  }

  private static Blueprint blueprint(List<String> keys, List<Dependency> deps) {
    TreeMap<String, String> values = new TreeMap<>();
    keys.forEach(k -> values.put(k, "1"));
    return new Blueprint(
        "b",
        "1.0.0",
        List.of(),
        null,
        new FlatConfig(values),
        Map.of(),
        deps,
        List.of(),
        "sha256:" + Integer.toHexString(System.identityHashCode(deps)) + deps.hashCode());
  }

  /** The former algorithm: for each key reached, scan every dependency. The reference. */
  private static List<String> scan(Blueprint blueprint, String key) {
    Set<String> keys = new TreeSet<>(blueprint.config().values().keySet());
    Set<String> found = new LinkedHashSet<>();
    List<String> frontier = new ArrayList<>(List.of(key));
    while (!frontier.isEmpty()) {
      String changed = frontier.remove(frontier.size() - 1);
      for (Dependency d : blueprint.dependencies()) {
        if (d.dependsOn().stream().noneMatch(g -> KeyPattern.of(g).matches(changed))) {
          continue;
        }
        KeyPattern dependent = KeyPattern.of(d.key());
        List<String> matches =
            dependent.isLiteral()
                ? List.of(d.key())
                : keys.stream().filter(dependent::matches).toList();
        for (String m : matches) {
          if (!m.equals(key) && found.add(m)) {
            frontier.add(m);
          }
        }
      }
    }
    return new ArrayList<>(new TreeSet<>(found));
  }
}
