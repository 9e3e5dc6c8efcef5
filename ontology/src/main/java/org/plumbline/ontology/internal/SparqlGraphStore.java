package org.plumbline.ontology.internal;

import static org.plumbline.ontology.internal.Literals.longLiteral;
import static org.plumbline.ontology.internal.Literals.str;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.Binding;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.SparqlAnswer;
import org.plumbline.ontology.SparqlEndpoint;
import org.plumbline.ontology.SparqlLimits;
import org.plumbline.ontology.StoreError;
import org.plumbline.ontology.StoreReader;
import org.plumbline.ontology.StoreWriter;

/**
 * The store on a remote SPARQL 1.1 dataset that several servers share, by the standard protocols
 * only (no engine's extensions).
 *
 * <p><b>Revisions.</b> The store holds a revision number that every write moves by one. A read
 * notes the revision, reads, and reads it again: if a write landed in between, it reads again
 * (bounded), so a read sees one revision. A read that fetched what it walks with one query (see
 * {@link RemoteReadAhead}) read one revision by construction, and one of immutable facts only asks
 * nothing (see {@link RemoteGraph#readAcrossWrite}). A write reads through a {@link DeltaGraph}
 * that keeps its adds and deletes aside, validates what it wrote against the shapes, and sends
 * everything as <em>one</em> SPARQL Update whose {@code WHERE} requires the revision it read: the
 * store applies it whole or, when another server wrote first, not at all. A write that lost is run
 * again on the new revision (bounded, with a random pause), so the audit chain stays one chain
 * across servers and nothing half-written is stored. Whether an update applied is read back from a
 * token it writes under its new revision (the last {@link #TOKENS_KEPT} are kept).
 */
public final class SparqlGraphStore implements GraphStore {
  private static final Node REVISION = Vocab.term("revision");
  private static final Node WRITE_TOKEN = Vocab.term("writeToken");
  private static final Node LEASE_HOLDER = Vocab.term("leaseHolder");
  private static final Node LEASE_UNTIL = Vocab.term("leaseUntil");
  private static final Var R = Var.alloc("r");
  static final int MAX_ATTEMPTS = 50;
  static final int TOKENS_KEPT = 1024;

  /** The statements kept across transactions (immutable ones only, see {@link FrozenFacts}). */
  static final int FROZEN_STATEMENTS = 1_000_000;

  private final SparqlEndpointClient client;
  private final DecodedValues decoded = new DecodedValues(2_000_000);
  private final FrozenFacts frozen = new FrozenFacts(FROZEN_STATEMENTS);
  private volatile boolean open = true;

  private SparqlGraphStore(SparqlEndpoint endpoint) {
    this.client = new SparqlEndpointClient(endpoint);
  }

  /**
   * Connects to a shared store, marks it with the store format when it is empty and refuses one in
   * an older format.
   *
   * @throws PlumblineException STORE_UNAVAILABLE when it does not answer, STORE_FORMAT_OUTDATED
   */
  public static SparqlGraphStore open(SparqlEndpoint endpoint) {
    SparqlGraphStore store = new SparqlGraphStore(endpoint);
    store.revision(); // fails fast when the store does not answer
    store.write( // writes nothing when the store is marked already
        w -> {
          ((GraphAccess) w).checkFormat(endpoint.url());
          return null;
        });
    return store;
  }

  /** How many requests this store has sent to the shared store (for tests and measurements). */
  public long requestsSent() {
    return client.requests();
  }

  /** How many reads were answered from the immutable facts kept (for tests and measurements). */
  public long readsFromCache() {
    return frozen.served();
  }

  /** The store's revision: how many writes it has taken (0 when new). */
  public long revision() {
    List<Binding> rows =
        client.select("SELECT ?r WHERE { " + nt(Vocab.STORE) + " " + nt(REVISION) + " ?r }");
    return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).get(R).getLiteralLexicalForm());
  }

  @Override
  public <T> T read(Function<StoreReader, T> work) {
    T result = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      RemoteGraph remote = remote();
      try {
        result = work.apply(new GraphAccess(remote, null, decoded, new RemoteReadAhead(remote)));
      } catch (RuntimeException e) {
        if (attempt + 1 < MAX_ATTEMPTS && remote.readAcrossWrite()) {
          continue; // it read across a write: its reads did not agree
        }
        throw e;
      }
      if (!remote.readAcrossWrite()) {
        return result;
      }
    }
    return result; // writes never paused: the last answer is as fresh as any
  }

  private RemoteGraph remote() {
    return new RemoteGraph(client, frozen, this::revision);
  }

  /** A write's reads: its guard, not the reads, keeps it to the revision it read. */
  private RemoteGraph writing() {
    return new RemoteGraph(client, frozen, null);
  }

  @Override
  public SparqlAnswer sparql(String query, SparqlLimits limits) {
    return SparqlReads.run(SparqlReads.parse(query, limits), limits, client::queryBuilder);
  }

  /** The delta is computed and validated, and never sent. */
  @Override
  public <T> T rehearse(Function<StoreWriter, T> work) {
    RemoteGraph remote = writing();
    return GraphAccess.write(new DeltaGraph(remote), decoded, new RemoteReadAhead(remote), work);
  }

  @Override
  public <T> T write(Function<StoreWriter, T> work) {
    for (int attempt = 1; ; attempt++) {
      long read = revision();
      RemoteGraph remote = writing();
      DeltaGraph delta = new DeltaGraph(remote);
      T result;
      try {
        result = GraphAccess.write(delta, decoded, new RemoteReadAhead(remote), work);
      } catch (RuntimeException e) {
        if (attempt < MAX_ATTEMPTS && revision() != read) {
          continue; // it read across another server's write: its reads did not agree
        }
        throw e;
      }
      if (delta.additions().isEmpty() && delta.deletions().isEmpty()) {
        return result;
      }
      String token = UUID.randomUUID().toString();
      try {
        client.update(guardedUpdate(read, token, delta));
      } catch (PlumblineException e) {
        if (!applied(read + 1, token)) { // the answer may be lost after the store applied it
          throw e;
        }
      }
      if (applied(read + 1, token)) {
        return result;
      }
      if (attempt == MAX_ATTEMPTS) {
        throw new PlumblineException(
            StoreError.STORE_CONFLICT,
            "other servers kept writing to the shared store first; this write was tried "
                + MAX_ATTEMPTS
                + " times and nothing of it was stored",
            List.of("store: " + client.url()));
      }
      pause(attempt);
    }
  }

  /**
   * One conditional update takes the lease when it is free, lapsed or the holder's own, and moves
   * its expiry; reading it back tells whether this holder won. The instants are the servers'
   * clocks: keep them in sync (NTP) well within the lease's length.
   */
  @Override
  public boolean holdLease(String name, String holder, Instant now, Duration ttl) {
    Node lease = NodeFactory.createURI(Vocab.ID + "lease/" + encode(name));
    Node until = Literals.dateTime(now.plus(ttl));
    String l = nt(lease);
    String h = nt(LEASE_HOLDER);
    String u = nt(LEASE_UNTIL);
    client.update(
        "DELETE { "
            + l
            + " "
            + h
            + " ?h . "
            + l
            + " "
            + u
            + " ?u }\n"
            + "INSERT { "
            + l
            + " "
            + h
            + " "
            + nt(str(holder))
            + " . "
            + l
            + " "
            + u
            + " "
            + nt(until)
            + " }\nWHERE { OPTIONAL { "
            + l
            + " "
            + h
            + " ?h . "
            + l
            + " "
            + u
            + " ?u }\n"
            + "FILTER (!BOUND(?h) || ?h = "
            + nt(str(holder))
            + " || ?u < "
            + nt(Literals.dateTime(now))
            + ") }");
    return client.ask("ASK { " + l + " " + h + " " + nt(str(holder)) + " }");
  }

  private static String encode(String name) {
    return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The delta as one update that applies only on the revision it was read from. */
  static String guardedUpdate(long read, String token, DeltaGraph delta) {
    StringBuilder u = new StringBuilder(256);
    u.append("DELETE {\n");
    if (read > 0) {
      line(u, Vocab.STORE, REVISION, longLiteral(read));
    }
    long dropped = read + 1 - TOKENS_KEPT;
    if (dropped > 0) {
      u.append(nt(tokenNode(dropped))).append(' ').append(nt(WRITE_TOKEN)).append(" ?old .\n");
    }
    delta.deletions().find().forEach(t -> line(u, t.getSubject(), t.getPredicate(), t.getObject()));
    u.append("}\nINSERT {\n");
    line(u, Vocab.STORE, REVISION, longLiteral(read + 1));
    line(u, tokenNode(read + 1), WRITE_TOKEN, str(token));
    delta.additions().find().forEach(t -> line(u, t.getSubject(), t.getPredicate(), t.getObject()));
    u.append("}\nWHERE {\n");
    if (read > 0) {
      line(u, Vocab.STORE, REVISION, longLiteral(read));
    } else {
      u.append("FILTER NOT EXISTS { ")
          .append(nt(Vocab.STORE))
          .append(' ')
          .append(nt(REVISION))
          .append(" ?any }\n");
    }
    if (dropped > 0) {
      u.append("OPTIONAL { ")
          .append(nt(tokenNode(dropped)))
          .append(' ')
          .append(nt(WRITE_TOKEN))
          .append(" ?old }\n");
    }
    return u.append('}').toString();
  }

  private boolean applied(long revision, String token) {
    return client.ask(
        "ASK { " + nt(tokenNode(revision)) + " " + nt(WRITE_TOKEN) + " " + nt(str(token)) + " }");
  }

  private static Node tokenNode(long revision) {
    return NodeFactory.createURI(Vocab.ID + "store/write/" + revision);
  }

  private static void line(StringBuilder u, Node s, Node p, Node o) {
    u.append(nt(s)).append(' ').append(nt(p)).append(' ').append(nt(o)).append(" .\n");
  }

  private static String nt(Node n) {
    return org.apache.jena.riot.out.NodeFmtLib.strNT(n);
  }

  /** A random pause that grows with the attempts, so that servers that collided spread out. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 20) + 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlumblineException(StoreError.STORE_UNAVAILABLE, "interrupted while writing");
    }
  }

  @Override
  public long backup(OutputStream out) {
    Graph graph = client.defaultGraph();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      RDFDataMgr.write(gz, graph, Lang.NTRIPLES); // N-Triples are N-Quads of the default graph
      gz.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("backup failed", e);
    }
    return graph.size();
  }

  /** The shared store's engine compacts its own files. */
  @Override
  public void compact() {}

  @Override
  public long sizeOnDisk() {
    return 0;
  }

  @Override
  public boolean isOpen() {
    return open && client.answering(); // sends nothing: readiness is asked on the event loop
  }

  @Override
  public String location() {
    return client.url();
  }

  @Override
  public void close() {
    open = false;
  }
}
