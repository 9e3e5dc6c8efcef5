package org.plumbline.loaders;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.Snapshot;

/**
 * A blueprint written from what runs ({@code plumbline blueprint init}): the observed configuration
 * of one or more environments, with a key mapping applied, becomes the declared one. Values every
 * environment shares are the base {@code config}; the others are each environment's {@code
 * overrides}. Keys that change on their own (object ids, resource versions, restart counts,
 * timestamps, generated pod and replica set names) are left out and suggested as {@code ignore}
 * globs, so the blueprint does not drift the next time a pod restarts. A person reviews it (tier,
 * owner, values) and posts it.
 */
public final class BlueprintInit {
  /** Path segments whose values change without anyone changing the configuration. */
  private static final List<String> VOLATILE_NAMES =
      List.of(
          "resourceVersion",
          "uid",
          "creationTimestamp",
          "generation",
          "observedGeneration",
          "restartCount",
          "lastTransitionTime",
          "lastUpdateTime",
          "lastProbeTime",
          "startTime",
          "startedAt",
          "finishedAt",
          "timestamp",
          "lastModified",
          "nodeName",
          "podIP",
          "hostIP",
          "containerID",
          "imageID");

  /** Annotation and label names (they hold dots and slashes) with volatile values. */
  private static final List<String> VOLATILE_SUFFIXES =
      List.of(
          "/restartedAt",
          "pod-template-hash",
          "controller-revision-hash",
          "deployment.kubernetes.io/revision");

  /** Objects whose names are generated: a new name on every rollout. */
  private static final List<String> GENERATED_OBJECTS =
      List.of("k8s.Pod.", "k8s.ReplicaSet.", "k8s.Job.", "k8s.Event.", "k8s.EndpointSlice.");

  private BlueprintInit() {}

  /**
   * The blueprint document for {@code snapshots} (one per environment).
   *
   * @param bundle the bundle's name
   * @param version its first version
   * @param tier the tier every environment gets (a person reviews it)
   * @param owner the owner, or null
   * @param mapping applied to each snapshot first; its rules go into the blueprint's {@code map}
   */
  public static ObjectNode blueprint(
      List<Snapshot> snapshots,
      String bundle,
      String version,
      String tier,
      String owner,
      KeyMapping mapping) {
    Objects.requireNonNull(mapping, "mapping");
    if (snapshots.isEmpty()) {
      throw new IllegalArgumentException("no snapshot to write a blueprint from");
    }
    SortedSet<String> ignore = new TreeSet<>();
    Map<String, SortedMap<String, String>> byEnvironment = new LinkedHashMap<>();
    for (Snapshot s : snapshots) {
      SortedMap<String, String> kept = new TreeMap<>();
      mapping
          .apply(s.config())
          .config()
          .values()
          .forEach(
              (key, value) -> {
                String glob = volatileGlob(key);
                if (glob == null) {
                  kept.put(key, value);
                } else {
                  ignore.add(glob);
                }
              });
      byEnvironment.merge(
          s.environment(),
          kept,
          (a, b) -> {
            a.putAll(b);
            return a;
          });
    }
    // the base: what every environment observes alike
    SortedMap<String, String> base = new TreeMap<>(byEnvironment.values().iterator().next());
    for (SortedMap<String, String> config : byEnvironment.values()) {
      base.entrySet().removeIf(e -> !e.getValue().equals(config.get(e.getKey())));
    }
    Map<String, FlatConfig> overrides = new TreeMap<>();
    byEnvironment.forEach(
        (env, config) -> {
          SortedMap<String, String> own = new TreeMap<>(config);
          own.keySet().removeAll(base.keySet());
          if (!own.isEmpty()) {
            overrides.put(env, new FlatConfig(own));
          }
        });
    List<Blueprint.MapRule> map = new ArrayList<>();
    mapping.rules().forEach((p, t) -> map.add(new Blueprint.MapRule(p, t)));
    Blueprint bp =
        new Blueprint(
            bundle,
            version,
            List.of(),
            null,
            new FlatConfig(base),
            overrides,
            List.of(),
            List.copyOf(ignore),
            map,
            "");
    ObjectNode tree = BlueprintDocument.tree(bp);
    ArrayNode environments = tree.putArray("environments");
    byEnvironment
        .keySet()
        .forEach(
            env -> {
              ObjectNode e = environments.addObject().put("id", env).put("tier", tier);
              if (owner != null) {
                e.put("owner", owner);
              }
            });
    return tree;
  }

  /** The ignore glob that covers a volatile key, or null when the key is configuration. */
  static String volatileGlob(String key) {
    for (String prefix : GENERATED_OBJECTS) {
      if (key.startsWith(prefix)) {
        return prefix + "*";
      }
    }
    for (String suffix : VOLATILE_SUFFIXES) {
      if (key.endsWith(suffix)) {
        return "*" + suffix;
      }
    }
    int dot = Math.max(key.lastIndexOf('.'), key.lastIndexOf(']'));
    String last = key.substring(dot + 1);
    for (String name : VOLATILE_NAMES) {
      if (last.equals(name)
          || last.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return "*." + name;
      }
    }
    return null;
  }
}
