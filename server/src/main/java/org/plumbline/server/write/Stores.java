package org.plumbline.server.write;

import org.plumbline.ontology.GraphStore;
import org.plumbline.server.config.ServerConfig;

/** The store a configuration names: a shared SPARQL 1.1 store, else the data folder's TDB2. */
public final class Stores {
  private Stores() {}

  /**
   * Opens it.
   *
   * @throws org.plumbline.ontology.PlumblineException STORE_LOCKED when another process holds the
   *     data folder, STORE_UNAVAILABLE when the shared store does not answer
   */
  public static GraphStore open(ServerConfig config) {
    return config.sharedStore()
        ? GraphStore.openSparql(config.store())
        : GraphStore.openTdb2(
            config.data(),
            org.plumbline.ontology.CompactionPolicy.growth(config.compactionGrowth()));
  }
}
