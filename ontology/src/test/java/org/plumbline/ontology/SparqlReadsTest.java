package org.plumbline.ontology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bounds of a read-only SPARQL query: its answer is whole or refused, and it is cancelled. */
class SparqlReadsTest {
  private static GraphStore storeWith(int environments) {
    GraphStore store = GraphStore.inMemory();
    store.write(
        w -> {
          for (int i = 0; i < environments; i++) {
            w.putEnvironment(GraphStoreTest.env("e" + i));
          }
          return null;
        });
    return store;
  }

  @Test
  void anAnswerPastTheLimitIsRefusedNeverCut() {
    try (GraphStore store = storeWith(10)) {
      SparqlLimits five = new SparqlLimits(Duration.ofSeconds(30), 5, 10_000);
      String all = "SELECT * WHERE { ?s ?p ?o }";
      PlumblineException e = assertThrows(PlumblineException.class, () -> store.sparql(all, five));
      assertEquals(StoreError.SPARQL_TOO_MANY_RESULTS, e.code());
      assertEquals(5, store.sparql(all + " LIMIT 5", five).rows());
      assertEquals(5, store.sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 5 OFFSET 5", five).rows());
      PlumblineException c =
          assertThrows(
              PlumblineException.class, () -> store.sparql("CONSTRUCT WHERE { ?s ?p ?o }", five));
      assertEquals(StoreError.SPARQL_TOO_MANY_RESULTS, c.code());
      String envs =
          "PREFIX pl: <https://w3id.org/plumbline#> SELECT (COUNT(?e) AS ?n) WHERE { ?e a"
              + " pl:Environment }";
      SparqlAnswer count = store.sparql(envs, five);
      assertEquals(1, count.rows());
      assertEquals(
          "10",
          org.apache.jena.riot.ResultSetMgr.read(
                  new java.io.ByteArrayInputStream(count.body()),
                  org.apache.jena.riot.resultset.ResultSetLang.RS_JSON)
              .next()
              .getLiteral("n")
              .getLexicalForm());
    }
  }

  @Test
  void aQueryPastItsTimeoutIsCancelled() {
    try (GraphStore store = storeWith(100)) {
      SparqlLimits quick = new SparqlLimits(Duration.ofMillis(50), 10_000, 10_000);
      // About 1,000 statements cubed: far more than 50 ms of work on any machine.
      PlumblineException e =
          assertThrows(
              PlumblineException.class,
              () ->
                  store.sparql(
                      "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", quick));
      assertEquals(StoreError.SPARQL_TIMEOUT, e.code());
    }
  }

  @Test
  void updatesAndLongQueriesAreRefused() {
    try (GraphStore store = storeWith(1)) {
      SparqlLimits small = new SparqlLimits(Duration.ofSeconds(5), 10, 100);
      PlumblineException u =
          assertThrows(
              PlumblineException.class, () -> store.sparql("CLEAR DEFAULT", SparqlLimits.DEFAULT));
      assertEquals(StoreError.SPARQL_UPDATE_REFUSED, u.code());
      PlumblineException l =
          assertThrows(
              PlumblineException.class,
              () -> store.sparql("SELECT * WHERE { ?s ?p ?o }" + " ".repeat(100), small));
      assertEquals(StoreError.SPARQL_INVALID, l.code());
      assertEquals(1, (int) store.read(r -> r.environments().size()));
    }
  }
}
