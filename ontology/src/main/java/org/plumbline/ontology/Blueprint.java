package org.plumbline.ontology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One version of a bundle: the declared configuration of the environments it governs.
 *
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
    String contentHash) {

  public Blueprint {
    environments = List.copyOf(environments);
    overrides = Map.copyOf(overrides);
    dependencies = List.copyOf(dependencies);
    ignore = List.copyOf(ignore);
  }

  /** Whether a key is never compared. */
  public boolean ignores(String key) {
    for (String glob : ignore) {
      if (KeyPattern.of(glob).matches(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The declared configuration of one environment: base config, its overrides, minus ignored keys.
   */
  public FlatConfig expectedFor(String environment) {
    return config
        .overlay(overrides.getOrDefault(environment, FlatConfig.EMPTY))
        .without(this::ignores);
  }

  public Optional<EnvironmentSpec> environment(String id) {
    return environments.stream().filter(e -> e.id().equals(id)).findFirst();
  }
}
