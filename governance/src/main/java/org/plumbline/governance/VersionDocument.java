package org.plumbline.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.plumbline.loaders.BlueprintDocument;
import org.plumbline.ontology.Blueprint;

/**
 * A stored bundle version as the blueprint document a team keeps in git, for readers above the
 * loaders (GraphQL's {@code BundleVersion.config}, {@code overrides} and {@code blueprint}).
 */
public final class VersionDocument {
  private VersionDocument() {}

  /**
   * One section of the version's document as JSON text ({@code config} and {@code overrides}
   * nested; an empty object for a section it lacks), or the whole document for {@code null}.
   */
  public static String json(Blueprint bp, String section) {
    ObjectNode tree = BlueprintDocument.tree(bp);
    JsonNode node =
        section == null ? tree : tree.has(section) ? tree.get(section) : tree.objectNode();
    return node.toString();
  }
}
