package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Vocab.*;

import java.util.List;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;

/**
 * The store format: which shape the facts and derived indexes are written in. An empty store is
 * marked with the current format; a store written in an older one is refused, as its derived
 * indexes (governed drifts, shared values, change sets) would be missing. Such a store is rebuilt
 * from its input journal ({@code plumbline rebuild}).
 */
final class StoreFormat {
  /**
   * Bumped whenever a derived index or a fact's stored form changes. 3: each audit record also
   * chains to its environment's previous record (envSeq, envPrevHash; audit hash domain v2). 4:
   * each drift carries its summary, and the governed drifts' summaries are listed in one place (the
   * console's inbox).
   */
  static final Node CURRENT = NodeFactory.createLiteralDT("4", XSDDatatype.XSDinteger);

  private StoreFormat() {}

  /**
   * Marks an empty store, passes a current one, and refuses an older one with {@code
   * STORE_FORMAT_OUTDATED}.
   *
   * @param location the data folder, for the message
   */
  static void check(Triples g, String location) {
    if (g.contains(STORE, storeFormat, CURRENT)) {
      return;
    }
    if (g.any(Triples.ANY, TYPE, ENVIRONMENT_CLASS) || g.any(LEDGER, Triples.ANY, Triples.ANY)) {
      Node found = g.object(STORE, storeFormat);
      throw new PlumblineException(
          StoreError.STORE_FORMAT_OUTDATED,
          "data folder "
              + location
              + " holds store format "
              + (found == null ? "1" : found.getLiteralLexicalForm())
              + ", this version reads format "
              + CURRENT.getLiteralLexicalForm()
              + "; rebuild it from its input journal into a new folder",
          List.of("plumbline rebuild --from " + location + " --data NEW_FOLDER"));
    }
    g.index.add(STORE, storeFormat, CURRENT);
  }
}
