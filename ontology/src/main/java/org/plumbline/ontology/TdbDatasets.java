package org.plumbline.ontology;

import java.nio.file.Path;
import org.apache.jena.sparql.core.DatasetGraph;
import org.plumbline.ontology.internal.TdbGraphStore;

/** The raw TDB2 dataset of a data folder, for {@code plumbline store-server} to serve. */
public final class TdbDatasets {
  private TdbDatasets() {}

  /**
   * Opens a data folder's TDB2 dataset for this process alone, as {@link GraphStore#openTdb2} does
   * (a torn journal tail that a crash left is cut first).
   *
   * @throws PlumblineException STORE_LOCKED when another process holds the folder
   */
  public static DatasetGraph open(Path directory) {
    return TdbGraphStore.connect(directory);
  }

  /** Releases the folder (and its process lock). */
  public static void close(DatasetGraph dataset) {
    org.apache.jena.tdb2.sys.TDBInternal.expel(dataset);
  }
}
