package org.plumbline.ontology;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One version of a bundle: the declared configuration of the environments it governs.
 *
 * @param map the key mapping (a blueprint's {@code map} section): rules tried in order, each
 *     renaming the source keys its pattern matches to a governed key, applied to every snapshot of
 *     the bundle's environments before detection; empty for none
 * @param contentHash SHA-256 of the canonical content, so an identical replay is recognised
 */
public record Blueprint(
    String bundle,
    String version,
    List<EnvironmentSpec> environments,
    Validation validated,
    FlatConfig config,
    Map<String, FlatConfig> overrides,
    List<Dependency> dependencies,
    List<String> ignore,
    List<MapRule> map,
    String contentHash) {

  /** One rule of the {@code map} section: a source key pattern and the governed key it names. */
  public record MapRule(String pattern, String target) {}

  public Blueprint {
    environments = List.copyOf(environments);
    overrides = Map.copyOf(overrides);
    dependencies = List.copyOf(dependencies);
    ignore = List.copyOf(ignore);
    map = map == null ? List.of() : List.copyOf(map);
  }

  /** A version without a key mapping. */
  public Blueprint(
      String bundle,
      String version,
      List<EnvironmentSpec> environments,
      Validation validated,
      FlatConfig config,
      Map<String, FlatConfig> overrides,
      List<Dependency> dependencies,
      List<String> ignore,
      String contentHash) {
    this(
        bundle,
        version,
        environments,
        validated,
        config,
        overrides,
        dependencies,
        ignore,
        List.of(),
        contentHash);
  }

  /** The same version without its {@code validated} block (not honoured from this poster). */
  public Blueprint withoutValidation() {
    return new Blueprint(
        bundle,
        version,
        environments,
        null,
        config,
        overrides,
        dependencies,
        ignore,
        map,
        contentHash);
  }

  /** The same content under another content hash (the canonical one, computed by the parser). */
  public Blueprint withContentHash(String hash) {
    return new Blueprint(
        bundle,
        version,
        environments,
        validated,
        config,
        overrides,
        dependencies,
        ignore,
        map,
        hash);
  }

  /** Whether a key is never compared. Hoist {@link #ignoreSet()} when asking about many keys. */
  public boolean ignores(String key) {
    return ignoreSet().matches(key);
  }

  /** The ignore globs compiled once: matching a key costs its length, not the number of globs. */
  public KeyPatternSet ignoreSet() {
    return KeyPatternSet.of(ignore);
  }

  /**
   * The declared configuration of one environment: base config, its overrides, minus ignored keys.
   */
  public FlatConfig expectedFor(String environment) {
    return config
        .overlay(overrides.getOrDefault(environment, FlatConfig.EMPTY))
        .without(ignoreSet()::matches);
  }

  /** Every key the blueprint declares: the base config's and every override's, sorted. */
  public SortedSet<String> declaredKeys() {
    SortedSet<String> keys = new TreeSet<>(config.values().keySet());
    overrides.values().forEach(o -> keys.addAll(o.values().keySet()));
    return keys;
  }

  /**
   * The dependency edges: each key to the keys it depends on directly. A glob on either side of a
   * {@link Dependency} is expanded over {@link #declaredKeys()}; a literal key stands for itself
   * even when undeclared (so a drift of an unexpected {@code prompt.system} still has dependents).
   * A key never depends on itself.
   */
  public SortedMap<String, SortedSet<String>> dependencyEdges() {
    SortedSet<String> keys = declaredKeys();
    SortedMap<String, SortedSet<String>> edges = new TreeMap<>();
    for (Dependency d : dependencies) {
      List<String> sources = d.dependsOn().stream().flatMap(g -> expand(g, keys).stream()).toList();
      for (String dependent : expand(d.key(), keys)) {
        for (String source : sources) {
          if (!source.equals(dependent)) {
            edges.computeIfAbsent(dependent, k -> new TreeSet<>()).add(source);
          }
        }
      }
    }
    return edges;
  }

  private static List<String> expand(String glob, SortedSet<String> keys) {
    KeyPattern pattern = KeyPattern.of(glob);
    return pattern.isLiteral() ? List.of(glob) : keys.stream().filter(pattern::matches).toList();
  }

  public Optional<EnvironmentSpec> environment(String id) {
    return environments.stream().filter(e -> e.id().equals(id)).findFirst();
  }
}
