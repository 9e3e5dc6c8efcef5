package org.plumbline.ontology.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.jena.dboe.base.file.Location;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.plumbline.ontology.CompactionPolicy;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;

/** The default store: Apache Jena TDB2, on disk or in memory. */
public final class TdbGraphStore implements GraphStore {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(TdbGraphStore.class);
  private static final Shapes SHAPES = loadShapes();

  private final DatasetGraph dataset;
  private final String location;
  private volatile boolean open = true;
  private final GrowthCompaction growth;

  /**
   * Keeps transactions and compactions apart. TDB2 lets readers run on the old generation while a
   * compaction switches to the new one, then waits for them; a read that began at the moment of the
   * switch could leave the old generation's lock held, and the compaction (with the next ones and
   * the store's close) waited for it forever (seen in LoadIT and in the bench). Every transaction
   * here holds the gate's read side; a compaction takes its write side, so it starts once the
   * running transactions end, and new ones wait for it (writers waited anyway).
   */
  private final java.util.concurrent.locks.ReentrantReadWriteLock gate =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  private final List<Runnable> compactionListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** About 2 million config keys of decoded blueprints and configurations (a few hundred MB). */
  private final DecodedValues decoded = new DecodedValues(2_000_000);

  private TdbGraphStore(DatasetGraph dataset, String location, CompactionPolicy policy) {
    this.dataset = dataset;
    this.location = location;
    this.growth =
        "memory".equals(location)
            ? null
            : new GrowthCompaction(policy, Path.of(location), this::compact);
    Txn.executeWrite(
        dataset,
        () ->
            new GraphAccess(graph(), GraphFactory.createGraphMem(), decoded).checkFormat(location));
  }

  /**
   * Opens the TDB2 dataset of a data folder for this process alone, first cutting a torn journal
   * tail that a crash left (see {@link JournalTail}). {@code plumbline store-server} serves the
   * dataset it returns.
   *
   * @throws PlumblineException STORE_LOCKED when another process holds the folder,
   *     STORE_UNAVAILABLE when it cannot be created or opened
   */
  public static DatasetGraph connect(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new PlumblineException(
          StoreError.STORE_UNAVAILABLE,
          "cannot create data folder " + directory + ": " + e.getMessage());
    }
    try {
      for (String cut : JournalTail.repair(directory)) {
        LOG.warn("cut the torn tail of a commit a crash interrupted (never acknowledged): {}", cut);
      }
    } catch (IOException e) {
      throw new PlumblineException(
          StoreError.STORE_UNAVAILABLE, "cannot read the journal in " + directory + ": " + e);
    }
    DatasetGraph dataset;
    try {
      dataset = DatabaseMgr.connectDatasetGraph(Location.create(directory.toAbsolutePath()));
    } catch (RuntimeException e) {
      // TDB2 guards a folder with a process lock; a second JVM gets an exception naming the owner.
      String message = String.valueOf(e.getMessage());
      if (message.contains("lock") || message.contains("Lock") || message.contains("process")) {
        throw new PlumblineException(
            StoreError.STORE_LOCKED,
            "data folder " + directory + " is in use by another process: " + message);
      }
      throw new PlumblineException(
          StoreError.STORE_UNAVAILABLE, "cannot open data folder " + directory + ": " + message);
    }
    return dataset;
  }

  public static TdbGraphStore open(Path directory) {
    return open(directory, CompactionPolicy.DEFAULT);
  }

  /** Opens the store, compacting it as it grows as {@code policy} says. */
  public static TdbGraphStore open(Path directory, CompactionPolicy policy) {
    DatasetGraph dataset = connect(directory);
    try {
      return new TdbGraphStore(dataset, directory.toAbsolutePath().toString(), policy);
    } catch (RuntimeException e) {
      org.apache.jena.tdb2.sys.TDBInternal.expel(dataset); // an outdated store stays untouched
      throw e;
    }
  }

  public static TdbGraphStore inMemory() {
    return new TdbGraphStore(DatabaseMgr.createDatasetGraph(), "memory", CompactionPolicy.OFF);
  }

  @Override
  public <T> T read(Function<StoreReader, T> work) {
    return gated(
        () ->
            Txn.calculateRead(dataset, () -> work.apply(new GraphAccess(graph(), null, decoded))));
  }

  /** Runs a transaction on the gate's read side (see {@link #gate}). */
  private <T> T gated(java.util.function.Supplier<T> transaction) {
    gate.readLock().lock();
    try {
      return transaction.get();
    } finally {
      gate.readLock().unlock();
    }
  }

  @Override
  public org.plumbline.ontology.SparqlAnswer sparql(
      String query, org.plumbline.ontology.SparqlLimits limits) {
    org.apache.jena.query.Query parsed = SparqlReads.parse(query, limits);
    return gated(
        () ->
            Txn.calculateRead(
                dataset,
                () ->
                    SparqlReads.run(
                        parsed,
                        limits,
                        q -> org.apache.jena.sparql.exec.QueryExec.dataset(dataset).query(q))));
  }

  /** One process holds the folder, and so every lease on it. */
  @Override
  public boolean holdLease(
      String name, String holder, java.time.Instant now, java.time.Duration ttl) {
    return open;
  }

  @Override
  public <T> T write(Function<StoreWriter, T> work) {
    T result =
        gated(
            () ->
                Txn.calculateWrite(
                    dataset, () -> GraphAccess.write(graph(), decoded, ReadAhead.NONE, work)));
    if (growth != null) {
      growth.afterCommit();
    }
    return result;
  }

  @Override
  public <T> T rehearse(Function<StoreWriter, T> work) {
    return gated(
        () -> {
          dataset.begin(org.apache.jena.query.TxnType.WRITE);
          try {
            return GraphAccess.write(graph(), decoded, ReadAhead.NONE, work);
          } finally {
            dataset.abort();
            dataset.end();
          }
        });
  }

  private Graph graph() {
    return dataset.getDefaultGraph();
  }

  /** Validates what one transaction wrote; a violation throws, which aborts the transaction. */
  static void validate(Graph written) {
    ValidationReport report = ShaclValidator.get().validate(SHAPES, written);
    if (!report.conforms()) {
      List<String> details = new ArrayList<>();
      report
          .getEntries()
          .forEach(e -> details.add(e.focusNode() + " " + e.resultPath() + ": " + e.message()));
      throw new PlumblineException(
          StoreError.SHAPE_VIOLATION,
          "the write would store facts that violate the knowledge graph's shapes",
          details);
    }
  }

  private static Shapes loadShapes() {
    try (InputStream in =
        TdbGraphStore.class.getResourceAsStream("/org/plumbline/ontology/shapes.ttl")) {
      Graph shapes = GraphFactory.createGraphMem();
      RDFParser.source(in).lang(Lang.TURTLE).parse(shapes);
      return Shapes.parse(shapes);
    } catch (IOException e) {
      throw new IllegalStateException("shapes.ttl is missing from the classpath", e);
    }
  }

  @Override
  public long backup(java.io.OutputStream out) {
    return gated(() -> backupInTransaction(out));
  }

  private long backupInTransaction(java.io.OutputStream out) {
    return Txn.calculateRead(
        dataset,
        () -> {
          try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            org.apache.jena.riot.RDFDataMgr.write(gz, dataset, Lang.NQUADS);
            gz.finish();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("backup failed", e);
          }
          return dataset.getDefaultGraph().size();
        });
  }

  public static long restore(java.io.InputStream nquads, Path directory) {
    try {
      if (Files.exists(directory)) {
        try (var entries = Files.list(directory)) {
          if (entries.findAny().isPresent()) {
            throw new PlumblineException(
                StoreError.STORE_UNAVAILABLE,
                "restore needs an empty folder; " + directory + " is not empty");
          }
        }
      }
    } catch (IOException e) {
      throw new PlumblineException(StoreError.STORE_UNAVAILABLE, "cannot read " + directory);
    }
    TdbGraphStore store = open(directory);
    try {
      return Txn.calculateWrite(
          store.dataset,
          () -> {
            try (java.io.InputStream in = new java.util.zip.GZIPInputStream(nquads)) {
              RDFParser.source(in).lang(Lang.NQUADS).parse(store.dataset);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException("cannot read the backup", e);
            }
            return store.dataset.getDefaultGraph().size();
          });
    } finally {
      store.close();
    }
  }

  @Override
  public void compact() {
    if (!"memory".equals(location) && open) {
      gate.writeLock().lock();
      try {
        DatabaseMgr.compact(dataset, true);
      } finally {
        gate.writeLock().unlock();
      }
      growth.compacted();
      compactionListeners.forEach(Runnable::run);
    }
  }

  @Override
  public void onCompacted(Runnable listener) {
    compactionListeners.add(listener);
  }

  /**
   * Bytes the live generation's files use (index blocks allocated, node table, journal), as the
   * growth trigger reads them; -1 in memory.
   */
  public long bytesInUse() {
    return "memory".equals(location) ? -1 : StoreFiles.bytesInUse(Path.of(location));
  }

  /** Bytes in use after the last compaction, or at open before one; -1 in memory. */
  public long compactedBytes() {
    return growth == null ? -1 : growth.compactedBytes();
  }

  @Override
  public long sizeOnDisk() {
    if ("memory".equals(location)) {
      return 0;
    }
    try (var files = Files.walk(Path.of(location))) {
      return files.filter(Files::isRegularFile).mapToLong(TdbGraphStore::size).sum();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // a file that compaction removed while we walked
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      if (growth != null) {
        growth.awaitIdle(); // a compaction on growth finishes before the folder is released
      }
      if (!"memory".equals(location)) {
        // Release the folder (and its process lock) so a restart in the same JVM can reopen it.
        org.apache.jena.tdb2.sys.TDBInternal.expel(dataset);
      }
    }
  }
}
