package org.plumbline.ontology;

import java.util.List;

/** A blueprint dependency: keys matching {@code key} (a glob) depend on {@code dependsOn}. */
public record Dependency(String key, List<String> dependsOn) {
  public Dependency {
    dependsOn = List.copyOf(dependsOn);
  }
}
