package org.plumbline.ontology;

import java.nio.file.Path;
import java.util.function.Function;
import org.plumbline.ontology.internal.TdbGraphStore;

/**
 * The knowledge graph behind Plumbline. All access goes through transactions given as lambdas: a
 * read sees one consistent state; a write is atomic, validated against the SHACL shapes before it
 * commits, and leaves nothing behind when it throws.
 *
 * <p>The interface speaks in domain records only, so that a remote SPARQL 1.1 store can stand
 * behind it for deployments that outgrow one machine. The default is TDB2 on local disk.
 */
public interface GraphStore extends AutoCloseable {

  /** Opens (creating if needed) a TDB2 store on disk. Fails with {@code STORE_LOCKED} if in use. */
  static GraphStore openTdb2(Path directory) {
    return TdbGraphStore.open(directory);
  }

  /**
   * Opens a TDB2 store on disk that compacts itself as {@code policy} says when it grows ({@link
   * #openTdb2(Path)} uses {@link CompactionPolicy#DEFAULT}).
   */
  static GraphStore openTdb2(Path directory, CompactionPolicy policy) {
    return TdbGraphStore.open(directory, policy);
  }

  /**
   * Connects to a shared store on a remote SPARQL 1.1 dataset (see {@link SparqlEndpoint}), which
   * several servers may use at once.
   *
   * @throws PlumblineException STORE_UNAVAILABLE when it does not answer
   */
  static GraphStore openSparql(SparqlEndpoint endpoint) {
    return org.plumbline.ontology.internal.SparqlGraphStore.open(endpoint);
  }

  /** An in-memory TDB2 store, for tests and tools. */
  static GraphStore inMemory() {
    return TdbGraphStore.inMemory();
  }

  /**
   * Restores a backup made by {@link #backup} into a new store folder, which must be empty or
   * absent. Returns the number of triples loaded.
   */
  static long restore(java.io.InputStream nquads, Path directory) {
    return TdbGraphStore.restore(nquads, directory);
  }

  /**
   * Writes a consistent copy of the whole store (gzip-compressed N-Quads) while it stays online:
   * the copy is taken inside one read transaction. Returns the number of triples written.
   */
  long backup(java.io.OutputStream out);

  /** Runs {@code work} in one read transaction. */
  <T> T read(Function<StoreReader, T> work);

  /**
   * Answers a read-only SPARQL 1.1 query over the governance graph in one read transaction: {@code
   * SELECT} and {@code ASK} as SPARQL JSON results, {@code CONSTRUCT} and {@code DESCRIBE} as
   * Turtle. Updates, {@code SERVICE}, {@code FROM} and extension functions are refused.
   *
   * @throws PlumblineException SPARQL_INVALID, SPARQL_UPDATE_REFUSED, SPARQL_TIMEOUT,
   *     SPARQL_TOO_MANY_RESULTS
   */
  SparqlAnswer sparql(String query, SparqlLimits limits);

  /**
   * Takes or renews the lease {@code name} for {@code holder} until {@code now + ttl}, if it is
   * free, lapsed (its expiry before {@code now}) or already the holder's; answers whether the
   * holder holds it. Servers sharing a store run their scheduler only while they hold its lease. A
   * lease is not governance data: it is neither journaled nor audited. A TDB2 store belongs to one
   * process, whose lease it always is.
   */
  boolean holdLease(String name, String holder, java.time.Instant now, java.time.Duration ttl);

  /** Runs {@code work} in one write transaction; any exception aborts it. */
  <T> T write(Function<StoreWriter, T> work);

  /**
   * Runs {@code work} in one write transaction as {@link #write} does, validating what it wrote
   * against the shapes, and then rolls it back whatever happens: nothing is stored. A dry run
   * answers from what the work saw inside the transaction.
   */
  <T> T rehearse(Function<StoreWriter, T> work);

  /**
   * Rewrites the store without the space that superseded versions of its indexes hold (TDB2 keeps
   * every commit's copy-on-write blocks until compacted). Safe while the store serves: readers and
   * writers wait for the switch. Does nothing for a store in memory.
   */
  void compact();

  /**
   * Calls {@code listener} after every compaction of this store, asked for or started by its growth
   * (see {@link CompactionPolicy}), on the thread that compacted. Stores that never compact ignore
   * it.
   */
  default void onCompacted(Runnable listener) {}

  /** Bytes the store takes on disk (0 in memory). */
  long sizeOnDisk();

  /** Whether the store is open and answers reads. */
  boolean isOpen();

  /** Where the store lives, for messages ("memory" when in memory). */
  String location();

  @Override
  void close();
}
