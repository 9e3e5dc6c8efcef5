package org.plumbline.server.cli;

import java.nio.file.Path;
import org.apache.jena.atlas.web.AuthScheme;
import org.apache.jena.fuseki.auth.Auth;
import org.apache.jena.fuseki.main.FusekiServer;
import org.apache.jena.sparql.core.DatasetGraph;
import org.plumbline.ontology.TdbDatasets;

/**
 * {@code plumbline store-server}: Apache Jena Fuseki serving one TDB2 dataset at {@code /plumbline}
 * (query at {@code /plumbline/query}, update at {@code /plumbline/update}, graph store at {@code
 * /plumbline/data}), the shared store several Plumbline servers may stand on.
 */
public final class StoreServer implements AutoCloseable {
  /** The dataset's name in the URL. */
  public static final String DATASET = "/plumbline";

  private final FusekiServer fuseki;
  private final DatasetGraph dataset;

  private StoreServer(FusekiServer fuseki, DatasetGraph dataset) {
    this.fuseki = fuseki;
    this.dataset = dataset;
  }

  /**
   * Opens the folder's TDB2 dataset and starts Fuseki on it.
   *
   * @param port 0 picks a free port
   * @param loopbackOnly listen on 127.0.0.1 only
   * @param passwordFile a Jetty realm file ({@code user: password} lines) that every request must
   *     authenticate against with HTTP Basic, or null for none
   */
  public static StoreServer start(Path data, int port, boolean loopbackOnly, Path passwordFile) {
    DatasetGraph dataset = TdbDatasets.open(data);
    try {
      FusekiServer.Builder b =
          FusekiServer.create()
              .port(port)
              .loopback(loopbackOnly)
              .enablePing(true)
              .add(DATASET, dataset, true);
      if (passwordFile != null) {
        b.passwordFile(passwordFile.toString())
            .auth(AuthScheme.BASIC)
            .serverAuthPolicy(Auth.ANY_USER);
      }
      return new StoreServer(b.build().start(), dataset);
    } catch (RuntimeException e) {
      TdbDatasets.close(dataset);
      throw e;
    }
  }

  public int port() {
    return fuseki.getHttpPort();
  }

  /** The dataset's URL, what {@code store: { sparql: URL }} names. */
  public String url() {
    return "http://127.0.0.1:" + port() + DATASET;
  }

  /** Blocks until the server stops. */
  public void join() {
    fuseki.join();
  }

  @Override
  public void close() {
    fuseki.stop();
    TdbDatasets.close(dataset);
  }
}
