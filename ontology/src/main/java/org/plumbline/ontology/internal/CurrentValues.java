package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.FlatConfig;

/**
 * The current-value index: one node per observed key of each environment's latest snapshot, linked
 * to a node per (key, value), so blast radius ("which environments hold this value") is one
 * look-up. Index writes only, kept in step with the latest snapshot.
 */
final class CurrentValues {
  private final Triples g;
  private final Index index;

  CurrentValues(Triples g) {
    this.g = g;
    this.index = g.index;
  }

  /** Moves the index from the environment's previous latest configuration to its new one. */
  void update(String envId, FlatConfig before, FlatConfig after) {
    Node env = environmentNode(envId);
    before
        .values()
        .forEach(
            (k, v) -> {
              if (after.get(k) == null) {
                index.remove(currentValueNode(envId, k), Triples.ANY, Triples.ANY);
              }
            });
    after
        .values()
        .forEach(
            (k, v) -> {
              String was = before.get(k);
              if (v.equals(was)) {
                return;
              }
              Node cv = currentValueNode(envId, k);
              if (was != null && g.contains(cv, value, str(was))) {
                // only the value moved: its node keeps its type, environment and key
                index.remove(cv, value, Triples.ANY);
                index.remove(cv, sharedValue, Triples.ANY);
              } else {
                index.remove(cv, Triples.ANY, Triples.ANY);
                index.add(cv, TYPE, CURRENT_VALUE_CLASS);
                index.add(cv, environment, env);
                index.add(cv, currentKey, str(k));
              }
              index.add(cv, value, str(v));
              index.add(cv, sharedValue, sharedValueNode(k, v));
            });
  }

  Optional<String> of(String envId, String configKey) {
    return Optional.ofNullable(g.string(currentValueNode(envId, configKey), value));
  }

  List<String> environmentsWithValue(String configKey, String canonicalValue) {
    List<String> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, sharedValue, sharedValueNode(configKey, canonicalValue))) {
      // the node's name says whose it is: no look-up per environment
      String envId = environmentOfCurrentValue(t.getSubject());
      out.add(envId != null ? envId : g.string(g.object(t.getSubject(), environment), id));
    }
    Collections.sort(out);
    return out;
  }

  Map<String, String> byEnvironment(String configKey) {
    Map<String, String> out = new TreeMap<>();
    for (Triple t : g.find(Triples.ANY, currentKey, str(configKey))) {
      Node cv = t.getSubject();
      out.put(g.string(g.object(cv, environment), id), g.string(cv, value));
    }
    return out;
  }
}
