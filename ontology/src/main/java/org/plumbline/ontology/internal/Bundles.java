package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.dateTime;
import static org.plumbline.ontology.internal.Literals.str;
import static org.plumbline.ontology.internal.Vocab.*;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.BlueprintProposal;
import org.plumbline.ontology.BundleVersion;
import org.plumbline.ontology.SemVer;
import org.plumbline.ontology.Validation;

/**
 * Bundles, their immutable versions (blueprints, with their dependency edges), the validation
 * recorded against a version, and the proposals awaiting approval. A bundle links its highest
 * version as current.
 */
final class Bundles {
  private final Triples g;
  private final Facts facts;
  private final DecodedValues decoded;

  Bundles(Triples g, DecodedValues decoded) {
    this.g = g;
    this.facts = g.facts;
    this.decoded = decoded;
  }

  void put(Blueprint bp, Instant createdAtInstant, String actor) {
    Node bundle = bundleNode(bp.bundle());
    Node v = bundleVersionNode(bp.bundle(), bp.version());
    if (!g.contains(bundle, TYPE, BUNDLE_CLASS)) {
      facts.add(bundle, TYPE, BUNDLE_CLASS);
      facts.add(bundle, id, str(bp.bundle()));
    }
    facts.remove(v, Triples.ANY, Triples.ANY);
    facts.add(v, TYPE, BUNDLE_VERSION_CLASS);
    facts.add(v, versionOf, bundle);
    facts.add(v, version, str(bp.version()));
    facts.add(v, createdAt, dateTime(createdAtInstant));
    facts.add(v, createdBy, str(actor));
    facts.add(v, content, str(JsonCodec.write(bp)));
    facts.add(v, contentHash, str(bp.contentHash()));
    if (bp.validated() != null) {
      facts.addOptional(v, validatedAt, bp.validated().at() == null ? null : bp.validated().at());
      facts.addOptional(v, validatedBy, bp.validated().by());
      facts.addOptional(v, evidence, bp.validated().evidence());
    }
    putDependencyEdges(bp);
    Optional<Blueprint> current = current(bp.bundle());
    if (current.isEmpty()
        || SemVer.parse(bp.version()).compareTo(SemVer.parse(current.get().version())) >= 0) {
      facts.remove(bundle, currentVersion, Triples.ANY);
      facts.add(bundle, currentVersion, v);
    }
  }

  /**
   * The dependency graph of one bundle version as triples: a node per key that takes part in an
   * edge, {@code dependent pl:dependsOn source}. Only keys on an edge get a node, so a blueprint
   * without dependencies adds nothing.
   */
  private void putDependencyEdges(Blueprint bp) {
    Node v = bundleVersionNode(bp.bundle(), bp.version());
    for (Triple t : g.find(Triples.ANY, declaredIn, v)) {
      facts.remove(t.getSubject(), Triples.ANY, Triples.ANY);
    }
    Set<String> keyed = new HashSet<>();
    bp.dependencyEdges()
        .forEach(
            (dependent, sources) -> {
              Node d = declaredKey(bp, dependent, keyed);
              for (String source : sources) {
                facts.add(d, dependsOn, declaredKey(bp, source, keyed));
              }
            });
  }

  private Node declaredKey(Blueprint bp, String configKey, Set<String> keyed) {
    Node n = declaredKeyNode(bp.bundle(), bp.version(), configKey);
    if (keyed.add(configKey)) {
      facts.add(n, TYPE, DECLARED_KEY_CLASS);
      facts.add(n, key, str(configKey));
      facts.add(n, declaredIn, bundleVersionNode(bp.bundle(), bp.version()));
    }
    return n;
  }

  /**
   * A breadth-first walk over the version's dependency edges; the visited set is what makes cycles
   * harmless. The edges of a bundle version never change (a conflicting republication is refused),
   * so they are read from the graph once into an adjacency map, kept by version and content hash.
   */
  List<String> dependents(String configKey, String envId) {
    Node env = environmentNode(envId);
    Node bundle = g.object(env, governedBy);
    String ver = g.string(env, bundleVersion);
    if (bundle == null || ver == null) {
      return List.of();
    }
    Node v = bundleVersionNode(g.string(bundle, id), ver);
    Map<String, List<String>> edges =
        decoded.get(
            v.getURI() + "#dependents#" + g.string(v, contentHash),
            () -> dependentsOf(v),
            m -> m.values().stream().mapToLong(List::size).sum() + m.size());
    Set<String> visited = new HashSet<>(List.of(configKey));
    ArrayDeque<String> frontier = new ArrayDeque<>(List.of(configKey));
    List<String> out = new ArrayList<>();
    while (!frontier.isEmpty()) {
      for (String dependent : edges.getOrDefault(frontier.poll(), List.of())) {
        if (visited.add(dependent)) {
          out.add(dependent);
          frontier.add(dependent);
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  /** Key to the keys that depend on it directly, from the version's stored edges. */
  private Map<String, List<String>> dependentsOf(Node ver) {
    Map<String, List<String>> out = new HashMap<>();
    for (Triple t : g.find(Triples.ANY, declaredIn, ver)) {
      Node dependent = t.getSubject();
      String dependentKey = g.string(dependent, key);
      for (Triple e : g.find(dependent, dependsOn, Triples.ANY)) {
        out.computeIfAbsent(g.string(e.getObject(), key), k -> new ArrayList<>(2))
            .add(dependentKey);
      }
    }
    return out;
  }

  Optional<Blueprint> current(String bundle) {
    Node current = g.object(bundleNode(bundle), currentVersion);
    return current == null ? Optional.empty() : Optional.of(read(current));
  }

  Optional<Blueprint> get(String bundle, String ver) {
    Node v = bundleVersionNode(bundle, ver);
    return g.contains(v, TYPE, BUNDLE_VERSION_CLASS) ? Optional.of(read(v)) : Optional.empty();
  }

  /** Versions are immutable (a conflicting republication is refused): decoded once, by hash. */
  private Blueprint read(Node v) {
    return decoded.get(
        v.getURI() + "#" + g.string(v, contentHash),
        () -> JsonCodec.read(g.string(v, content), Blueprint.class),
        bp -> bp.config().size() + bp.dependencies().size());
  }

  List<BundleVersion> versions(String bundle) {
    List<BundleVersion> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, versionOf, bundleNode(bundle))) {
      Node v = t.getSubject();
      Instant vAt = g.instant(v, validatedAt);
      Validation validation =
          vAt == null ? null : new Validation(vAt, g.string(v, validatedBy), g.string(v, evidence));
      out.add(
          new BundleVersion(
              bundle,
              g.string(v, version),
              g.instant(v, createdAt),
              g.string(v, createdBy),
              validation));
    }
    out.sort(Comparator.comparing(b -> SemVer.parse(b.version())));
    return out;
  }

  /** Records (or replaces) the validation of a stored version. */
  void recordValidation(String bundle, String ver, Validation validation) {
    Node v = bundleVersionNode(bundle, ver);
    for (Node p : List.of(validatedAt, validatedBy, evidence)) {
      facts.remove(v, p, Triples.ANY);
    }
    facts.add(v, validatedAt, dateTime(validation.at()));
    facts.add(v, validatedBy, str(validation.by()));
    facts.add(v, evidence, str(validation.evidence()));
  }

  // ---- proposals: versions awaiting approval, kept apart from the published ones ----

  void putProposal(BlueprintProposal p) {
    Node n = proposalNode(p.bundle(), p.version());
    facts.remove(n, Triples.ANY, Triples.ANY);
    facts.add(n, TYPE, PROPOSAL_CLASS);
    facts.add(n, proposes, bundleNode(p.bundle()));
    facts.add(n, version, str(p.version()));
    facts.add(n, status, str(p.status().name()));
    facts.add(n, content, str(JsonCodec.write(p)));
  }

  Optional<BlueprintProposal> proposal(String bundle, String ver) {
    String text = g.string(proposalNode(bundle, ver), content);
    return text == null
        ? Optional.empty()
        : Optional.of(JsonCodec.read(text, BlueprintProposal.class));
  }

  List<BlueprintProposal> proposals(String bundle) {
    List<BlueprintProposal> out = new ArrayList<>();
    for (Triple t : g.find(Triples.ANY, proposes, bundleNode(bundle))) {
      out.add(JsonCodec.read(g.string(t.getSubject(), content), BlueprintProposal.class));
    }
    out.sort(Comparator.comparing(p -> SemVer.parse(p.version())));
    return out;
  }
}
