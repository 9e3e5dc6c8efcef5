package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.jena.fuseki.main.FusekiServer;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.plumbline.ontology.internal.SparqlGraphStore;
import org.plumbline.ontology.ledger.AuditLedger;

/**
 * Every store test of {@link GraphStoreTest} again on a shared store (Apache Jena Fuseki in this
 * JVM, on a free port, over the SPARQL 1.1 protocols), and what only a shared store must do: writes
 * from several stores at once, each whole, the ledger one chain.
 */
class SparqlGraphStoreTest extends GraphStoreTest {
  private final List<FusekiServer> servers = new ArrayList<>();

  private String fuseki() {
    FusekiServer server =
        FusekiServer.create()
            .port(0)
            .loopback(true)
            .add("/plumbline", DatasetGraphFactory.createTxnMem(), true)
            .build()
            .start();
    servers.add(server);
    return "http://127.0.0.1:" + server.getHttpPort() + "/plumbline";
  }

  @Override
  GraphStore newStore() {
    return GraphStore.openSparql(SparqlEndpoint.open(fuseki()));
  }

  @AfterEach
  void stopFuseki() {
    servers.forEach(FusekiServer::stop);
  }

  @Test
  void writesFromTwoStoresAtOnceEachLandWholeAndTheLedgerStaysOneChain() throws Exception {
    String url = fuseki();
    int threads = 4;
    int writesEach = 8;
    try (GraphStore a = GraphStore.openSparql(SparqlEndpoint.open(url));
        GraphStore b = GraphStore.openSparql(SparqlEndpoint.open(url))) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        GraphStore store = t % 2 == 0 ? a : b;
        String who = "w" + t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < writesEach; i++) {
                    int n = i;
                    store.write(
                        w -> {
                          // two records per write: both land or neither does
                          w.appendAudit(T0.plusSeconds(n), who, "first", null, who + n, null);
                          w.appendAudit(T0.plusSeconds(n), who, "second", null, who + n, null);
                          return null;
                        });
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      assertEquals(2L * threads * writesEach, a.read(StoreReader::auditCount));
      AuditLedger.Verification va = a.read(AuditLedger::verify);
      AuditLedger.Verification vb = b.read(AuditLedger::verify);
      assertTrue(va.valid(), String.valueOf(va.reason()));
      assertEquals(a.read(StoreReader::auditRoot), b.read(StoreReader::auditRoot));
      List<AuditRecord> all = b.read(r -> r.audit(null, null, null));
      for (int i = 0; i < all.size(); i += 2) {
        assertEquals("first", all.get(i).action(), "a write's two records are adjacent");
        assertEquals("second", all.get(i + 1).action());
        assertEquals(all.get(i).subject(), all.get(i + 1).subject());
      }
      assertTrue(vb.valid());
    }
  }

  @Test
  void aWriteSeenByOneStoreIsReadByTheOtherAtOnce() {
    String url = fuseki();
    try (GraphStore a = GraphStore.openSparql(SparqlEndpoint.open(url));
        GraphStore b = GraphStore.openSparql(SparqlEndpoint.open(url))) {
      for (int i = 0; i < 5; i++) {
        String owner = "team" + i;
        a.write(
            w -> {
              w.putEnvironment(
                  new Environment(
                      "e1", "e1", Tier.PROD, owner, "sys", "ACTIVE", T0, null, "bundle", "1.0.0"));
              return null;
            });
        assertEquals(owner, b.read(r -> r.environment("e1")).orElseThrow().owner());
      }
    }
  }

  /**
   * What never changes once written (a bundle version's content, its dependency edges, audit and
   * pack records) is asked of the shared store once per server; what changes is asked every time,
   * so a write acknowledged through one store is read through the other at once, also when it
   * changes a fact of a node whose immutable part is kept.
   */
  @Test
  void immutableFactsAreAskedOnceAndMutableOnesAreNeverStale() {
    String url = fuseki();
    try (SparqlGraphStore a = SparqlGraphStore.open(SparqlEndpoint.open(url));
        SparqlGraphStore b = SparqlGraphStore.open(SparqlEndpoint.open(url))) {
      a.write(
          w -> {
            w.putBlueprint(
                withDependencies("1.0.0", List.of(new Dependency("a", List.of("b")))), T0, "t");
            w.putBlueprint(
                withDependencies("1.1.0", List.of(new Dependency("c", List.of("b")))), T0, "t");
            w.putEnvironment(env("e1")); // governed by bundle 1.0.0
            w.appendAudit(T0, "t", "rulepack.activated", null, "pack 1.0.0", null);
            return null;
          });
      // b reads at once what a wrote, and keeps what is immutable of it
      assertEquals(
          "sha256:1.0.0", b.read(r -> r.blueprint("bundle", "1.0.0")).orElseThrow().contentHash());
      assertEquals(List.of("a"), b.read(r -> r.dependents("b", "e1")));
      assertEquals("pack 1.0.0", b.read(r -> r.auditRecord(1)).orElseThrow().subject());

      long sent = b.requestsSent();
      long cached = b.readsFromCache();
      assertEquals("1.0.0", b.read(r -> r.blueprint("bundle", "1.0.0")).orElseThrow().version());
      assertEquals("pack 1.0.0", b.read(r -> r.auditRecord(1)).orElseThrow().subject());
      assertEquals(
          0,
          b.requestsSent() - sent,
          "two reads of immutable facts ask the store nothing, not even its revision: what never"
              + " changes reads alike at every revision");
      assertTrue(b.readsFromCache() > cached);

      // mutable facts: a validation recorded on a kept version, the environment's version
      a.write(
          w -> {
            w.recordValidation("bundle", "1.0.0", new Validation(T0.plusSeconds(60), "mv", "V-1"));
            Environment e = env("e1");
            w.putEnvironment(
                new Environment(
                    e.id(),
                    e.name(),
                    e.tier(),
                    e.owner(),
                    e.system(),
                    e.status(),
                    e.registeredAt(),
                    e.expiresAt(),
                    e.bundle(),
                    "1.1.0"));
            return null;
          });
      assertEquals("V-1", b.read(r -> r.bundleVersions("bundle")).get(0).validation().evidence());
      assertEquals(List.of("c"), b.read(r -> r.dependents("b", "e1")));
      assertEquals(1, b.read(StoreReader::auditCount));
    }
  }

  @Test
  void aStoreThatDoesNotAnswerIsUnavailable() {
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () -> GraphStore.openSparql(SparqlEndpoint.open("http://127.0.0.1:1/plumbline")));
    assertEquals(StoreError.STORE_UNAVAILABLE, e.code());
  }

  @Test
  void aLeaseIsHeldByOneHolderRenewedAndTakenOverWhenItLapses() {
    try (GraphStore store = newStore()) {
      Duration ttl = Duration.ofMinutes(1);
      assertTrue(store.holdLease("scheduler", "a", T0, ttl));
      assertFalse(store.holdLease("scheduler", "b", T0.plusSeconds(10), ttl));
      assertTrue(store.holdLease("scheduler", "a", T0.plusSeconds(30), ttl), "renewed");
      assertFalse(store.holdLease("scheduler", "b", T0.plusSeconds(80), ttl), "not lapsed");
      assertTrue(store.holdLease("scheduler", "b", T0.plusSeconds(91), ttl), "taken over");
      assertFalse(store.holdLease("scheduler", "a", T0.plusSeconds(95), ttl));
      assertTrue(store.holdLease("other", "a", T0.plusSeconds(95), ttl), "leases are by name");
    }
  }

  @Test
  void aStoreThatStopsAnsweringIsReportedNotOpenWithoutAskingIt() {
    try (GraphStore store = newStore()) {
      assertTrue(store.isOpen());
      servers.get(servers.size() - 1).stop();
      PlumblineException e =
          assertThrows(PlumblineException.class, () -> store.read(StoreReader::auditCount));
      assertEquals(StoreError.STORE_UNAVAILABLE, e.code());
      assertFalse(store.isOpen(), "/health/ready reports it DOWN");
    }
  }

  @Test
  void eachWriteIsOneRevision() {
    try (GraphStore store = newStore()) {
      long before = ((SparqlGraphStore) store).revision();
      store.write(w -> w.appendAudit(T0.plus(Duration.ofHours(1)), "u", "a", null, "s", null));
      store.write(w -> null); // writes nothing: no revision
      assertEquals(before + 1, ((SparqlGraphStore) store).revision());
    }
  }
}
