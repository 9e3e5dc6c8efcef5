package org.plumbline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.plumbline.ontology.SparqlEndpoint;
import org.plumbline.server.PlumblineServer;
import org.plumbline.server.cli.StoreServer;
import org.plumbline.server.config.ServerConfig;

/**
 * The servers a workload talks to (issue 22): one server on its TDB2 folder ({@code --store tdb2},
 * the default), or {@code --servers N} servers on one shared store ({@code --store sparql}: Apache
 * Jena Fuseki on the TDB2 folder, as {@code plumbline store-server} serves it, in this process,
 * over loopback HTTP). Requests are spread over the servers round robin.
 */
final class BenchServers implements AutoCloseable {
  private final StoreServer store;
  private final List<PlumblineServer> servers;

  private BenchServers(StoreServer store, List<PlumblineServer> servers) {
    this.store = store;
    this.servers = servers;
  }

  /** Starts the servers of {@code options} on the store folder {@code folder}. */
  static BenchServers start(BenchOptions options, Path folder, ServerConfig base, Clock clock) {
    if (!options.sharedStore()) {
      return new BenchServers(null, List.of(PlumblineServer.start(base.withData(folder), clock)));
    }
    StoreServer store = StoreServer.start(folder, 0, true, null);
    List<PlumblineServer> servers = new ArrayList<>();
    try {
      Path key = folder.resolveSibling(folder.getFileName() + "-shared.key");
      Files.writeString(key, "0123456789abcdef".repeat(4) + "\n");
      for (int i = 0; i < options.servers(); i++) {
        servers.add(
            PlumblineServer.start(
                base.withData(folder.resolveSibling(folder.getFileName() + "-server-" + i))
                    .withStore(SparqlEndpoint.open(store.url()))
                    .withHmacKey(key),
                clock));
      }
    } catch (IOException e) {
      new BenchServers(store, servers).close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      new BenchServers(store, servers).close();
      throw e;
    }
    return new BenchServers(store, servers);
  }

  /** The server for request {@code i}. */
  PlumblineServer get(int i) {
    return servers.get(Math.floorMod(i, servers.size()));
  }

  int size() {
    return servers.size();
  }

  /** What the workloads ran against, for the report. */
  static String describe(BenchOptions options) {
    return options.sharedStore()
        ? "shared store (Apache Jena Fuseki on TDB2, in process, loopback HTTP), "
            + options.servers()
            + (options.servers() == 1 ? " server" : " servers, requests round robin")
        : "TDB2 on disk, one server";
  }

  @Override
  public void close() {
    for (PlumblineServer s : servers) {
      s.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
