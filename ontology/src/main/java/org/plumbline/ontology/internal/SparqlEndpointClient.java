package org.plumbline.ontology.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.jena.graph.Graph;
import org.apache.jena.query.Query;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.exec.QueryExec;
import org.apache.jena.sparql.exec.QueryExecBuilder;
import org.apache.jena.sparql.exec.RowSet;
import org.apache.jena.sparql.exec.http.GSP;
import org.apache.jena.sparql.exec.http.QueryExecHTTPBuilder;
import org.apache.jena.sparql.exec.http.UpdateExecHTTP;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.SparqlEndpoint;
import org.plumbline.ontology.StoreError;

/**
 * The three SPARQL 1.1 protocols of one remote dataset (Query at {@code /query}, Update at {@code
 * /update}, Graph Store at {@code /data}), each request with the endpoint's credentials. A store
 * that does not answer is {@code STORE_UNAVAILABLE}.
 */
final class SparqlEndpointClient {
  /** Bounds one request, so that a store that hangs fails the command instead of the server. */
  private static final long TIMEOUT_SECONDS = 60;

  private final SparqlEndpoint endpoint;
  private final String authorization;
  private volatile boolean answering = true;
  private final java.util.concurrent.atomic.AtomicLong requests =
      new java.util.concurrent.atomic.AtomicLong();

  SparqlEndpointClient(SparqlEndpoint endpoint) {
    this.endpoint = endpoint;
    this.authorization = endpoint.authorization();
  }

  /**
   * Whether the last request the store was sent was answered (without sending one: readiness checks
   * run on the event loop).
   */
  boolean answering() {
    return answering;
  }

  /** How many requests were sent (queries, updates, graph reads). */
  long requests() {
    return requests.get();
  }

  String url() {
    return endpoint.url();
  }

  /** A query execution over the Query protocol, for callers that read its answer themselves. */
  QueryExecBuilder queryBuilder(Query query) {
    QueryExecHTTPBuilder b = QueryExecHTTPBuilder.service(endpoint.url() + "/query").query(query);
    if (authorization != null) {
      b.httpHeader("Authorization", authorization);
    }
    return b;
  }

  /** The rows of a {@code SELECT}, read whole. */
  List<Binding> select(String query) {
    return query(
        query,
        qe -> {
          RowSet rows = qe.select();
          List<Binding> out = new ArrayList<>();
          rows.forEachRemaining(out::add);
          return out;
        });
  }

  /** The statements a {@code CONSTRUCT} answers, read whole into a graph in memory. */
  Graph construct(String query) {
    return query(query, QueryExec::construct);
  }

  /** The answer of an {@code ASK}. */
  boolean ask(String query) {
    return query(query, QueryExec::ask);
  }

  /** Sends one query over the Query protocol, with the timeout, and reads its answer whole. */
  private <T> T query(String query, Function<QueryExec, T> answer) {
    requests.incrementAndGet();
    QueryExecHTTPBuilder b =
        QueryExecHTTPBuilder.service(endpoint.url() + "/query")
            .query(query)
            .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (authorization != null) {
      b.httpHeader("Authorization", authorization);
    }
    try (QueryExec qe = b.build()) {
      T out = answer.apply(qe);
      answering = true;
      return out;
    } catch (RuntimeException e) {
      throw unavailable("query", e);
    }
  }

  /** Sends one SPARQL Update request (the store applies it atomically). */
  void update(String update) {
    requests.incrementAndGet();
    var b = UpdateExecHTTP.service(endpoint.url() + "/update").update(update);
    if (authorization != null) {
      b.httpHeader("Authorization", authorization);
    }
    try {
      b.build().execute();
      answering = true;
    } catch (RuntimeException e) {
      throw unavailable("update", e);
    }
  }

  /** The whole default graph, over the Graph Store protocol. */
  Graph defaultGraph() {
    requests.incrementAndGet();
    GSP gsp = GSP.service(endpoint.url() + "/data").defaultGraph();
    if (authorization != null) {
      gsp.httpHeader("Authorization", authorization);
    }
    try {
      Graph graph = gsp.GET();
      answering = true;
      return graph;
    } catch (RuntimeException e) {
      throw unavailable("graph store", e);
    }
  }

  PlumblineException unavailable(String what, RuntimeException e) {
    answering = false;
    return new PlumblineException(
        StoreError.STORE_UNAVAILABLE,
        "the shared store at "
            + endpoint.url()
            + " did not answer a "
            + what
            + ": "
            + e.getMessage(),
        List.of("store: " + endpoint.url()));
  }
}
